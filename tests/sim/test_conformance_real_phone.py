"""Conformance with the real simulated phone (`artemis.sim.phone.Phone`) behind the server:
Debian's `adb` and adb-shell see a Pixel 6 whose screen, tree and state agree."""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from adb_shell.adb_device import AdbDeviceTcp
from adb_shell.adb_device_async import AdbDeviceTcpAsync
from PIL import Image

from artemis.device.parsing import parse_foreground
from artemis.device.uiautomator import parse_ui_xml
from artemis.sim.phone import Phone
from artemis.sim.server import SimServer, ThreadedSimServer
from tests.sim.adbtool import ADB, NO_ADB, Adb, adb_connected

APPS = {
    "Settings": "com.android.settings",
    "Contacts": "com.android.contacts",
    "Clock": "com.android.deskclock",
    "Markor": "net.gsantner.markor",
    "Messages": "com.android.messaging",
    "Calendar": "com.android.calendar",
    "Files": "com.android.documentsui",
    "Pro Expense": "com.arduia.expense",
}


@pytest.fixture
def pixel() -> Phone:
    return Phone(seed=0)


@pytest.fixture
def served(pixel: Phone) -> Iterator[ThreadedSimServer]:
    with ThreadedSimServer(pixel) as srv:
        yield srv


@pytest.fixture
def adb(served: ThreadedSimServer, tmp_path: Path) -> Iterator[Adb]:
    if ADB is None:
        pytest.skip(NO_ADB)
    with adb_connected(served.address, tmp_path / "adbhome") as client:
        yield client


def test_adb_sees_a_pixel_6(adb: Adb) -> None:
    out = adb("devices", "-l").stdout.decode()
    assert f"{adb.serial}" in out and "model:Pixel_6" in out and "device:oriole" in out
    assert adb.sh("shell", "getprop", "ro.build.version.sdk").stdout == b"33\n"


def test_adb_screencap_is_the_phones_screen(adb: Adb, pixel: Phone) -> None:
    data = adb.sh("exec-out", "screencap", "-p").stdout
    img = Image.open(io.BytesIO(data))
    assert img.size == (1080, 2400)
    assert data == pixel.screencap_png()


def test_adb_tree_is_truthful_and_taps_land(adb: Adb, pixel: Phone) -> None:
    assert adb.sh("shell", "uiautomator", "dump").stdout.startswith(b"UI hierchary dumped to: ")
    xml = adb.sh("shell", "cat", "/sdcard/window_dump.xml").stdout.decode()
    ui = parse_ui_xml(xml)
    labels = {e.text: e for e in ui if e.text}
    assert set(APPS) <= set(labels)
    for e in ui:
        assert 0 <= e.bounds.x1 <= e.bounds.x2 <= 1080 and 0 <= e.bounds.y1 <= e.bounds.y2 <= 2400
    x, y = labels["Clock"].bounds.center
    adb.sh("shell", "input", "tap", str(x), str(y))
    fg = parse_foreground(adb.sh("shell", "dumpsys", "window").stdout.decode())
    assert fg is not None and fg.package == "com.android.deskclock"
    assert pixel.foreground()[0] == "com.android.deskclock"


def test_adb_monkey_am_and_exit_codes(adb: Adb) -> None:
    out = adb.sh("shell", "monkey -p com.android.settings -c android.intent.category.LAUNCHER 1")
    assert b"Events injected: 1" in out.stdout
    act = adb.sh("shell", "dumpsys activity activities").stdout.decode()
    assert "topResumedActivity=" in act and "com.android.settings/" in act
    assert adb.sh("shell", "am start -n com.android.contacts/.Bogus", check=False).returncode == 1
    assert adb.sh("shell", "settings put system screen_brightness 42").returncode == 0
    assert adb.sh("shell", "settings get system screen_brightness").stdout == b"42\n"


def test_adb_push_pull_through_the_phones_files(adb: Adb, pixel: Phone, tmp_path: Path) -> None:
    payload = os.urandom(70_000)
    src = tmp_path / "note.bin"
    src.write_bytes(payload)
    adb.sh("push", str(src), "/sdcard/Download/note.bin")
    assert pixel.fs.read("/sdcard/Download/note.bin") == payload
    listing = adb.sh("shell", "ls", "/sdcard").stdout.decode().split()
    assert {"Download", "DCIM"} <= set(listing)
    dst = tmp_path / "back.bin"
    adb.sh("pull", "/sdcard/Download/note.bin", str(dst))
    assert dst.read_bytes() == payload


def test_adb_shell_sync_client(served: ThreadedSimServer, pixel: Phone) -> None:
    dev = AdbDeviceTcp("127.0.0.1", served.port, default_transport_timeout_s=10)
    assert dev.connect(read_timeout_s=10)
    assert dev.shell("getprop ro.product.model") == "Pixel 6\n"
    png = dev.exec_out("screencap -p", decode=False)
    assert Image.open(io.BytesIO(png)).size == (1080, 2400)
    dev.push(io.BytesIO(b"# Groceries\n- milk\n"), "/sdcard/Documents/groceries.md")
    assert pixel.fs.read("/sdcard/Documents/groceries.md") == b"# Groceries\n- milk\n"
    out = io.BytesIO()
    dev.pull("/sdcard/Documents/groceries.md", out)
    assert out.getvalue() == b"# Groceries\n- milk\n"
    dev.close()


async def test_adb_shell_async_client(pixel: Phone) -> None:
    async with SimServer(pixel) as srv:
        dev = AdbDeviceTcpAsync("127.0.0.1", srv.port, default_transport_timeout_s=10)
        assert await dev.connect(read_timeout_s=10)
        assert await dev.shell("input keyevent 3; dumpsys window | grep -c mCurrentFocus") == "1\n"
        raw = await dev.exec_out("screencap", decode=False)
        assert len(raw) == 16 + 1080 * 2400 * 4
        await dev.close()
