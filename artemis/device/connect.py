"""Opening a device from settings: a name (`artemis.device.targets`), or whatever answers.

    async with open_device(settings, "emulator-5554") as device: ...   # via the adb server
    async with open_device(settings, "127.0.0.1:5555") as device: ...  # directly to adbd
    async with open_device(settings, "sim") as device: ...   # the simulated phone, in-process
    async with open_sim(settings) as sim: ...   # the same, with its server: sim.server, sim.device

With no name (neither given nor in `device.address`), a running adb server's devices come
first, then the default emulator adb ports on localhost (5555, 5557, ... 5585); the simulated
phone is used only when the caller asks for that fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.adbserver import (
    ServerAddress,
    ServerConnection,
    ServerDevice,
    list_devices,
    server_address,
    state_advice,
)
from artemis.device.connection import AdbConnection, Sleep
from artemis.device.keys import load_signer
from artemis.device.link import Link, LinkOptions
from artemis.device.targets import (
    SIM,
    DirectTarget,
    ServerTarget,
    SimTarget,
    Target,
    UsbTarget,
    direct_twin,
    parse_address,
    parse_target,
)
from artemis.device.usb import UsbConnection
from artemis.errors import (
    AdbServerError,
    DependencyMissingError,
    DeviceConnectionError,
    NoDeviceError,
)

if TYPE_CHECKING:
    from artemis.sim.contract import PhoneLike
    from artemis.sim.server import SimServer

__all__ = [
    "DEFAULT_PORTS",
    "PROBE_TIMEOUT_S",
    "SIM",
    "Discovery",
    "SimSession",
    "connect_adb",
    "connect_target",
    "discover",
    "for_sim",
    "open_device",
    "open_sim",
    "parse_address",
]

#: adb ports of emulators 5554, 5556, ... 5584 (console port + 1).
DEFAULT_PORTS = tuple(range(5555, 5586, 2))
PROBE_TIMEOUT_S = 2.0
#: The simulated phone's screens change only when an input arrives, so waiting for them to
#: settle needs no long poll.
SIM_SETTLE_INTERVAL_S = 0.01


def for_sim(settings: Settings) -> Settings:
    """`settings` for the simulated phone: polled for a settled screen every 10 ms at most
    (a real device's default interval, 0.25 s, would be a quarter of a second of every step
    spent waiting), and where the device settings leave a method to `auto`, the phone's
    cheaper one: its PNG screenshot and its UI dump cost it far less than a raw frame (ten
    megabytes through the ADB protocol) or a hash of one, so timing both, as `auto` does on a
    device it does not know, would only spend a second of CPU."""
    d = settings.device
    device = d.model_copy(
        update={
            "settle_interval_s": min(d.settle_interval_s, SIM_SETTLE_INTERVAL_S),
            "screenshot": "png" if d.screenshot == "auto" else d.screenshot,
            "settle_signal": "ui" if d.settle_signal == "auto" else d.settle_signal,
        }
    )
    return settings.model_copy(update={"device": device})


def _options(settings: Settings, connect_timeout_s: float | None, sleep: Sleep) -> LinkOptions:
    dev = settings.device
    return {
        "connect_timeout_s": connect_timeout_s or dev.connect_timeout_s,
        "command_timeout_s": dev.command_timeout_s,
        "reconnect_attempts": dev.reconnect_attempts,
        "sleep": sleep,
    }


async def connect_adb(
    address: str,
    settings: Settings,
    *,
    connect_timeout_s: float | None = None,
    sleep: Sleep = asyncio.sleep,
    authenticate: bool = True,
) -> AdbDevice:
    """An `AdbDevice` connected directly to adbd at `address` (HOST:PORT)."""
    host, port = parse_address(address)
    signer = await load_signer(settings) if authenticate else None
    conn = AdbConnection(host, port, signer, **_options(settings, connect_timeout_s, sleep))
    return await _connected(conn, settings, sleep)


async def _connected(conn: Link, settings: Settings, sleep: Sleep) -> AdbDevice:
    await conn.connect()
    return AdbDevice(conn, settings.device, sleep=sleep)


async def connect_target(
    target: Target,
    settings: Settings,
    *,
    connect_timeout_s: float | None = None,
    sleep: Sleep = asyncio.sleep,
) -> AdbDevice:
    """An `AdbDevice` connected to a named device (any target but the sim)."""
    match target:
        case DirectTarget():
            return await connect_adb(
                str(target), settings, connect_timeout_s=connect_timeout_s, sleep=sleep
            )
        case ServerTarget(serial=serial):
            server = server_address(settings.device.adb_server)
            if serial is None:
                serial = await _first_ready(server, settings)
            conn: Link = ServerConnection(
                serial, server, **_options(settings, connect_timeout_s, sleep)
            )
            try:
                return await _connected(conn, settings, sleep)
            except AdbServerError as exc:
                twin = direct_twin(serial)
                if twin is None:
                    raise
                raise AdbServerError(f"{exc}; {serial} may answer directly as {twin}") from exc
        case UsbTarget(serial=serial):
            signer = await load_signer(settings)
            conn = UsbConnection(serial, signer, **_options(settings, connect_timeout_s, sleep))
            return await _connected(conn, settings, sleep)
        case SimTarget():  # pragma: no cover - open_device serves the sim itself
            raise DeviceConnectionError("the simulated phone is opened by open_device")


async def _first_ready(server: ServerAddress, settings: Settings) -> str:
    devices = await list_devices(server, settings.device.connect_timeout_s)
    ready = [d for d in devices if d.ready]
    if ready:
        return ready[0].serial
    if devices:
        raise DeviceConnectionError(state_advice(devices[0].serial, devices[0].state))
    raise DeviceConnectionError(f"the adb server at {server} lists no device")


@dataclass
class Discovery:
    """What answers on this machine: the adb server's devices, then the emulator ports."""

    server: ServerAddress
    server_devices: list[ServerDevice] | None = None  # None: no server answered
    server_error: str = ""
    #: Emulator adb ports on 127.0.0.1 not already listed by the server as a serial.
    direct: list[DirectTarget] = field(default_factory=list)

    def covered(self, target: DirectTarget) -> bool:
        """Whether the server lists the device at this direct address (then it is one device,
        and the server's route is the one to use: it may hold the device's adbd)."""
        return any(direct_twin(d.serial) == target for d in self.server_devices or ())


