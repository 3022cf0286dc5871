"""`AdbDevice` end to end: adb-shell over TCP to the sim's adbd, in front of a fake phone."""

from __future__ import annotations

import io

import pytest
from PIL import Image

from artemis.actions import (
    Answer,
    ClearText,
    DoubleTap,
    ElementTarget,
    Finish,
    LongPress,
    Note,
    OpenApp,
    PointTarget,
    Press,
    Scroll,
    Swipe,
    Tap,
    TypeText,
    Wait,
)
from artemis.config import DeviceSettings, Settings
from artemis.device.adb import AdbDevice
from artemis.device.base import Device, ForegroundApp
from artemis.device.connect import connect_adb
from artemis.device.link import ShellResult
from artemis.errors import (
    DeviceCommandError,
    DeviceConnectionError,
    DeviceTimeoutError,
    TargetError,
    UnknownAppError,
)
from artemis.sim.server import SimServer
from tests.sim.conftest import FakeSleep
from tests.sim.fake_phone import FakePhone


def test_adb_device_satisfies_the_device_contract(device: AdbDevice) -> None:
    assert isinstance(device, Device)


async def test_observe(device: AdbDevice, phone: FakePhone) -> None:
    phone.launch("com.android.settings")
    phone.field_text = "hello"
    obs = await device.observe()
    assert (obs.width, obs.height) == (1080, 2400)
    img = Image.open(io.BytesIO(obs.screenshot))
    assert img.format == "PNG" and img.size == (1080, 2400)
    pixel = img.getpixel((500, 500))
    assert isinstance(pixel, tuple) and pixel[:3] == phone.color
    assert obs.ui is not None and len(obs.ui) == 4
    field = obs.ui[1]
    assert field.editable and field.focused and field.text == "hello"
    assert obs.ui[3].naf
    assert (obs.package, obs.activity) == ("com.android.settings", "com.android.settings.Settings")
    assert (await device.observe(with_ui=False)).ui is None


async def test_screenshot_auto_measures_both_and_keeps_the_faster(device: AdbDevice) -> None:
    assert device.screenshot_method is None
    png, w, h, blank = await device.screenshot()
    assert not blank
    assert (w, h) == (1080, 2400) and png.startswith(b"\x89PNG")
    assert set(device.screenshot_timings) == {"png", "raw"}
    fastest = min(device.screenshot_timings, key=device.screenshot_timings.__getitem__)
    assert device.screenshot_method == fastest


@pytest.mark.parametrize("method", ["png", "raw"])
async def test_each_screenshot_method_gives_the_same_image(
    server: SimServer, settings: Settings, method: str, phone: FakePhone
) -> None:
    settings.device.screenshot = method  # type: ignore[assignment]
    dev = await connect_adb(server.address, settings, authenticate=False)
    png, w, h, _ = await dev.screenshot()
    assert dev.screenshot_timings == {} and dev.screenshot_method == method
    img = Image.open(io.BytesIO(png))
    assert img.size == (w, h) == (1080, 2400)
    assert img.convert("RGB").getpixel((10, 10)) == phone.color
    await dev.close()


async def test_exit_codes_and_binary_output(device: AdbDevice) -> None:
    assert (await device.shell("true")).exit_code == 0
    assert (await device.shell("exit 42")).exit_code == 42
    result = await device.shell("nosuchcmd")
    assert result.exit_code == 127 and "inaccessible or not found" in result.text
    raw = await device.conn.exec_out("screencap")
    assert len(raw) == 16 + 1080 * 2400 * 4


async def test_output_cannot_forge_the_exit_status(device: AdbDevice) -> None:
    # A command that prints something shaped like a sentinel does not fool the parser.
    result = await device.shell("echo __artemis_exit_0000000000000000000000000000000=0; exit 5")
    assert result.exit_code == 5
    assert "__artemis_exit_0000" in result.text


async def test_actions_reach_the_phone(device: AdbDevice, phone: FakePhone) -> None:
    obs = await device.observe()
    ui = obs.ui
    await device.execute(Tap(target=PointTarget(x=100, y=200)), ui=ui)
    await device.execute(Tap(target=ElementTarget(index=2)), ui=ui)  # the OK button
    await device.execute(DoubleTap(target=PointTarget(x=7, y=8)))
    await device.execute(LongPress(target=PointTarget(x=50, y=60), duration_ms=900))
    await device.execute(
        Swipe(start=PointTarget(x=1, y=2), end=PointTarget(x=3, y=4), duration_ms=250)
    )
    assert phone.taps == [(100, 200), (290, 560), (7, 8), (7, 8)]
    assert phone.swipes == [(50, 60, 50, 60, 900), (1, 2, 3, 4, 250)]
    for key, code in [("back", 4), ("home", 3), ("enter", 66), ("app_switch", 187)]:
        await device.execute(Press(key=key))
        assert phone.keys[-1] == (code, False)


