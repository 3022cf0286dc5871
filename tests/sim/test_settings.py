"""Settings: the UI, `settings get/put` and the typed state agree."""

from __future__ import annotations

import pytest

from artemis.sim.phone import Phone
from tests.sim.helpers import has_text, node, nodes, open_app, pixel, pixels, scroll_down, tap_node


@pytest.fixture
def phone() -> Phone:
    p = Phone(seed=3)
    open_app(p, "Settings")
    return p


def wifi_switch_checked(phone: Phone) -> bool:
    row = node(phone, "Wi-Fi")
    switch = next(
        n for n in nodes(phone)
        if n.attrs["class"] == "android.widget.Switch" and n.bounds[1] < row.bounds[3]
        and n.bounds[3] > row.bounds[1]
    )  # fmt: skip
    assert switch.flag("checkable")
    return switch.flag("checked")


def status_icons(phone: Phone) -> list[str]:
    bar = phone.frame().window("status")
    assert bar is not None
    return [v.desc for v in bar.root.walk() if v.icon]


def test_a_new_phone_has_wifi_off_everywhere(phone: Phone) -> None:
    assert phone.state.settings.wifi is False
    assert phone.settings_get("global", "wifi_on") == "0"
    assert "Wifi signal full." not in status_icons(phone)
    tap_node(phone, "Network & internet")
    assert node(phone, "Internet").text == "Internet"
    assert has_text(phone, "Off")  # the Internet row's summary
    assert not has_text(phone, "AndroidWifi")
    tap_node(phone, "Internet")
    assert not wifi_switch_checked(phone)
    assert has_text(phone, "To see available networks, turn Wi-Fi on")


def test_wifi_toggle_through_the_ui(phone: Phone) -> None:
    tap_node(phone, "Network & internet")
    tap_node(phone, "Internet")
    tap_node(phone, "Wi-Fi")
    assert phone.state.settings.wifi is True
    assert phone.settings_get("global", "wifi_on") == "1"
    assert wifi_switch_checked(phone)
    assert node(phone, "AndroidWifi").text == "AndroidWifi"
    assert has_text(phone, "Connected")
    assert "Wifi signal full." in status_icons(phone)
    phone.keyevent(4)
    assert has_text(phone, "AndroidWifi")  # the Internet row's summary
    tap_node(phone, "Internet")
    tap_node(phone, "Wi-Fi")
    assert phone.settings_get("global", "wifi_on") == "0"
    assert not wifi_switch_checked(phone)
    assert not has_text(phone, "AndroidWifi")


def test_settings_put_and_svc_show_in_the_ui(phone: Phone) -> None:
    phone.start_activity("com.android.settings", ".Settings$WifiSettingsActivity")
    phone.settings_put("global", "wifi_on", "1")
    assert wifi_switch_checked(phone)
    phone.set_wifi(False)
    assert not wifi_switch_checked(phone)


def test_the_status_bar_shows_wifi(phone: Phone) -> None:
    # The Wi-Fi icon sits left of the signal and battery icons.
    off = phone.screenshot().crop((600, 0, 1080, 110)).tobytes()
    phone.set_wifi(True)
    on = phone.screenshot().crop((600, 0, 1080, 110)).tobytes()
    assert on != off


def test_airplane_mode_turns_radios_off_and_back_on(phone: Phone) -> None:
    phone.state.settings.wifi = True
    phone.state.settings.bluetooth = True
    tap_node(phone, "Network & internet")
    tap_node(phone, "Airplane mode")
    s = phone.state.settings
    assert (s.airplane_mode, s.wifi, s.bluetooth) == (True, False, False)
    assert phone.settings_get("global", "airplane_mode_on") == "1"
    assert has_text(phone, "Airplane mode")
    tap_node(phone, "Airplane mode")
    assert (s.airplane_mode, s.wifi, s.bluetooth) == (False, True, True)


def test_bluetooth_is_under_connection_preferences(phone: Phone) -> None:
    tap_node(phone, "Connected devices")
    tap_node(phone, "Connection preferences")
    assert node(phone, "Bluetooth").text == "Bluetooth"
    assert has_text(phone, "Off")
    tap_node(phone, "Bluetooth")
    tap_node(phone, "Use Bluetooth")
    assert phone.state.settings.bluetooth is True
    assert phone.settings_get("global", "bluetooth_on") == "1"
    assert has_text(phone, "Device name")