async def discover(settings: Settings, *, timeout_s: float = PROBE_TIMEOUT_S) -> Discovery:
    """Ask the adb server for its devices (if one runs); list the emulator ports it lacks."""
    found = Discovery(server_address(settings.device.adb_server))
    try:
        found.server_devices = await list_devices(found.server, timeout_s)
    except AdbServerError as exc:
        found.server_error = str(exc)
    ports = [DirectTarget("127.0.0.1", port) for port in DEFAULT_PORTS]
    found.direct = [t for t in ports if not found.covered(t)]
    return found


@contextlib.asynccontextmanager
async def open_device(
    settings: Settings,
    address: str | None = None,
    *,
    fallback_to_sim: bool = False,
    seed: int = 0,
    phone: PhoneLike | None = None,
    sleep: Sleep = asyncio.sleep,
) -> AsyncIterator[AdbDevice]:
    """Open the device `address` names (else `device.address`, else whatever answers)."""
    name = address or settings.device.address
    target = parse_target(name) if name is not None else None
    if isinstance(target, SimTarget):
        async with open_sim(settings, seed=seed, phone=phone, sleep=sleep) as sim:
            yield sim.device
        return
    if target is not None:
        device = await connect_target(target, settings, sleep=sleep)
    else:
        found = await _first_answering(settings, sleep)
        if isinstance(found, str):
            if not fallback_to_sim:
                raise NoDeviceError(found)
            async with open_sim(settings, seed=seed, phone=phone, sleep=sleep) as sim:
                yield sim.device
            return
        device = found
    try:
        yield device
    finally:
        await device.close()


async def _first_answering(settings: Settings, sleep: Sleep) -> AdbDevice | str:
    """The first device that answers, or one line saying what was tried."""
    found = await discover(settings)
    for entry in found.server_devices or ():
        if entry.ready:
            return await connect_target(ServerTarget(entry.serial), settings, sleep=sleep)
    probe = min(PROBE_TIMEOUT_S, settings.device.connect_timeout_s)
    for target in found.direct:
        with contextlib.suppress(DeviceConnectionError):
            return await connect_adb(str(target), settings, connect_timeout_s=probe, sleep=sleep)
    ports = f"{DEFAULT_PORTS[0]}-{DEFAULT_PORTS[-1]}"
    waiting = [state_advice(d.serial, d.state) for d in found.server_devices or ()]
    if waiting:
        server = f"the adb server's devices are not ready ({'; '.join(waiting)})"
    elif found.server_devices is not None:
        server = f"the adb server at {found.server} lists no device"
    else:
        server = f"no adb server answers at {found.server}"
    return (
        f"no device found: {server}, and nothing answered on 127.0.0.1 ports {ports}; "
        "connect a phone, start an emulator (see emulator/README.md), name a device "
        "(a serial, HOST:PORT), or use 'sim'"
    )


def new_sim_phone(seed: int) -> PhoneLike:
    """`artemis.sim.phone.Phone(seed=seed)`, imported only when the sim is asked for."""
    try:
        module = importlib.import_module("artemis.sim.phone")
    except ImportError as exc:
        raise DependencyMissingError(
            f"the simulated phone is not available in this installation: {exc}"
        ) from exc
    phone: PhoneLike = module.Phone(seed=seed)
    return phone


@dataclass(frozen=True, slots=True)
class SimSession:
    """The simulated phone's in-process server (its faults, its lock) and the device that
    drives it over ADB. The device itself knows nothing of the simulator."""

    server: SimServer
    device: AdbDevice


@contextlib.asynccontextmanager
async def open_sim(
    settings: Settings,
    *,
    seed: int = 0,
    phone: PhoneLike | None = None,
    sleep: Sleep = asyncio.sleep,
) -> AsyncIterator[SimSession]:
    """The simulated phone served in-process on a free loopback port, and a device on it."""
    from artemis.sim.server import SimServer

    if phone is None:
        phone = new_sim_phone(seed)
    async with SimServer(phone, host="127.0.0.1", port=0) as server:
        device = await connect_adb(server.address, settings, sleep=sleep, authenticate=False)
        try:
            yield SimSession(server, device)
        finally:
            await device.close()