@pytest.mark.parametrize(
    ("direction", "swipe"),
    [
        ("down", (540, 1800, 540, 600)),  # reveal what is below: the finger moves up
        ("up", (540, 600, 540, 1800)),
        ("right", (810, 1200, 270, 1200)),
        ("left", (270, 1200, 810, 1200)),
    ],
)
async def test_scroll_directions(
    device: AdbDevice, phone: FakePhone, direction: str, swipe: tuple[int, ...]
) -> None:
    await device.execute(Scroll(direction=direction))
    assert phone.swipes[-1][:4] == swipe


async def test_scroll_anchored_on_an_element(device: AdbDevice, phone: FakePhone) -> None:
    ui = (await device.observe()).ui
    await device.execute(Scroll(direction="down", anchor=ElementTarget(index=0)), ui=ui)
    x1, y1, x2, y2, _ = phone.swipes[-1]
    assert x1 == x2 == 540 and y1 > y2


async def test_type_with_target_and_clear_first(device: AdbDevice, phone: FakePhone) -> None:
    phone.field_text = "old text"
    ui = (await device.observe()).ui
    await device.execute(
        TypeText(text="new value", target=ElementTarget(index=1), clear_first=True), ui=ui
    )
    assert phone.taps == [(540, 360)]
    assert phone.field_text == "new value"
    assert phone.keys[0] == (123, False)  # MOVE_END, then one DEL per character
    assert phone.keys[1:] == [(67, False)] * len("old text")


async def test_clear_text_of_the_focused_field(device: AdbDevice, phone: FakePhone) -> None:
    phone.field_text = "abc"
    ui = (await device.observe()).ui
    await device.execute(ClearText(), ui=ui)
    assert phone.field_text == ""
    assert phone.taps == []


async def test_non_ascii_through_the_clipboard(device: AdbDevice, phone: FakePhone) -> None:
    await device.type_text("h\u00e9llo \u4e16\u754c \U0001f600\nnext")
    assert phone.typed == "h\u00e9llo \u4e16\u754c \U0001f600\nnext"


async def test_non_ascii_through_adb_keyboard(
    server: SimServer, settings: Settings, phone: FakePhone
) -> None:
    settings.device.text_fallback = "adbkeyboard"
    dev = await connect_adb(server.address, settings, authenticate=False)
    await dev.type_text("\u00fcber 'quotes' $(x)")
    assert phone.typed == "\u00fcber 'quotes' $(x)"
    await dev.close()


async def test_open_app_by_label_and_package(device: AdbDevice, phone: FakePhone) -> None:
    assert await device.open_app("Pro Expense") == "com.arduia.expense"
    assert phone.foreground()[0] == "com.arduia.expense"
    await device.execute(OpenApp(app="clock"))
    assert phone.foreground()[0] == "com.android.deskclock"
    assert await device.open_app("net.gsantner.markor") == "net.gsantner.markor"
    assert await device.current_app() == ForegroundApp(
        "net.gsantner.markor", "net.gsantner.markor.activity.MainActivity"
    )
    with pytest.raises(UnknownAppError, match="did you mean 'settings'"):
        await device.open_app("Setings")
    with pytest.raises(UnknownAppError):
        await device.open_app("com.example.absent")


async def test_memory_only_actions_do_nothing_and_wait_uses_the_injected_sleep(
    device: AdbDevice, phone: FakePhone, fake_sleep: FakeSleep
) -> None:
    for action in (Note(text="x"), Answer(text="y"), Finish(status="success")):
        await device.execute(action)
    await device.execute(Wait(seconds=2.5))
    assert fake_sleep.calls == [2.5]
    assert phone.taps == phone.keys == phone.texts == []


