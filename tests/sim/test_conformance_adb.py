"""Conformance: Debian's `adb` binary (a client no one here wrote) drives the sim.

Each test has its own adb server (its own port and HOME), killed in teardown.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from PIL import Image

from artemis.sim.server import ThreadedSimServer
from tests.sim.fake_phone import FakePhone

ADB = shutil.which("adb")
pytestmark = pytest.mark.skipif(
    ADB is None, reason="Debian's adb is not installed (apt-get install adb)"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class Adb:
    env: dict[str, str]
    serial: str

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


@pytest.fixture
def adb(threaded: ThreadedSimServer, tmp_path: Path) -> Iterator[Adb]:
    home = tmp_path / "adbhome"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", ""),
        "HOME": str(home),
        "ANDROID_ADB_SERVER_PORT": str(_free_port()),
    }
    client = Adb(env, threaded.address)
    try:
        out = client("connect", threaded.address).stdout.decode()
        assert f"connected to {threaded.address}" in out, out
        yield client
    finally:
        client("kill-server", check=False, timeout=10)


def test_connect_lists_the_device(adb: Adb) -> None:
    out = adb("devices", "-l").stdout.decode()
    line = next(ln for ln in out.splitlines() if ln.startswith(adb.serial))
    assert "\tdevice" in line or " device " in line
    assert "model:sdk_gphone64_x86_64" in line


def test_shell_echo(adb: Adb) -> None:
    assert adb.sh("shell", "echo", "hello", "world").stdout == b"hello world\n"


def test_exit_codes_through_adb_shell(adb: Adb) -> None:
    assert adb.sh("shell", "exit 3", check=False).returncode == 3
    assert adb.sh("shell", "true").returncode == 0
    proc = adb.sh("shell", "no_such_tool", check=False)
    assert proc.returncode == 127
    assert b"/system/bin/sh: no_such_tool: inaccessible or not found" in proc.stderr


def test_exec_out_screencap_is_a_valid_png(adb: Adb) -> None:
    data = adb.sh("exec-out", "screencap", "-p").stdout
    img = Image.open(io.BytesIO(data))
    img.verify()
    assert img.size == (1080, 2400)


def test_uiautomator_dump_then_cat(adb: Adb, phone: FakePhone) -> None:
    out = adb.sh("shell", "uiautomator", "dump").stdout
    assert out == b"UI hierchary dumped to: /sdcard/window_dump.xml\n"
    xml = adb.sh("shell", "cat", "/sdcard/window_dump.xml").stdout.decode()
    assert xml == phone.ui_xml()


def test_push_and_pull(adb: Adb, phone: FakePhone, tmp_path: Path) -> None:
    payload = os.urandom(300_000)
    src = tmp_path / "up.bin"
    src.write_bytes(payload)
    adb.sh("push", str(src), "/sdcard/Download/up.bin")
    assert phone.fs.read("/sdcard/Download/up.bin") == payload
    dst = tmp_path / "down.bin"
    adb.sh("pull", "/sdcard/Download/up.bin", str(dst))
    assert dst.read_bytes() == payload
    missing = adb.sh("pull", "/sdcard/none.bin", str(tmp_path / "x"), check=False)
    assert missing.returncode != 0 and not (tmp_path / "x").exists()


def test_stdin_through_shell(adb: Adb) -> None:
    proc = adb("-s", adb.serial, "shell", "cat", stdin=b"piped in")
    assert proc.stdout == b"piped in"


def test_nothing_runs_on_the_host(adb: Adb, phone: FakePhone, tmp_path: Path) -> None:
    target = tmp_path / "host_file"
    adb.sh("shell", f"echo x > {target}; touch {target}; rm -rf {tmp_path}", check=False)
    assert not target.exists() and tmp_path.is_dir()
    adb.sh("shell", "touch /sdcard/made_on_phone")
    assert phone.fs.exists("/sdcard/made_on_phone")


def test_shell_without_a_command_reads_commands_from_stdin(adb: Adb) -> None:
    proc = adb("-s", adb.serial, "shell", stdin=b"echo hi\ngetprop ro.build.version.sdk\n")
    assert proc.stdout == b"hi\n33\n"
