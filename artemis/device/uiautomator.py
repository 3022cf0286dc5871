"""`uiautomator dump` XML into `UIElement`s.

The dump is one line: `<?xml ...?><hierarchy rotation="0"><node .../>...</hierarchy>`. Each
`node` has, in order, an optional `NAF="true"`, then index, text, resource-id, class, package,
content-desc, checkable, checked, clickable, enabled, focusable, focused, scrollable,
long-clickable, password, selected and `bounds="[x1,y1][x2,y2]"`; newer builds add `hint` and
`drawing-order`. Elements come out in document order (depth first), numbered from 0.

A dump is input from the device and may be hostile or broken: the tree is walked without
recursion (a tree thousands deep is no RecursionError), and a dump larger than
`MAX_DUMP_CHARS` or with more than `MAX_ELEMENTS` elements is refused with `UIDumpError`
(real screens have hundreds of elements in a few hundred kilobytes), so the agent goes on
with the screenshot alone instead of spending seconds and memory on it every step.
"""

from __future__ import annotations

import re
import xml.etree.ElementTree as ET

from artemis.errors import UIDumpError
from artemis.observation import Rect, UIElement, UITree

IDLE_ERROR = "could not get idle state"
#: The largest dump parsed (characters of XML).
MAX_DUMP_CHARS = 8_000_000
#: The most elements a parsed dump may hold.
MAX_ELEMENTS = 20_000
_BOUNDS = re.compile(r"\[(-?\d+),(-?\d+)\]\[(-?\d+),(-?\d+)\]")
# Characters XML 1.0 forbids; some devices put them in text attributes anyway.
_INVALID_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")
#: Widgets that take typed text even though their class name does not end in EditText.
EDITABLE_CLASSES = frozenset(
    {
        "android.widget.AutoCompleteTextView",
        "android.widget.MultiAutoCompleteTextView",
        "android.widget.SearchView$SearchAutoComplete",
        "android.inputmethodservice.ExtractEditText",
    }
)


def parse_bounds(text: str) -> Rect:
    m = _BOUNDS.fullmatch(text.strip())
    if m is None:
        return Rect(0, 0, 0, 0)
    x1, y1, x2, y2 = (int(v) for v in m.groups())
    return Rect(x1, y1, x2, y2)


def is_editable(class_name: str, attrs: dict[str, str]) -> bool:
    if attrs.get("editable") == "true":
        return True
    return class_name.endswith("EditText") or class_name in EDITABLE_CLASSES


def extract_xml(output: str) -> str | None:
    """The XML document inside command output (a message may precede it), or None."""
    start = output.find("<?xml")
    if start < 0:
        start = output.find("<hierarchy")
    if start < 0:
        return None
    end = output.rfind("</hierarchy>")
    if end < 0:
        return None
    return output[start : end + len("</hierarchy>")]


def parse_ui_xml(xml: str) -> UITree:
    """Parse a uiautomator dump; raises `UIDumpError` when it is not one, or is too big."""
    if len(xml) > MAX_DUMP_CHARS:
        raise UIDumpError(
            f"the UI dump is {len(xml):,} characters long, more than the {MAX_DUMP_CHARS:,} "
            "artemis reads"
        )
    try:
        root = ET.fromstring(xml.encode("utf-8"))
    except ET.ParseError:
        try:
            root = ET.fromstring(_INVALID_XML.sub("", xml).encode("utf-8"))
        except ET.ParseError as exc:
            raise UIDumpError(f"the UI dump is not valid XML: {exc}") from exc
    if root.tag != "hierarchy":
        raise UIDumpError(f"the UI dump's root is <{root.tag}>, not <hierarchy>")
    out: list[UIElement] = []
    # Depth first, in document order: children are pushed in reverse so the first pops first.
    stack: list[tuple[ET.Element, int]] = [
        (child, 0) for child in reversed(root) if child.tag == "node"
    ]
    while stack:
        node, depth = stack.pop()
        if len(out) == MAX_ELEMENTS:
            raise UIDumpError(f"the UI dump holds more than {MAX_ELEMENTS:,} elements")
        out.append(_element(node.attrib, len(out), depth))
        stack.extend((child, depth + 1) for child in reversed(node) if child.tag == "node")
    return tuple(out)


def _flag(attrs: dict[str, str], name: str, default: bool = False) -> bool:
    value = attrs.get(name)
    return default if value is None else value == "true"


def _element(attrs: dict[str, str], index: int, depth: int) -> UIElement:
    class_name = attrs.get("class", "")
    return UIElement(
        index=index,
        bounds=parse_bounds(attrs.get("bounds", "")),
        text=attrs.get("text", ""),
        content_desc=attrs.get("content-desc", ""),
        resource_id=attrs.get("resource-id", ""),
        class_name=class_name,
        package=attrs.get("package", ""),
        hint=attrs.get("hint", ""),
        checkable=_flag(attrs, "checkable"),
        checked=_flag(attrs, "checked"),
        clickable=_flag(attrs, "clickable"),
        long_clickable=_flag(attrs, "long-clickable"),
        editable=is_editable(class_name, attrs),
        scrollable=_flag(attrs, "scrollable"),
        enabled=_flag(attrs, "enabled", default=True),
        focusable=_flag(attrs, "focusable"),
        focused=_flag(attrs, "focused"),
        selected=_flag(attrs, "selected"),
        password=_flag(attrs, "password"),
        naf=_flag(attrs, "NAF"),
        depth=depth,
    )