async def test_bad_targets_raise_target_error(device: AdbDevice, phone: FakePhone) -> None:
    ui = (await device.observe()).ui
    with pytest.raises(TargetError, match="does not exist"):
        await device.execute(Tap(target=ElementTarget(index=99)), ui=ui)
    with pytest.raises(TargetError, match="no UI tree"):
        await device.execute(Tap(target=ElementTarget(index=0)), ui=None)
    with pytest.raises(TargetError, match="off the screen"):
        await device.execute(Tap(target=PointTarget(x=1080, y=5)), ui=ui)
    with pytest.raises(TargetError, match="off the screen"):
        await device.execute(Swipe(start=PointTarget(x=0, y=0), end=PointTarget(x=5, y=9999)))
    assert phone.taps == phone.swipes == []


async def test_screen_size_honours_the_override(device: AdbDevice) -> None:
    await device.shell("wm size 720x1600")
    assert await device.screen_size() == (720, 1600)


async def test_info(device: AdbDevice) -> None:
    info = await device.info()
    assert (info.model, info.android_version, info.sdk) == ("sdk_gphone64_x86_64", "13", 33)
    assert (info.width, info.height) == (1080, 2400)


# --- faults ---------------------------------------------------------------------------------


async def test_dropped_connection_mid_episode_reconnects_and_observes_again(
    device: AdbDevice, server: SimServer, phone: FakePhone
) -> None:
    await device.observe()
    assert server.drop_connections() == 1
    obs = await device.observe()
    assert obs.ui is not None and device.conn.connects == 2
    server.faults.drop_after(1)  # the next-but-one command drops its connection
    await device.execute(Tap(target=PointTarget(x=1, y=1)))
    await device.execute(Tap(target=PointTarget(x=2, y=2)))
    assert phone.taps == [(1, 1), (2, 2)]
    assert device.conn.connects == 3 and server.faults.drops == 1


async def test_a_device_that_stays_down_raises_connection_error(
    phone: FakePhone, settings: Settings
) -> None:
    async with SimServer(phone) as srv:
        dev = await connect_adb(srv.address, settings, authenticate=False, sleep=FakeSleep())
    with pytest.raises(DeviceConnectionError, match="cannot connect"):
        await dev.tap(1, 1)
    await dev.close()


async def test_hung_command_hits_the_deadline_and_the_device_recovers(
    server: SimServer, settings: Settings, phone: FakePhone
) -> None:
    settings.device.command_timeout_s = 0.3
    dev = await connect_adb(server.address, settings, authenticate=False)
    server.faults.hang(r"input tap", times=1)
    with pytest.raises(DeviceTimeoutError, match=r"did not finish within 0\.3 s"):
        await dev.tap(5, 5)
    await dev.tap(6, 6)
    assert phone.taps == [(6, 6)]
    await dev.close()


async def test_uiautomator_idle_state_is_retried_with_backoff(
    device: AdbDevice, server: SimServer, fake_sleep: FakeSleep
) -> None:
    server.faults.fail_uidump(2)
    ui = await device.ui_tree()
    assert ui is not None and len(ui) == 4
    assert fake_sleep.calls == [0.5, 1.0]


async def test_observe_without_a_tree_when_retries_run_out(
    device: AdbDevice, server: SimServer, fake_sleep: FakeSleep
) -> None:
    server.faults.fail_uidump(10)
    obs = await device.observe()
    assert obs.ui is None and obs.screenshot.startswith(b"\x89PNG")
    assert len(fake_sleep.calls) == device.settings.uidump_retries


async def test_hung_ui_dump_gives_an_observation_without_a_tree(
    server: SimServer, settings: Settings
) -> None:
    settings.device.uidump_timeout_s = 0.3
    dev = await connect_adb(server.address, settings, authenticate=False)
    server.faults.hang("uiautomator", times=1)
    obs = await dev.observe()
    assert obs.ui is None and obs.package == "com.android.launcher3"
    await dev.close()


async def test_open_app_reports_a_monkey_failure(device: AdbDevice, phone: FakePhone) -> None:
    phone.launch = lambda package: False  # type: ignore[method-assign]
    with pytest.raises(DeviceCommandError, match="could not open"):
        await device.open_app("settings")


class _TimedLink:
    """A link whose commands take chosen (fake) seconds: `costs[kind]` lists each call's."""

    address = "timed:5555"
    parallel = 1

    def __init__(self, costs: dict[str, list[float]], clock: list[float]) -> None:
        self.costs = costs
        self.clock = clock

    async def shell(self, cmd: str, **_: object) -> ShellResult:
        kind = "frame" if "md5sum" in cmd else "ui"
        costs = self.costs[kind]
        self.clock[0] += costs.pop(0) if len(costs) > 1 else costs[0]
        if kind == "frame":
            return ShellResult(b"0123456789abcdef0123456789abcdef  -\n", 0)
        return ShellResult(b"<?xml version='1.0' ?><hierarchy rotation=\"0\"></hierarchy>", 0)


