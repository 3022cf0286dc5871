"""How a device is named (`--device`, `device.address`, `artemis devices` arguments).

- `sim`: the simulated phone, served in-process;
- `adb:SERIAL`: through the adb server, by serial (`adb` alone: its first ready device);
- `emulator-5554`, a USB serial, any other bare word: through the adb server, by serial;
- `HOST:PORT`, `[IPv6]:PORT`, an IP address (port 5555), `localhost`: directly to adbd over
  TCP, with no adb server or binary;
- `usb`, `usb:SERIAL`: directly over USB, with no adb server or binary (the `usb` extra).

A serial that looks like `HOST:PORT` (a device `adb connect` added) goes directly; write
`adb:HOST:PORT` to go through the server instead.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass

from artemis.errors import ConfigError

SIM = "sim"
DEFAULT_ADB_PORT = 5555
#: `emulator-5554` is the emulator whose console is port 5554; its adbd is on the next port.
_EMULATOR = re.compile(r"^emulator-(\d+)$")


@dataclass(frozen=True, slots=True)
class SimTarget:
    def __str__(self) -> str:
        return SIM


@dataclass(frozen=True, slots=True)
class DirectTarget:
    host: str
    port: int

    def __str__(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"


@dataclass(frozen=True, slots=True)
class ServerTarget:
    serial: str | None  # None: the server's first ready device

    def __str__(self) -> str:
        return f"adb:{self.serial}" if self.serial else "adb"


@dataclass(frozen=True, slots=True)
class UsbTarget:
    serial: str | None  # None: the first USB device in ADB mode

    def __str__(self) -> str:
        return f"usb:{self.serial}" if self.serial else "usb"


Target = SimTarget | DirectTarget | ServerTarget | UsbTarget


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
        return host, DEFAULT_ADB_PORT
    if not port_text.isdigit() or not 0 < int(port_text) < 65536:
        raise ConfigError(f"device address {address!r} has a bad port (expected HOST:PORT)")
    return host, int(port_text)


def _is_ip(text: str) -> bool:
    try:
        ipaddress.ip_address(text.strip("[]"))
    except ValueError:
        return False
    return True


def parse_target(name: str) -> Target:
    """What a device name means; `ConfigError` for one that means nothing."""
    text = name.strip()
    if not text:
        raise ConfigError("empty device name (expected a serial, adb:SERIAL, HOST:PORT or sim)")
    if text == SIM:
        return SimTarget()
    kind, sep, rest = text.partition(":")
    if kind in ("adb", "usb") and (sep or text == kind):
        rest = rest.strip()
        return ServerTarget(rest or None) if kind == "adb" else UsbTarget(rest or None)
    if text.startswith("[") or ":" in text or _is_ip(text) or text == "localhost":
        host, port = parse_address(text)
        return DirectTarget(host, port)
    return ServerTarget(text)


def direct_twin(serial: str) -> DirectTarget | None:
    """The direct address of a device the adb server lists, when its serial says it: an
    `adb connect`ed HOST:PORT, or `emulator-N` (adbd on port N+1 of this machine)."""
    m = _EMULATOR.match(serial)
    if m is not None:
        return DirectTarget("127.0.0.1", int(m.group(1)) + 1)
    try:
        target = parse_target(serial)
    except ConfigError:
        return None
    if isinstance(target, DirectTarget):
        host = "127.0.0.1" if target.host == "localhost" else target.host
        return DirectTarget(host, target.port)
    return None
