"""Which emulators to run on, whether they are up, and where `adb` is.

An emulator started with `emulator -avd AndroidWorldAvd -no-snapshot -grpc 8554` listens on
its console port (5554, then 5556, 5558, ... for further emulators; adbd is the console port
+ 1) and on the gRPC port it was given. android_world needs both.
"""

from __future__ import annotations

import ipaddress
import os
import shutil
import socket
from dataclasses import dataclass
from pathlib import Path

from artemis.errors import BenchmarkError

DEFAULT_CONSOLE_PORT = 5554
DEFAULT_GRPC_PORT = 8554
START_HINT = (
    "start one with emulator/start.sh (emulator/create_avd.sh makes the AVD), or by hand: "
    "emulator -avd AndroidWorldAvd -no-snapshot -port {console} -grpc {grpc}"
)


@dataclass(frozen=True, slots=True)
class Emulator:
    """One emulator: its console port (adbd on the next port) and its gRPC port."""

    console_port: int
    grpc_port: int
    host: str = "127.0.0.1"

    @property
    def name(self) -> str:
        return f"emulator-{self.console_port}"

    def __str__(self) -> str:
        where = "" if is_loopback(self.host) else f" on {self.host}"
        return f"{self.name}{where} (gRPC {self.grpc_port})"


def _port(text: str, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise BenchmarkError(f"{what} {text!r} is not a port number") from None
    if not 1 <= value <= 65535:
        raise BenchmarkError(f"{what} {value} is out of range 1-65535")
    return value


def parse_emulators(
    spec: str | None,
    *,
    console_port: int = DEFAULT_CONSOLE_PORT,
    grpc_port: int = DEFAULT_GRPC_PORT,
) -> tuple[Emulator, ...]:
    """The emulators named by `--emulators`.

    - None: one emulator on `console_port` / `grpc_port`;
    - `N`: N emulators on console ports `console_port + 2i` and gRPC ports `grpc_port + i`;
    - `C:G,C:G,...`: these console:gRPC port pairs;
    - `HOST:C:G,...`: emulators of other machines, for a run on a Ray cluster (the actor of
      each runs on the node with that address); C:G and HOST:C:G may be mixed.
    """
    if spec is None or not spec.strip():
        emulators: tuple[Emulator, ...] = (
            Emulator(_port(str(console_port), "console port"), _port(str(grpc_port), "gRPC port")),
        )
    elif spec.strip().isdigit():
        n = int(spec)
        if not 1 <= n <= 64:
            raise BenchmarkError(f"--emulators {n}: give between 1 and 64 emulators")
        emulators = tuple(
            Emulator(
                _port(str(console_port + 2 * i), "console port"),
                _port(str(grpc_port + i), "gRPC port"),
            )
            for i in range(n)
        )
    else:
        pairs = []
        for item in spec.split(","):
            parts = item.strip().split(":")
            if len(parts) not in (2, 3) or not all(parts):
                raise BenchmarkError(
                    f"--emulators: {item.strip()!r} is not CONSOLE:GRPC or HOST:CONSOLE:GRPC "
                    "(for example 5554:8554,5556:8555), nor a count"
                )
            host = parts[0] if len(parts) == 3 else "127.0.0.1"
            console, grpc = parts[-2:]
            pairs.append(Emulator(_port(console, "console port"), _port(grpc, "gRPC port"), host))
        emulators = tuple(pairs)
    ports = [
        (e.host, p) for e in emulators for p in (e.console_port, e.console_port + 1, e.grpc_port)
    ]
    if len(set(ports)) != len(ports):
        raise BenchmarkError(
            "--emulators: ports overlap; each emulator needs its own console port, the port "
            "after it (adbd) and its own gRPC port"
        )
    return emulators


def is_loopback(host: str) -> bool:
    """True for this machine's own addresses by name (127.x, ::1, localhost)."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def port_open(host: str, port: int, timeout_s: float = 2.0) -> bool:
    """True when something accepts TCP connections on host:port."""
    try:
        with socket.create_connection((host, port), timeout=timeout_s):
            return True
    except OSError:
        return False


def check_emulators(emulators: tuple[Emulator, ...], timeout_s: float = 2.0) -> None:
    """Raise `BenchmarkError` naming every emulator that is not up, and how to start it."""
    problems = []
    for emu in emulators:
        if not port_open(emu.host, emu.console_port, timeout_s):
            problems.append(
                f"no emulator found on console port {emu.console_port}: "
                + START_HINT.format(console=emu.console_port, grpc=emu.grpc_port)
            )
        elif not port_open(emu.host, emu.grpc_port, timeout_s):
            problems.append(
                f"the emulator on console port {emu.console_port} does not serve gRPC on "
                f"port {emu.grpc_port}: restart it with -grpc {emu.grpc_port}"
            )
    if problems:
        raise BenchmarkError("\n".join(problems))


def find_adb(explicit: str | Path | None = None) -> str:
    """The adb binary android_world drives the emulator with.

    Looks at `explicit`, `$ANDROID_HOME` and `$ANDROID_SDK_ROOT`, the SDK's usual places,
    then `PATH`.
    """
    if explicit:
        path = Path(explicit).expanduser()
        if not path.is_file():
            raise BenchmarkError(f"--adb-path {path}: no such file")
        return str(path)
    candidates = [
        Path(root) / "platform-tools" / "adb"
        for var in ("ANDROID_HOME", "ANDROID_SDK_ROOT")
        if (root := os.environ.get(var))
    ]
    candidates += [
        Path.home() / "Android/Sdk/platform-tools/adb",
        Path.home() / "Library/Android/sdk/platform-tools/adb",
    ]
    for candidate in candidates:
        if candidate.is_file():
            return str(candidate)
    found = shutil.which("adb")
    if found:
        return found
    raise BenchmarkError(
        "adb not found: install the Android SDK platform-tools (they come with the emulator), "
        "set ANDROID_HOME, or pass --adb-path"
    )