def test_brightness_dialog_sets_the_level(phone: Phone) -> None:
    tap_node(phone, "Display")
    tap_node(phone, "Brightness level")
    # The dialog is its own window: the dump shows only it.
    assert has_text(phone, "Done")
    assert not has_text(phone, "Screen timeout")
    bar = node(phone, desc="Display brightness")
    x1, _, x2, _ = bar.bounds
    phone.tap(x2 - 40, bar.center[1])
    assert phone.state.settings.brightness == 255
    assert phone.settings_get("system", "screen_brightness") == "255"
    assert has_text(phone, "100%")
    phone.swipe(x2 - 40, bar.center[1], x1 + 40, bar.center[1], 300)
    assert phone.state.settings.brightness == 0
    tap_node(phone, "Done")
    assert has_text(phone, "0%")


def test_tapping_outside_a_dialog_dismisses_it(phone: Phone) -> None:
    tap_node(phone, "Display")
    tap_node(phone, "Brightness level")
    phone.tap(540, 300)
    assert has_text(phone, "Screen timeout")


def test_dialog_dims_the_screen_behind_it(phone: Phone) -> None:
    tap_node(phone, "Display")
    before = pixel(phone, 540, 300)
    tap_node(phone, "Brightness level")
    after = pixel(phone, 540, 300)
    assert sum(after) < sum(before)


def test_screen_timeout_radio_buttons(phone: Phone) -> None:
    phone.settings_put("system", "screen_off_timeout", "60000")
    tap_node(phone, "Display")
    assert has_text(phone, "After 1 minute of inactivity")
    tap_node(phone, "Screen timeout")
    checked = [n.text for n in nodes(phone) if n.flag("checked")]
    assert checked == ["1 minute"]
    tap_node(phone, "5 minutes")
    assert phone.settings_get("system", "screen_off_timeout") == "300000"
    assert [n.text for n in nodes(phone) if n.flag("checked")] == ["5 minutes"]


def test_dark_theme_and_adaptive_brightness_switches(phone: Phone) -> None:
    tap_node(phone, "Display")
    tap_node(phone, "Dark theme")
    assert phone.settings_get("secure", "ui_night_mode") == "2"
    tap_node(phone, "Adaptive brightness")
    assert phone.settings_get("system", "screen_brightness_mode") == "1"


def test_about_phone_below_the_fold(phone: Phone) -> None:
    assert not has_text(phone, "About phone")
    for _ in range(4):
        scroll_down(phone)
    tap_node(phone, "About phone")
    assert has_text(phone, "Pixel 6")
    tap_node(phone, "Android version")
    assert has_text(phone, "13")


def test_search_raises_the_keyboard_and_finds_pages(phone: Phone) -> None:
    before = phone.screenshot()
    tap_node(phone, "Search settings")
    field = node(phone, "Search settings")  # an empty field reports its hint
    assert field.attrs["class"] == "android.widget.EditText"
    assert field.flag("focused")
    after = phone.screenshot()
    # The keyboard covers the bottom of the screen.
    area = (0, 1500, 1080, 2270)
    assert before.crop(area).tobytes() != after.crop(area).tobytes()
    phone.input_text("bright")
    assert node(phone, "bright").flag("focused")
    tap_node(phone, "Brightness level")
    assert has_text(phone, "Adaptive brightness")


def test_back_closes_the_keyboard_first(phone: Phone) -> None:
    tap_node(phone, "Search settings")
    shot = pixels(phone)
    phone.keyevent(4)
    assert pixels(phone) != shot
    assert node(phone, "Search settings").flag("focused")  # focus stays; keyboard goes
    phone.keyevent(4)
    assert has_text(phone, "Network & internet")


def test_typing_on_the_soft_keyboard(phone: Phone) -> None:
    tap_node(phone, "Search settings")
    frame = phone.frame()
    ime = frame.window("ime")
    assert ime is not None

    def key(label: str) -> None:
        v = ime.root.find(lambda v: v.desc == label)
        assert v is not None, label
        x1, y1, x2, y2 = v.clip
        phone.tap((x1 + x2) // 2, (y1 + y2) // 2)

    for ch in "wi":
        key(ch)
    assert node(phone, "wi").flag("focused")
    key("Delete")
    key("i")
    assert has_text(phone, "Wi-Fi")


def test_settings_namespaces(phone: Phone) -> None:
    assert phone.settings_get("secure", "android_id")
    assert phone.settings_get("global", "no_such_key") is None
    phone.settings_put("system", "my_key", "v")
    assert phone.settings_get("system", "my_key") == "v"
    with pytest.raises(ValueError, match="namespace"):
        phone.settings_get("nope", "x")
    with pytest.raises(ValueError, match="namespace"):
        phone.settings_put("nope", "x", "1")
    phone.settings_put("system", "screen_brightness", "999")
    assert phone.state.settings.brightness == 255
