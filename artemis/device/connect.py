"""Opening a device from settings: an address, the simulated phone, or whatever answers.

    async with open_device(settings, "127.0.0.1:5555") as device: ...
    async with open_device(settings, "sim") as device: ...   # the simulated phone, in-process
    async with open_sim(settings) as sim: ...   # the same, with its server: sim.server, sim.device

With no address (neither given nor in `device.address`), the default emulator adb ports on
localhost (5555, 5557, ... 5585) are tried in turn; the simulated phone is used only when the
caller asks for that fallback.
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib
from collections.abc import AsyncIterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.connection import AdbConnection, Sleep
from artemis.device.keys import load_signer
from artemis.errors import ConfigError, DependencyMissingError, DeviceConnectionError

if TYPE_CHECKING:
    from artemis.sim.contract import PhoneLike
    from artemis.sim.server import SimServer

SIM = "sim"
#: adb ports of emulators 5554, 5556, ... 5584 (console port + 1).
DEFAULT_PORTS = tuple(range(5555, 5586, 2))
PROBE_TIMEOUT_S = 2.0


def parse_address(address: str) -> tuple[str, int]:
    """`HOST:PORT`, `[IPv6]:PORT` or `HOST` (port 5555)."""
    text = address.strip()
    if text.startswith("["):
        host, sep, rest = text[1:].partition("]")
        port_text = rest.removeprefix(":") if sep else ""
    elif text.count(":") == 1:
        host, port_text = text.split(":")
    else:
        host, port_text = text, ""
    if not host:
        raise ConfigError(f"device address {address!r} has no host (expected HOST:PORT)")
    if not port_text:
        return host, 5555
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"device address {address!r} has a bad port (expected HOST:PORT)")
    return host, int(port_text)


async def connect_adb(
    address: str,
    settings: Settings,
    *,
    connect_timeout_s: float | None = None,
    sleep: Sleep = asyncio.sleep,
    authenticate: bool = True,
) -> AdbDevice:
    """An `AdbDevice` connected to `address`; `DeviceConnectionError` when it cannot be."""
    host, port = parse_address(address)
    signer = await load_signer(settings) if authenticate else None
    dev = settings.device
    conn = AdbConnection(
        host,
        port,
        signer,
        connect_timeout_s=connect_timeout_s or dev.connect_timeout_s,
        command_timeout_s=dev.command_timeout_s,
        reconnect_attempts=dev.reconnect_attempts,
        sleep=sleep,
    )
    await conn.connect()
    return AdbDevice(conn, dev, sleep=sleep)


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
    """Open the device `address` names (else `device.address`, else a local emulator)."""
    target = address or settings.device.address
    if target == SIM:
        async with open_sim(settings, seed=seed, phone=phone, sleep=sleep) as sim:
            yield sim.device
        return
    if target is not None:
        device = await connect_adb(target, settings, sleep=sleep)
    else:
        found = await _first_local_emulator(settings, sleep)
        if found is None:
            if not fallback_to_sim:
                ports = f"{DEFAULT_PORTS[0]}-{DEFAULT_PORTS[-1]}"
                raise DeviceConnectionError(
                    f"no device answered on 127.0.0.1 ports {ports}; start an emulator "
                    "(see emulator/README.md), give an address (HOST:PORT), or use 'sim'"
                )
            async with open_sim(settings, seed=seed, phone=phone, sleep=sleep) as sim:
                yield sim.device
            return
        device = found
    try:
        yield device
    finally:
        await device.close()


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


async def _first_local_emulator(settings: Settings, sleep: Sleep) -> AdbDevice | None:
    for port in DEFAULT_PORTS:
        try:
            return await connect_adb(
                f"127.0.0.1:{port}",
                settings,
                connect_timeout_s=min(PROBE_TIMEOUT_S, settings.device.connect_timeout_s),
                sleep=sleep,
            )
        except DeviceConnectionError:
            continue
    return None


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
