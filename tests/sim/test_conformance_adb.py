"""Conformance: Debian's `adb` binary (a client no one here wrote) drives the sim.

Each test has its own adb server (its own port and HOME), killed in teardown.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from PIL import Image

from artemis.sim.server import ThreadedSimServer
from tests.sim.adbtool import ADB, NO_ADB, Adb, adb_connected
from tests.sim.fake_phone import FakePhone

pytestmark = pytest.mark.skipif(ADB is None, reason=NO_ADB)


@pytest.fixture
def adb(threaded: ThreadedSimServer, tmp_path: Path) -> Iterator[Adb]:
    with adb_connected(threaded.address, tmp_path / "adbhome") as client:
        yield client


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
