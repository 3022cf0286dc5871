"""The simulated phone as a device: launcher, windows, XML, pixels, input, snapshot, reset."""

from __future__ import annotations

import io
import json
import re
import struct
import subprocess
import sys

import pytest
from PIL import Image

from artemis.sim.apps import APPS
from artemis.sim.contract import PhoneLike
from artemis.sim.phone import Phone
from artemis.sim.uixml import escape
from tests.sim.helpers import has_text, node, nodes, open_app, pixel, pixels, scroll_down, tap_node

LABELS = {app.package: app.label for app in APPS.values()}


@pytest.fixture
def phone() -> Phone:
    return Phone(seed=1)


def test_phone_satisfies_the_contract(phone: Phone) -> None:
    p: PhoneLike = phone
    assert (p.width, p.height) == (1080, 2400)
    assert p.getprop("ro.product.model") == "Pixel 6"
    assert p.getprop("ro.build.version.release") == "13"
    assert p.getprop("ro.build.version.sdk") == "33"
    assert p.getprop("sys.boot_completed") == "1"
    assert p.getprop("no.such.prop") is None
    assert p.all_props()["ro.product.device"] == "oriole"
    assert set(LABELS) <= set(p.packages())


def test_boots_to_the_launcher(phone: Phone) -> None:
    assert phone.foreground() == ("com.android.launcher3", ".Launcher")
    for label in LABELS.values():
        n = node(phone, desc=label)
        assert n.flag("clickable")


@pytest.mark.parametrize("package", sorted(LABELS))
def test_launcher_icon_opens_each_app(phone: Phone, package: str) -> None:
    tap_node(phone, desc=LABELS[package])
    assert phone.foreground()[0] == package
    assert {n.attrs["package"] for n in nodes(phone)} == {package}
    phone.keyevent(3)
    assert phone.foreground()[0] == "com.android.launcher3"


def test_xml_is_one_line_in_androids_format(phone: Phone) -> None:
    xml = phone.ui_xml()
    assert "\n" not in xml
    assert xml.startswith(
        "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation=\"0\"><node "
    )
    assert xml.endswith("</hierarchy>")
    first = re.search(r"<node ([^>]*?)/?>", xml)
    assert first is not None
    names = re.findall(r'([\w-]+)="', first.group(1))
    assert names == [
        "index", "text", "resource-id", "class", "package", "content-desc", "checkable",
        "checked", "clickable", "enabled", "focusable", "focused", "scrollable",
        "long-clickable", "password", "selected", "bounds",
    ]  # fmt: skip


def test_xml_escapes_like_android() -> None:
    assert escape('a<b>&"c"\n') == "a&lt;b&gt;&amp;&quot;c&quot;&#10;"
    assert escape("tab\there") == "tab&#9;here"
    assert escape("bell\x07") == "bell."


def test_every_node_lies_on_screen(phone: Phone) -> None:
    open_app(phone, "Settings")
    for n in nodes(phone):
        x1, y1, x2, y2 = n.bounds
        assert 0 <= x1 < x2 <= 1080 and 0 <= y1 < y2 <= 2400, n.attrs


def test_tapping_a_nodes_centre_hits_that_node(phone: Phone) -> None:
    """Every clickable node in the XML is what a tap at its centre reaches."""
    open_app(phone, "Settings")
    frame = phone.frame()
    clickable = [n for n in nodes(phone) if n.flag("clickable")]
    assert len(clickable) > 5
    for n in clickable:
        where, view = phone._target(frame, *n.center, long=False)
        assert view is not None and where == "app"
        assert view.clip == n.bounds, (n.attrs, view.clip)


