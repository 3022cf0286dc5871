"""Driving Debian's `adb` in tests: each client has its own adb server (port and HOME)."""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

ADB = shutil.which("adb")
NO_ADB = "Debian's adb is not installed (apt-get install adb)"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Adb:
    env: dict[str, str]
    serial: str

    @property
    def port(self) -> int:
        """The port of this client's adb server."""
        return int(self.env["ANDROID_ADB_SERVER_PORT"])

    def __call__(
        self, *args: str, check: bool = True, stdin: bytes | None = None, timeout: float = 30
    ) -> subprocess.CompletedProcess[bytes]:
        assert ADB is not None
        proc = subprocess.run(
            [ADB, *args],
            env=self.env,
            input=stdin,
            stdin=None if stdin is not None else subprocess.DEVNULL,
            capture_output=True,
            timeout=timeout,
            check=False,
        )
        if check and proc.returncode != 0:
            raise AssertionError(f"adb {args} failed ({proc.returncode}): {proc.stderr!r}")
        return proc

    def sh(self, *args: str, check: bool = True) -> subprocess.CompletedProcess[bytes]:
        return self("-s", self.serial, *args, check=check)


@contextlib.contextmanager
def adb_server(home: Path, *, find_emulators: bool = False) -> Iterator[Adb]:
    """A private adb server (its own port and HOME), killed on the way out.

    An adb server adds whatever answers on 127.0.0.1:5555-5585 as `emulator-N`; unless asked
    to, it is kept from looking (a maximum port below the first), so that an emulator or a
    served phone elsewhere on the machine does not join the test's device list.
    """
    home.mkdir(parents=True, exist_ok=True)
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "ANDROID_ADB_SERVER_PORT": str(free_port()),
    }
    if not find_emulators:
        env["ADB_LOCAL_TRANSPORT_MAX_PORT"] = "5553"
    client = Adb(env, "")
    try:
        client("start-server")
        yield client
    finally:
        client("kill-server", check=False, timeout=10)


@contextlib.contextmanager
def adb_connected(address: str, home: Path) -> Iterator[Adb]:
    """`adb connect ADDRESS` with a private adb server, killed on the way out."""
    with adb_server(home) as server:
        client = Adb(server.env, address)
        out = client("connect", address).stdout.decode()
        assert f"connected to {address}" in out, out
        yield client
