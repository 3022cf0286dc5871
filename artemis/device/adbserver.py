"""The adb server route: the host protocol that `adb` itself speaks to its server.

Most users' devices appear through a running adb server (`adb devices`): USB phones, and
emulators as `emulator-5554`. Its protocol is small, so artemis speaks it over asyncio rather
than through a client library (the well-kept one, adbutils, is synchronous and starts an adb
server itself when none answers; here every call must have our deadline, and artemis must
never start programs of its own):

- A request is its length as 4 hex digits, then the request. The server answers `OKAY`, or
  `FAIL` with a 4-hex-digit length and a message.
- `host:devices-l` answers a length and text: one line per device, `SERIAL  STATE` then
  `key:value` fields (`product:`, `model:`, `device:`, `transport_id:`; `usb:` for USB).
- `host:transport:SERIAL` switches the socket to that device; the next request names a device
  service (`shell:CMD`, `exec:CMD`), and after its `OKAY` the socket carries the service's
  raw output until the server closes it.

The server is found as adb finds it: `ADB_SERVER_SOCKET` (`tcp:HOST:PORT`, `tcp:PORT`,
`localfilesystem:PATH`, `localabstract:NAME`), else `ANDROID_ADB_SERVER_ADDRESS` and
`ANDROID_ADB_SERVER_PORT`, else 127.0.0.1:5037; the `device.adb_server` setting comes first.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Unpack

from artemis.device.link import Link, LinkLost, LinkOptions, Service
from artemis.errors import AdbServerError, ConfigError, DeviceConnectionError

DEFAULT_PORT = 5037
READY = "device"
#: How often a device that is coming up (offline, authorising) is looked at again.
STATE_POLL_S = 0.25
_FIELD = re.compile(r"^(usb|product|model|device|transport_id):\S*$")


class ServerRefused(Exception):
    """The adb server answered FAIL; the message is the server's."""


@dataclass(frozen=True, slots=True)
class ServerAddress:
    """Where the adb server listens: TCP, or a Unix socket (`path`, abstract when `abstract`)."""

    host: str = "127.0.0.1"
    port: int = DEFAULT_PORT
    path: str | None = None
    abstract: bool = False

    def __str__(self) -> str:
        if self.path is not None:
            return f"{'localabstract' if self.abstract else 'localfilesystem'}:{self.path}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    async def open(self, timeout_s: float) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        try:
            if self.path is not None:
                path = "\0" + self.path if self.abstract else self.path
                coro = asyncio.open_unix_connection(path)
            else:
                coro = asyncio.open_connection(self.host, self.port)
            return await asyncio.wait_for(coro, timeout_s)
        except (OSError, TimeoutError) as exc:
            why = "nothing answers" if isinstance(exc, ConnectionRefusedError) else str(exc)
            raise AdbServerError(
                f"no adb server at {self} ({why or 'timed out'}); start one with "
                "`adb start-server`, or name the device by HOST:PORT to reach it directly"
            ) from exc


def _port(text: str, where: str) -> int:
    if not text.isdigit() or not 0 < int(text) < 65536:
        raise ConfigError(f"{where}: {text!r} is not a TCP port")
    return int(text)


def parse_server_spec(spec: str, where: str = "adb server") -> ServerAddress:
    """`tcp:HOST:PORT`, `tcp:PORT`, `HOST:PORT`, `localfilesystem:PATH`, `localabstract:NAME`."""
    kind, sep, rest = spec.strip().partition(":")
    if sep and kind in ("localfilesystem", "local") and rest:
        return ServerAddress(path=rest)
    if sep and kind == "localabstract" and rest:
        return ServerAddress(path=rest, abstract=True)
    body = rest if sep and kind == "tcp" else spec.strip()
    host, colon, port = body.rpartition(":")
    if not colon:
        return ServerAddress(port=_port(body, where))
    host = host.strip("[]") or "127.0.0.1"
    return ServerAddress(host="127.0.0.1" if host == "localhost" else host, port=_port(port, where))


def server_address(setting: str | None, env: Mapping[str, str] | None = None) -> ServerAddress:
    """The adb server to ask: the setting, else adb's own environment variables."""
    env = os.environ if env is None else env
    if setting:
        return parse_server_spec(setting, "device.adb_server")
    if env.get("ADB_SERVER_SOCKET"):
        return parse_server_spec(env["ADB_SERVER_SOCKET"], "ADB_SERVER_SOCKET")
    port = env.get("ANDROID_ADB_SERVER_PORT")
    return ServerAddress(
        host=env.get("ANDROID_ADB_SERVER_ADDRESS") or "127.0.0.1",
        port=_port(port, "ANDROID_ADB_SERVER_PORT") if port else DEFAULT_PORT,
    )


# --- the protocol ------------------------------------------------------------------------------


async def _send(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: str) -> None:
    """Send one request and read its OKAY; `ServerRefused` on FAIL."""
    payload = request.encode()
    writer.write(b"%04x" % len(payload) + payload)
    await writer.drain()
    status = await reader.readexactly(4)
    if status == b"OKAY":
        return
    if status != b"FAIL":
        raise ServerRefused(f"the adb server answered {status!r} to {request!r}")
    raise ServerRefused(await _read_block(reader))


