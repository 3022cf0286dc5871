"""Serialise a laid-out view tree as `uiautomator dump` writes it.

One line, `<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy rotation="0">`,
then one `<node>` per view in the order Android uses (NAF first when it applies, then index,
text, resource-id, class, package, content-desc, the boolean flags and the visible bounds).
Views that are not visible to the user (scrolled off, clipped away) are skipped, and their
siblings keep the index they have in their parent, as on a device. Attribute values are escaped
as Android's XmlSerializer does, and characters XML cannot carry become ".".
"""

from __future__ import annotations

from artemis.sim.views import View

HEADER = "<?xml version='1.0' encoding='UTF-8' standalone='yes' ?>"

_NAF_EXCLUDED = ("GridView", "GridLayout", "ListView", "TableLayout")


def _invalid(cp: int) -> bool:
    return (
        cp == 0
        or 1 <= cp <= 8
        or 11 <= cp <= 12
        or 14 <= cp <= 31
        or 127 <= cp <= 132
        or 134 <= cp <= 159
        or 0xFDD0 <= cp <= 0xFDDF
        or 0xFFFE <= cp <= 0xFFFF
    )


_ESCAPES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    '"': "&quot;",
    "\n": "&#10;",
    "\r": "&#13;",
    "\t": "&#9;",
}


def escape(s: str) -> str:
    if not s:
        return s
    out: list[str] = []
    for ch in s:
        e = _ESCAPES.get(ch)
        if e is not None:
            out.append(e)
        elif _invalid(ord(ch)):
            out.append(".")
        else:
            out.append(ch)
    return "".join(out)


def _b(flag: bool) -> str:
    return "true" if flag else "false"


def _naf(v: View) -> bool:
    """uiautomator's "not accessibility friendly": clickable, no label anywhere below it."""
    if v.cls.endswith(_NAF_EXCLUDED):
        return False
    if not (v.clickable and v.enabled and not _label(v)):
        return False
    return not any(_label(c) for c in v.walk() if c is not v and c.visible)


def _label(v: View) -> str:
    return v.text or v.desc or (v.hint if v.kind == "edit" else "")


def resource_id(v: View, package: str) -> str:
    if not v.rid or ":" in v.rid:
        return v.rid
    return f"{package}:id/{v.rid}"


def _node(v: View, index: int, package: str, out: list[str]) -> None:
    x1, y1, x2, y2 = v.clip
    # An empty text field reports its hint as its text (Android 8 and later).
    text = v.hint if v.kind == "edit" and not v.text else v.text
    out.append("<node ")
    if _naf(v):
        out.append('NAF="true" ')
    out.append(
        f'index="{index}" text="{escape(text)}" resource-id="{escape(resource_id(v, package))}"'
        f' class="{v.cls}" package="{package}" content-desc="{escape(v.desc)}"'
        f' checkable="{_b(v.checkable)}" checked="{_b(v.checked)}"'
        f' clickable="{_b(v.clickable)}" enabled="{_b(v.enabled)}"'
        f' focusable="{_b(v.focusable)}" focused="{_b(v.focused)}"'
        f' scrollable="{_b(v.scrollable)}" long-clickable="{_b(v.long_clickable)}"'
        f' password="{_b(v.password)}" selected="{_b(v.selected)}"'
        f' bounds="[{x1},{y1}][{x2},{y2}]"'
    )
    kids = [(i, c) for i, c in enumerate(v.children) if c.visible]
    if not kids:
        out.append(" />")
        return
    out.append(">")
    for i, c in kids:
        _node(c, i, package, out)
    out.append("</node>")


def dump(root: View, package: str, rotation: int = 0) -> str:
    """The XML of one window, as `uiautomator dump` writes the active window."""
    out: list[str] = [HEADER, f'<hierarchy rotation="{rotation}">']
    if root.visible:
        _node(root, 0, package, out)
    out.append("</hierarchy>")
    return "".join(out)