@pytest.mark.parametrize(
    ("costs", "chosen"),
    [
        # A real phone: a UI dump takes seconds, a frame hash a fraction of one. The first
        # frame hash ran while the phone was busy: one timing alone would pick the dump.
        ({"frame": [4.0, 0.2], "ui": [1.5]}, "frame"),
        # The simulated phone: the dump is the cheap one, whatever one slow dump says.
        ({"frame": [0.04], "ui": [0.09, 0.003]}, "ui"),
    ],
)
async def test_auto_settle_signal_keeps_the_method_with_the_better_best_time(
    monkeypatch: pytest.MonkeyPatch, costs: dict[str, list[float]], chosen: str
) -> None:
    clock = [0.0]
    monkeypatch.setattr("artemis.device.adb.time.perf_counter", lambda: clock[0])
    timed = DeviceSettings(settle_quiet_dump=False)  # where one dump does not settle
    device = AdbDevice(_TimedLink(costs, clock), timed)  # type: ignore[arg-type]
    first = await device.screen_signal()
    assert device.signal_method == chosen and first.startswith(f"{chosen}:")
    assert set(device.signal_timings) == {"frame", "ui"}


async def test_auto_polls_the_ui_dump_without_timing_where_one_dump_settles() -> None:
    """The phone of the first case above: its frame hash is faster, but a settle by it takes
    two polls and then a dump for the observation, where one dump settles by itself."""
    clock = [0.0]
    device = AdbDevice(_TimedLink({"frame": [0.2], "ui": [1.5]}, clock))  # type: ignore[arg-type]
    first = await device.screen_signal()
    assert device.signal_method == "ui" and first.startswith("ui:")
    assert device.signal_timings == {} and clock == [1.5]  # one dump, no frame hashed


async def test_the_simulated_phone_is_polled_by_its_ui_dump(
    server: SimServer, settings: Settings
) -> None:
    settings.device.settle_quiet_dump = False
    dev = await connect_adb(server.address, settings, authenticate=False)
    try:
        await dev.screen_signal()
        assert dev.signal_method == "ui"
        assert dev.signal_timings["ui"] < dev.signal_timings["frame"]
    finally:
        await dev.close()


async def test_a_ui_dump_that_succeeded_was_read_on_a_still_screen(
    server: SimServer, settings: Settings
) -> None:
    """`uiautomator dump` waits for the screen to be still before it reads it: its
    fingerprint settles alone. A failed dump's, a frame's, or any with the setting off does
    not."""
    dev = await connect_adb(server.address, settings, authenticate=False)
    try:
        dumped = await dev.screen_signal()
        assert dumped.startswith("ui:") and dev.read_quiet(dumped)
        server.faults.fail_uidump(1)
        failed = await dev.screen_signal()
        assert failed.startswith("ui:unsettled:") and not dev.read_quiet(failed)
        dev.signal_method = "frame"
        frame = await dev.screen_signal()
        assert frame.startswith("frame:") and not dev.read_quiet(frame)
        dev.settings.settle_quiet_dump = False
        assert not dev.read_quiet(dumped)
    finally:
        await dev.close()


async def test_an_observation_after_a_ui_poll_reuses_its_dump(
    server: SimServer, settings: Settings, phone: FakePhone, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The settling poll read the UI dump; observing the screen it saw does not dump again,
    and gives the tree a fresh dump would."""
    settings.device.settle_signal = "ui"
    dev = await connect_adb(server.address, settings, authenticate=False)
    phone.launch("com.android.settings")
    sent: list[str] = []
    shell = dev.conn.shell

    async def recorded(cmd: str, **kwargs: object) -> ShellResult:
        sent.append(cmd)
        return await shell(cmd, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dev.conn, "shell", recorded)
    signal = await dev.screen_signal()
    polled = await dev.observe_polled(signal)
    assert sum("uiautomator" in c for c in sent) == 1
    fresh = await dev.observe()
    assert polled.ui == fresh.ui and polled.package == fresh.package == "com.android.settings"
    # A fingerprint of another poll (or of the frame) is not this dump: the tree is read anew.
    sent.clear()
    await dev.observe_polled("ui:" + "0" * 40)
    assert sum("uiautomator" in c for c in sent) == 1
    await dev.close()
