"""The simulated phone's window manager: `dumpsys window` sections, a last ANR, old Android,
FLAG_SECURE screens, and a transfer cut short by a dropped connection."""

from __future__ import annotations

import io
import re

import pytest
from PIL import Image

from artemis.sim.server import SimServer
from artemis.sim.transport import A_WRTE, Packet
from tests.sim.fake_phone import LAUNCHER, FakePhone
from tests.sim.rawclient import RawClient

HEADERS = [
    "WINDOW MANAGER LAST ANR (dumpsys window lastanr)",
    "WINDOW MANAGER POLICY STATE (dumpsys window policy)",
    "WINDOW MANAGER DISPLAY CONTENTS (dumpsys window displays)",
    "WINDOW MANAGER WINDOWS (dumpsys window windows)",
]


async def _sh(server: SimServer, cmd: str) -> str:
    client = await RawClient.connect(server.port)
    try:
        return (await client.run(f"shell:{cmd}")).decode()
    finally:
        await client.close()


async def test_dumpsys_window_prints_its_sections_in_order(server: SimServer) -> None:
    out = await _sh(server, "dumpsys window")
    assert [line for line in out.splitlines() if line.startswith("WINDOW MANAGER")] == HEADERS
    assert "  <no ANR has occurred since boot>\n" in out
    assert out.count("mCurrentFocus=") == 1  # Android 10+: in the display's dump only
    windows = await _sh(server, "dumpsys window windows")
    assert windows.startswith(HEADERS[3]) and HEADERS[0] not in windows


@pytest.mark.parametrize(("sdk", "continued"), [("33", True), ("30", False)])
async def test_a_last_anr_comes_first_with_the_focus_of_its_moment(
    server: SimServer, phone: FakePhone, sdk: str, continued: bool
) -> None:
    phone.props["ro.build.version.sdk"] = sdk
    server.ctx.windows.record_anr("com.android.deskclock", ".DeskClock")
    out = await _sh(server, "dumpsys window")
    anr, live = out.split(HEADERS[1])
    assert "Application at fault: ActivityRecord{" in anr and "com.android.deskclock" in anr
    assert ("Last ANR continued\n" + HEADERS[2] in anr) is continued
    assert "com.android.deskclock" not in live and LAUNCHER in live


async def test_old_android_names_windows_without_a_user(
    server: SimServer, phone: FakePhone
) -> None:
    phone.props["ro.build.version.sdk"] = "16"
    out = await _sh(server, "dumpsys window windows | grep -E 'mCurrentFocus|mFocusedApp'")
    focus, app = out.splitlines()
    assert re.fullmatch(
        r"  mCurrentFocus=Window\{[0-9a-f]+ com\.android\.launcher3/"
        r"com\.android\.launcher3\.Launcher paused=false\}",
        focus,
    )
    assert re.fullmatch(
        r"  mFocusedApp=AppWindowToken\{[0-9a-f]+ token=Token\{[0-9a-f]+ "
        r"ActivityRecord\{[0-9a-f]+ com\.android\.launcher3/\.Launcher\}\}\}",
        app,
    )


@pytest.mark.parametrize("capture", ["black", "empty"])
async def test_a_secure_window_cannot_be_captured(
    server: SimServer, phone: FakePhone, capture: str
) -> None:
    server.ctx.windows.secure(LAUNCHER)
    server.ctx.windows.capture = capture  # type: ignore[assignment]
    client = await RawClient.connect(server.port)
    png = await client.run("exec:screencap -p")
    raw = await client.run("exec:screencap")
    await client.close()
    if capture == "empty":
        assert png == raw == b""
        return
    with Image.open(io.BytesIO(png)) as img:
        assert img.size == (1080, 2400) and img.convert("RGB").getextrema() == ((0, 0),) * 3
    assert len(raw) == 16 + 1080 * 2400 * 4 and set(raw[16:20]) == {0, 255}
    assert phone.ui_xml() in await _sh(server, "uiautomator dump; cat /sdcard/window_dump.xml")


async def test_a_cut_sends_part_of_the_output_then_drops_the_connection(
    server: SimServer,
) -> None:
    server.faults.cut("screencap", 1000)
    client = await RawClient.connect(server.port)
    local, remote = await client.open("exec:screencap -p")
    got = bytearray()
    while True:
        try:
            p = await client.recv()
        except (ConnectionError, EOFError, OSError):
            break
        if p.command != A_WRTE:
            break
        got += p.data
        await client.send(Packet(0x59414B4F, local, remote))  # OKAY
    assert len(got) == 1000 and got.startswith(b"\x89PNG")
    assert server.faults.drops == 1
    again = await RawClient.connect(server.port)
    assert len(await again.run("exec:screencap -p")) > 1000  # once only
    await again.close()