async def _read_block(reader: asyncio.StreamReader) -> str:
    """A 4-hex-digit length, then that many bytes of text."""
    head = await reader.readexactly(4)
    try:
        size = int(head, 16)
    except ValueError as exc:
        raise ServerRefused(f"the adb server sent a bad length {head!r}") from exc
    return (await reader.readexactly(size)).decode("utf-8", "replace")


async def _close(writer: asyncio.StreamWriter) -> None:
    writer.close()
    with contextlib.suppress(OSError, TimeoutError):
        await asyncio.wait_for(writer.wait_closed(), 1.0)


async def host_query(address: ServerAddress, request: str, timeout_s: float) -> str:
    """A `host:` request that answers one block of text (`host:devices-l`, `host:version`)."""

    async def query() -> str:
        reader, writer = await address.open(timeout_s)
        try:
            await _send(reader, writer, request)
            return await _read_block(reader)
        finally:
            await _close(writer)

    try:
        return await asyncio.wait_for(query(), timeout_s)
    except (ServerRefused, asyncio.IncompleteReadError, OSError, TimeoutError) as exc:
        raise AdbServerError(f"the adb server at {address} failed {request!r}: {exc}") from exc


@dataclass(frozen=True, slots=True)
class ServerDevice:
    """One line of `adb devices -l`."""

    serial: str
    state: str
    product: str = ""
    model: str = ""
    device: str = ""
    transport_id: str = ""
    usb: str = ""

    @property
    def ready(self) -> bool:
        return self.state == READY


def parse_devices(text: str) -> list[ServerDevice]:
    """`host:devices-l` text. The state may hold spaces (`no permissions (...)`), so the
    `key:value` fields are taken from the end of the line and the state is what is left."""
    out = []
    for line in text.splitlines():
        parts = line.split()
        if len(parts) < 2:
            continue
        fields: dict[str, str] = {}
        rest = parts[1:]
        while len(rest) > 1 and _FIELD.match(rest[-1]):
            key, _, value = rest.pop().partition(":")
            fields[key] = value
        out.append(ServerDevice(parts[0], " ".join(rest), **fields))
    return out


async def list_devices(address: ServerAddress, timeout_s: float) -> list[ServerDevice]:
    return parse_devices(await host_query(address, "host:devices-l", timeout_s))


def state_advice(serial: str, state: str) -> str:
    """One line: what a device in `state` needs before it can be used."""
    if state == "unauthorized":
        return (
            f"device {serial} is unauthorized: unlock it and accept the 'Allow USB debugging?' "
            "prompt on its screen (if none shows, revoke USB debugging authorisations in "
            "Developer options and plug it in again)"
        )
    if state in ("offline", "connecting", "authorizing"):
        return (
            f"device {serial} is {state}: wait for it to finish booting, or reconnect it "
            "(`adb reconnect`, or plug the cable in again; for an emulator, restart it)"
        )
    if state.startswith("no permissions"):
        return (
            f"device {serial} has no permissions: add a udev rule for it and put your user "
            "in the plugdev group, then plug it in again"
        )
    return f"device {serial} is in state '{state}', not 'device': boot it into Android"


def unknown_serial(serial: str, address: ServerAddress, devices: list[ServerDevice]) -> str:
    there = ", ".join(f"{d.serial} ({d.state})" for d in devices) or "none"
    return f"no device {serial!r} on the adb server at {address}; its devices: {there}"


class ServerConnection(Link):
    """A device the adb server knows, by serial. Each call is a socket of its own, so calls
    run side by side (the server multiplexes them onto the device's transport)."""

    route = "adb server"
    parallel = 4  # observe's screencap, UI dump and dumpsys, and a settle poll or app list

    def __init__(
        self,
        serial: str,
        server: ServerAddress,
        **options: Unpack[LinkOptions],
    ) -> None:
        super().__init__(**options)
        self.serial = serial
        self.server = server
        self._ready = False
        self.entry: ServerDevice | None = None  # the server's line about it, when last seen

    @property
    def address(self) -> str:
        return self.serial

    @property
    def connected(self) -> bool:
        return self._ready

    async def _open(self) -> None:
        """Ready when the server lists the serial as `device`; a device coming up (offline,
        authorising, unauthorized while its prompt is shown) is waited for, up to the
        connect timeout (counted in polls, so that an injected sleep bounds it too)."""
        polls = max(1, math.ceil(self.connect_timeout_s / STATE_POLL_S))
        for poll in range(polls + 1):
            if poll:
                await self._sleep(STATE_POLL_S)
            devices = await list_devices(self.server, self.connect_timeout_s)
            entry = next((d for d in devices if d.serial == self.serial), None)
            if entry is None:
                raise DeviceConnectionError(unknown_serial(self.serial, self.server, devices))
            self.entry = entry
            if entry.ready:
                self._ready = True
                return
        state = self.entry.state if self.entry is not None else "offline"
        raise DeviceConnectionError(state_advice(self.serial, state))

    async def _drop(self) -> None:
        self._ready = False

    async def _run(self, service: Service, cmd: str, timeout_s: float) -> bytes:
        try:
            reader, writer = await self.server.open(timeout_s)
        except AdbServerError as exc:
            raise LinkLost(str(exc)) from exc
        try:
            await _send(reader, writer, f"host:transport:{self.serial}")
            await _send(reader, writer, f"{service}:{cmd}")
            return await reader.read()
        except (ServerRefused, asyncio.IncompleteReadError, OSError) as exc:
            raise LinkLost(str(exc) or type(exc).__name__) from exc
        finally:
            await _close(writer)