def test_a_button_is_drawn_where_its_bounds_say(phone: Phone) -> None:
    open_app(phone, "Settings")
    search = node(phone, "Search settings")
    x1, y1, _x2, y2 = search.bounds
    inside = pixel(phone, x1 + 20, (y1 + y2) // 2)
    outside = pixel(phone, x1 + 20, y1 - 20)
    assert inside != outside


def test_the_list_scrolls_and_off_screen_rows_are_not_in_the_xml(phone: Phone) -> None:
    open_app(phone, "Settings")
    assert has_text(phone, "Network & internet")
    assert not has_text(phone, "About phone")
    for _ in range(4):
        scroll_down(phone)
    assert has_text(phone, "About phone")
    assert not has_text(phone, "Network & internet")
    assert node(phone, rid="recycler_view").flag("scrollable")
    tap_node(phone, "About phone")
    tap_node(phone, "Android version")  # a short page: its list cannot scroll
    assert not node(phone, rid="recycler_view").flag("scrollable")


def test_scroll_moves_by_the_finger_distance(phone: Phone) -> None:
    open_app(phone, "Settings")
    before = node(phone, "Display").bounds
    phone.swipe(540, 1500, 540, 1200, 300)
    after = node(phone, "Display").bounds
    assert before[1] - after[1] == 300


def test_same_seed_and_inputs_give_identical_pngs() -> None:
    a, b = Phone(seed=7), Phone(seed=7)
    for p in (a, b):
        open_app(p, "Settings")
        scroll_down(p, 500)
        tap_node(p, "Display")
    assert pixels(a) == pixels(b)
    assert a.ui_xml() == b.ui_xml()


def test_different_seeds_give_different_data() -> None:
    a, b = Phone(seed=1), Phone(seed=2)
    assert [c.name for c in a.state.contacts] != [c.name for c in b.state.contacts]
    assert Phone(seed=1).snapshot() == a.snapshot()


def test_png_and_raw_screencaps(phone: Phone) -> None:
    png = phone.screencap_png()
    img = Image.open(io.BytesIO(png))
    assert img.size == (1080, 2400)
    raw = phone.screencap_raw()
    w, h, fmt, _dataspace = struct.unpack("<IIII", raw[:16])
    assert (w, h, fmt) == (1080, 2400, 1)
    assert len(raw) - 16 == 1080 * 2400 * 4
    assert raw[16:20] == bytes(img.convert("RGBA").getpixel((0, 0)))  # type: ignore[arg-type]


def test_the_frame_is_cached_until_something_changes(phone: Phone) -> None:
    first = phone.screencap_png()
    assert phone.screencap_png() is first
    open_app(phone, "Settings")
    assert phone.screencap_png() != first


def test_snapshot_round_trip_gives_an_identical_phone(phone: Phone) -> None:
    open_app(phone, "Settings")
    scroll_down(phone, 400)
    tap_node(phone, "Display")
    snap = json.loads(json.dumps(phone.snapshot()))
    copy = Phone.from_snapshot(snap)
    assert pixels(copy) == pixels(phone)
    assert copy.ui_xml() == phone.ui_xml()
    assert copy.foreground() == phone.foreground()
    for p in (phone, copy):
        p.keyevent(4)
    assert pixels(copy) == pixels(phone)


def test_snapshot_rejects_an_unknown_version(phone: Phone) -> None:
    snap = phone.snapshot()
    snap["version"] = 99
    with pytest.raises(ValueError, match="version"):
        Phone.from_snapshot(snap)


def test_a_malformed_snapshot_is_a_clear_error(phone: Phone) -> None:
    snap = phone.snapshot()
    del snap["nav"]
    with pytest.raises(ValueError, match="malformed phone snapshot"):
        Phone.from_snapshot(snap)
    snap = phone.snapshot()
    snap["state"] = {"contacts": "nope"}
    with pytest.raises(ValueError, match="malformed phone snapshot"):
        Phone.from_snapshot(snap)


def test_reset_keeps_the_filesystem_object_others_hold(phone: Phone) -> None:
    fs, state = phone.fs, phone.state
    fs.write("/sdcard/x.txt", b"x")
    phone.reset()
    assert phone.fs is fs and phone.state is state
    assert not fs.exists("/sdcard/x.txt")


def test_odd_input_does_not_break_the_phone(phone: Phone) -> None:
    phone.tap(-10, 99999)
    phone.swipe(5000, -3, -40, 9000, 10)
    phone.keyevent(-1)
    open_app(phone, "Contacts")
    tap_node(phone, "Search contacts")
    phone.input_text('héllo 😀 <&> "quotes"')
    assert node(phone, 'héllo 😀 <&> "quotes"').flag("focused")
    assert len(phone.screencap_png()) > 1000
    phone.settings_put("system", "screen_brightness", "bright")
    assert phone.state.settings.brightness == 102


def test_reset_restores_the_seeded_state(phone: Phone) -> None:
    initial = phone.snapshot()
    open_app(phone, "Settings")
    phone.set_wifi(True)
    phone.state.contacts.clear()
    phone.reset()
    assert phone.snapshot() == initial
    phone.reset(5)
    assert phone.seed == 5
    assert phone.snapshot() == Phone(seed=5).snapshot()


def test_back_and_home(phone: Phone) -> None:
    open_app(phone, "Settings")
    tap_node(phone, "Network & internet")
    phone.keyevent(4)
    assert has_text(phone, "Network & internet")
    phone.keyevent(4)
    assert phone.foreground()[0] == "com.android.launcher3"
    # The task survives in recents and comes back as it was.
    phone.launch("com.android.settings")
    assert phone.foreground() == ("com.android.settings", ".homepage.SettingsHomepageActivity")


def test_recents_lists_tasks_and_switches_between_them(phone: Phone) -> None:
    phone.keyevent(187)
    assert has_text(phone, "No recent items")
    phone.keyevent(4)
    open_app(phone, "Settings")
    tap_node(phone, "Display")
    phone.keyevent(187)
    assert phone.foreground()[0] == "com.android.launcher3"
    card = node(phone, desc="Settings")
    phone.tap(*card.center)
    assert phone.foreground() == ("com.android.settings", ".SubSettings")
    assert has_text(phone, "Screen timeout")
    phone.keyevent(187)
    tap_node(phone, "Clear all")
    assert phone.foreground()[0] == "com.android.launcher3"
    phone.keyevent(187)
    assert has_text(phone, "No recent items")


def test_am_start_of_the_main_activity_brings_its_task_back(phone: Phone) -> None:
    open_app(phone, "Settings")
    tap_node(phone, "Display")
    assert phone.start_activity("com.android.settings", ".Settings")
    assert has_text(phone, "Screen timeout")
    phone.force_stop("com.android.settings")
    assert phone.start_activity("com.android.settings", "com.android.settings.Settings")
    assert has_text(phone, "Network & internet")


def test_am_start_and_force_stop(phone: Phone) -> None:
    assert phone.start_activity("com.android.settings", ".Settings$DisplaySettingsActivity")
    assert has_text(phone, "Brightness level")
    assert not phone.start_activity("com.android.settings", ".NoSuchActivity")
    assert not phone.start_activity("com.example.none", ".Main")
    assert not phone.launch("com.example.none")
    phone.force_stop("com.android.settings")
    assert phone.foreground()[0] == "com.android.launcher3"
    phone.launch("com.android.settings")
    assert has_text(phone, "Network & internet")


def test_long_press_is_a_swipe_held_in_place(phone: Phone) -> None:
    # A long press on a view that is only clickable clicks it, as on Android.
    n = node(phone, desc="Settings")
    phone.swipe(*n.center, *n.center, 800)
    assert phone.foreground()[0] == "com.android.settings"


def test_pressed_state_is_drawn_while_the_finger_is_down(phone: Phone) -> None:
    open_app(phone, "Settings")
    row = node(phone, "Display")
    x, y = row.center
    before = phone.screencap_png()
    phone.touch_down(x, y)
    pressed = phone.screencap_png()
    assert pressed != before
    phone.touch_up(x, y)
    assert has_text(phone, "Screen timeout")


def test_tab_moves_a_visible_focus_and_enter_clicks_it(phone: Phone) -> None:
    open_app(phone, "Settings")
    before = pixels(phone)
    phone.keyevent(61)  # TAB: the search bar
    phone.keyevent(61)  # the first row
    focused = [n for n in nodes(phone) if n.flag("focused")]
    assert len(focused) == 1
    assert pixels(phone) != before
    phone.keyevent(66)
    assert has_text(phone, "Internet")


def test_unknown_keys_and_text_without_focus_change_nothing(phone: Phone) -> None:
    before = phone.snapshot()
    phone.keyevent(999)
    phone.keyevent(26)
    phone.input_text("hello")
    assert phone.snapshot() == before


def test_checker_helpers_for_files(phone: Phone) -> None:
    notes = phone.notes()
    assert notes["Shopping list.md"].startswith("# Shopping list")
    phone.fs.mkdir("/sdcard/Documents/Markor/Work")
    phone.fs.write("/sdcard/Documents/Markor/Work/a.md", b"A")
    assert phone.notes()["Work/a.md"] == "A"
    paths = phone.file_paths()
    assert "/sdcard/Documents/todo.txt" in paths
    assert paths == sorted(paths)
    assert phone.file_paths("/nowhere") == []


def test_the_phone_imports_nothing_from_the_client_side() -> None:
    code = (
        "import sys, artemis.sim.phone; "
        "bad = [m for m in sys.modules if m.startswith(('artemis.device', 'artemis.agent', "
        "'artemis.models'))]; print(bad); sys.exit(1 if bad else 0)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


def test_all_apps_drawer_search_opens_an_app(phone: Phone) -> None:
    phone.swipe(540, 1800, 540, 800, 300)  # swipe up on the home screen
    assert has_text(phone, "Search apps")
    tap_node(phone, "Search apps")
    phone.input_text("expen")
    assert node(phone, desc="Pro Expense")
    assert not has_text(phone, "Settings")
    phone.keyevent(66)
    assert phone.foreground()[0] == "com.arduia.expense"
    phone.keyevent(3)
    assert not has_text(phone, "Search apps")  # HOME leaves the drawer


def test_recents_cards_can_be_swiped_away(phone: Phone) -> None:
    open_app(phone, "Settings")
    open_app(phone, "Clock")
    phone.keyevent(187)
    card = node(phone, desc="Clock")
    phone.swipe(card.center[0], card.center[1], card.center[0], card.center[1] - 800, 200)
    assert phone.nav.task("com.android.deskclock") is None
    assert phone.nav.task("com.android.settings") is not None
    assert node(phone, desc="Settings")
