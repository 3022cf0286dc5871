from __future__ import annotations

import pytest

from artemis.device.uiautomator import extract_xml, parse_bounds, parse_ui_xml
from artemis.errors import UIDumpError
from artemis.observation import Rect


def _node(attrs: str, bounds: str, inner: str = "", naf: bool = False) -> str:
    head = 'NAF="true" ' if naf else ""
    close = f">{inner}</node>" if inner else " />"
    return f'<node {head}{attrs} bounds="{bounds}"{close}'


def _attrs(index: int, text: str, rid: str, cls: str, **flags: str) -> str:
    names = [
        "checkable", "checked", "clickable", "enabled", "focusable", "focused", "scrollable",
        "long-clickable", "password", "selected",
    ]  # fmt: skip
    values = {n: "false" for n in names} | {"enabled": "true"} | flags
    flag_text = " ".join(f'{n}="{values[n]}"' for n in names)
    return (
        f'index="{index}" text="{text}" resource-id="{rid}" class="{cls}" '
        f'package="com.android.settings" content-desc="{flags.get("desc", "")}" {flag_text}'
    )


# One line, in the order a device writes it: NAF first when present, bounds last.
SEARCH = _node(
    _attrs(0, "", "com.android.settings:id/search_src_text", "android.widget.EditText",
           clickable="true", focusable="true", focused="true"),
    "[42,220][1038,346]",
)  # fmt: skip
PASSWORD = _node(
    _attrs(1, "\u2022\u2022\u2022\u2022", "com.android.settings:id/password",
           "android.widget.EditText", clickable="true", focusable="true", password="true"),
    "[42,360][1038,480]",
)  # fmt: skip
WIFI_SWITCH = _node(
    _attrs(0, "", "android:id/switch_widget", "android.widget.Switch",
           checkable="true", checked="true", clickable="true", focusable="true"),
    "[900,600][1038,700]",
)  # fmt: skip
WIFI_ROW = _node(
    _attrs(2, "Wi\u2011Fi &amp; more", "", "android.widget.LinearLayout", clickable="true"),
    "[0,560][1080,740]",
    inner=WIFI_SWITCH,
)  # fmt: skip
ICON = _node(
    _attrs(3, "", "", "android.widget.ImageButton", clickable="true"),
    "[960,100][1060,200]",
    naf=True,
)
LIST = _node(
    _attrs(0, "", "com.android.settings:id/recycler_view",
           "androidx.recyclerview.widget.RecyclerView", scrollable="true", focusable="true"),
    "[0,200][1080,2200]",
    inner=SEARCH + PASSWORD + WIFI_ROW + ICON,
)  # fmt: skip
DUMP = (
    "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"
    f'<hierarchy rotation="0">{LIST}</hierarchy>'
)


def test_real_format_is_one_line() -> None:
    assert "\n" not in DUMP


def test_elements_in_document_order_with_depth() -> None:
    ui = parse_ui_xml(DUMP)
    assert [e.index for e in ui] == list(range(6))
    assert [e.class_name.rsplit(".", 1)[-1] for e in ui] == [
        "RecyclerView", "EditText", "EditText", "LinearLayout", "Switch", "ImageButton",
    ]  # fmt: skip
    assert [e.depth for e in ui] == [0, 1, 1, 1, 2, 1]


def test_flags_and_attributes() -> None:
    ui = parse_ui_xml(DUMP)
    recycler, search, password, row, switch, icon = ui
    assert recycler.scrollable and not recycler.clickable
    assert search.editable and search.focused and search.clickable
    assert search.resource_id == "com.android.settings:id/search_src_text"
    assert search.bounds == Rect(42, 220, 1038, 346)
    assert password.password and password.editable and password.text == "\u2022" * 4
    assert row.text == "Wi\u2011Fi & more" and not row.editable
    assert switch.checkable and switch.checked
    assert icon.naf and not search.naf
    assert all(e.enabled for e in ui)
    assert {e.package for e in ui} == {"com.android.settings"}


def test_message_before_the_xml_is_skipped() -> None:
    out = "UI hierchary dumped to: /sdcard/window_dump.xml\n" + DUMP
    xml = extract_xml(out)
    assert xml == DUMP
    assert extract_xml("ERROR: could not get idle state.\ncat: x: No such file") is None


def test_autocomplete_is_editable_and_newer_attributes_are_read() -> None:
    node = (
        '<node index="0" text="" resource-id="" class="android.widget.AutoCompleteTextView" '
        'package="p" content-desc="" checkable="false" checked="false" clickable="true" '
        'enabled="false" focusable="true" focused="false" scrollable="false" '
        'long-clickable="false" password="false" selected="true" bounds="[0,0][10,10]" '
        'drawing-order="2" hint="Search" />'
    )
    (e,) = parse_ui_xml(f'<?xml version="1.0"?><hierarchy rotation="1">{node}</hierarchy>')
    assert e.editable and e.hint == "Search" and e.selected and not e.enabled


def test_control_characters_in_text_do_not_break_parsing() -> None:
    node = (
        '<node index="0" text="a\x01b" class="android.widget.TextView" package="p" '
        'bounds="[0,0][1,1]" />'
    )
    (e,) = parse_ui_xml(f"<hierarchy>{node}</hierarchy>")
    assert e.text == "ab"


def test_a_tree_thousands_deep_parses_without_recursion() -> None:
    depth = 10_000
    node = '<node class="c" bounds="[0,0][1,1]">'
    (first, *_, last) = parse_ui_xml(f"<hierarchy>{node * depth}{'</node>' * depth}</hierarchy>")
    assert (first.depth, last.depth, last.index) == (0, depth - 1, depth - 1)


def test_huge_dumps_are_refused() -> None:
    leaf = '<node class="c" bounds="[0,0][1,1]" />'
    with pytest.raises(UIDumpError, match="more than 20,000 elements"):
        parse_ui_xml(f"<hierarchy>{leaf * 20_001}</hierarchy>")
    pad = "x" * 8_000_000
    with pytest.raises(UIDumpError, match="characters long"):
        parse_ui_xml(f'<hierarchy><node text="{pad}" bounds="[0,0][1,1]" /></hierarchy>')


@pytest.mark.parametrize("bad", ["<hierarchy><node", "<html></html>", "not xml"])
def test_malformed_dump_raises(bad: str) -> None:
    with pytest.raises(UIDumpError):
        parse_ui_xml(bad)


@pytest.mark.parametrize(
    ("text", "rect"),
    [("[0,0][1080,2400]", Rect(0, 0, 1080, 2400)), ("[-5,10][20,-1]", Rect(-5, 10, 20, -1)),
     ("garbage", Rect(0, 0, 0, 0))],
)  # fmt: skip
def test_bounds(text: str, rect: Rect) -> None:
    assert parse_bounds(text) == rect
