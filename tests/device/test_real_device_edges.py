"""What real devices do that a well-behaved one does not, produced by the simulated phone:
FLAG_SECURE screens, a LAST ANR block in `dumpsys window`, old Android's records, and a
connection that drops in the middle of a transfer."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from artemis.device.adb import AdbDevice
from artemis.device.base import ForegroundApp
from artemis.device.screenshot import blank_png
from artemis.sim.server import SimServer
from tests.sim.fake_phone import LAUNCHER, FakePhone

SETTINGS = "com.android.settings"


def _black(png: bytes) -> bool:
    with Image.open(io.BytesIO(png)) as img:
        bands = img.convert("RGB").getextrema()  # (low, high) per band for RGB
        return all(isinstance(band, tuple) and band[1] == 0 for band in bands)


@pytest.mark.parametrize("method", ["png", "raw"])
async def test_a_secure_window_gives_a_blank_marked_observation(
    device: AdbDevice, server: SimServer, phone: FakePhone, method: str
) -> None:
    device.screenshot_method = method  # type: ignore[assignment]
    server.ctx.windows.secure(LAUNCHER)
    obs = await device.observe()
    assert obs.blank and (obs.width, obs.height) == (1080, 2400)
    assert _black(obs.screenshot)
    assert obs.ui is not None and obs.package == LAUNCHER  # FLAG_SECURE hides no tree
    server.ctx.windows.secure(LAUNCHER, on=False)
    obs = await device.observe()
    assert not obs.blank
    with Image.open(io.BytesIO(obs.screenshot)) as img:
        assert img.convert("RGB").getpixel((5, 5)) == phone.color


async def test_a_screencap_that_answers_nothing_is_blank_too(
    device: AdbDevice, server: SimServer
) -> None:
    windows = server.ctx.windows
    windows.secure(LAUNCHER)
    windows.capture = "empty"
    obs = await device.observe()
    assert obs.blank and obs.screenshot == blank_png(1080, 2400)
    # Asked twice (a drop before the first byte looks the same through the adb server).
    assert device.screenshot_method is None  # nothing to measure: measured next time
    windows.secure(LAUNCHER, on=False)
    assert not (await device.observe()).blank and device.screenshot_method is not None


async def test_a_dark_screen_with_content_is_not_blank(device: AdbDevice, phone: FakePhone) -> None:
    phone.color = (1, 0, 0)  # nearly black, but not a black frame
    assert not (await device.observe()).blank


async def test_the_foreground_past_a_last_anr_block(
    device: AdbDevice, server: SimServer, phone: FakePhone
) -> None:
    phone.foreground_app = (SETTINGS, ".Settings")
    server.ctx.windows.record_anr("com.android.deskclock", ".DeskClock")
    dump = (await device.shell("dumpsys window")).text
    assert dump.startswith("WINDOW MANAGER LAST ANR") and "Last ANR continued" in dump
    assert dump.index("com.android.deskclock") < dump.index(SETTINGS)  # the stale one first
    assert await device.current_app() == ForegroundApp(SETTINGS, SETTINGS + ".Settings")


@pytest.mark.parametrize("sdk", ["16", "28", "30", "33"])
async def test_the_foreground_on_each_android_version(
    device: AdbDevice, server: SimServer, phone: FakePhone, sdk: str
) -> None:
    phone.props["ro.build.version.sdk"] = sdk
    phone.foreground_app = (SETTINGS, ".Settings")
    server.ctx.windows.record_anr(LAUNCHER, ".Launcher")
    window = (await device.shell("dumpsys window | grep mCurrentFocus")).text
    assert (" u0 " in window) == (sdk != "16")
    assert await device.current_app() == ForegroundApp(SETTINGS, SETTINGS + ".Settings")


@pytest.mark.parametrize("command", ["screencap", "uiautomator dump", "dumpsys window"])
async def test_a_drop_in_the_middle_of_a_transfer_is_retried(
    device: AdbDevice, server: SimServer, phone: FakePhone, command: str
) -> None:
    server.faults.cut(command, 200)
    obs = await device.observe()
    assert server.faults.drops == 1 and device.conn.connects == 2
    assert obs.screenshot == phone.screencap_png()
    assert obs.ui is not None and obs.package == LAUNCHER


async def test_a_device_that_keeps_dropping_mid_transfer_is_an_error(
    device: AdbDevice, server: SimServer
) -> None:
    from artemis.errors import DeviceConnectionError

    server.faults.cut("screencap", 1000, times=None)
    with pytest.raises(DeviceConnectionError, match=r"lost the connection .* during 'screencap"):
        await device.screenshot()
