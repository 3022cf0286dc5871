"""Helpers for driving and inspecting the simulated phone in tests."""

from __future__ import annotations

import io
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from PIL import Image

from artemis.sim.phone import Phone


@dataclass
class Node:
    attrs: dict[str, str]
    bounds: tuple[int, int, int, int]

    @property
    def text(self) -> str:
        return self.attrs["text"]

    @property
    def desc(self) -> str:
        return self.attrs["content-desc"]

    @property
    def center(self) -> tuple[int, int]:
        x1, y1, x2, y2 = self.bounds
        return (x1 + x2) // 2, (y1 + y2) // 2

    def flag(self, name: str) -> bool:
        return self.attrs[name] == "true"


def parse_bounds(s: str) -> tuple[int, int, int, int]:
    a, b = s[1:-1].split("][")
    x1, y1 = (int(v) for v in a.split(","))
    x2, y2 = (int(v) for v in b.split(","))
    return x1, y1, x2, y2


def nodes(phone: Phone) -> list[Node]:
    root = ET.fromstring(phone.ui_xml())
    return [Node(dict(n.attrib), parse_bounds(n.attrib["bounds"])) for n in root.iter("node")]


def node(
    phone: Phone,
    text: str | None = None,
    *,
    desc: str | None = None,
    rid: str | None = None,
    cls: str | None = None,
) -> Node:
    for n in nodes(phone):
        if cls is not None and n.attrs["class"] != cls:
            continue
        if text is not None and n.text != text:
            continue
        if desc is not None and n.desc != desc:
            continue
        if rid is not None and not n.attrs["resource-id"].endswith(rid):
            continue
        return n
    raise AssertionError(f"no node with text={text!r} desc={desc!r} rid={rid!r} on screen")


def has_text(phone: Phone, text: str) -> bool:
    return any(n.text == text for n in nodes(phone))


def tap_node(
    phone: Phone,
    text: str | None = None,
    *,
    desc: str | None = None,
    rid: str | None = None,
    cls: str | None = None,
) -> None:
    """Tap the centre of a node found in the XML, as an agent would."""
    phone.tap(*node(phone, text, desc=desc, rid=rid, cls=cls).center)


EDIT = "android.widget.EditText"


def long_press(phone: Phone, x: int, y: int) -> None:
    phone.swipe(x, y, x, y, 600)


def scroll_down(phone: Phone, distance: int = 800) -> None:
    """Finger moves up: the list reveals what is below."""
    phone.swipe(540, 1700, 540, 1700 - distance, 300)


def pixels(phone: Phone) -> bytes:
    """The screen's pixels. Screens are compared by these, not by their PNG bytes: ISA-L's
    deflate does not always give the same bytes for the same pixels."""
    return phone.screenshot().tobytes()


def pixel(phone: Phone, x: int, y: int) -> tuple[int, ...]:
    img = Image.open(io.BytesIO(phone.screencap_png()))
    return tuple(img.convert("RGB").getpixel((x, y)))  # type: ignore[arg-type]


def type_into(phone: Phone, text: str, *, desc: str | None = None, hint: str | None = None) -> None:
    """Tap a field (found by hint, which an empty field reports as its text) and type."""
    tap_node(phone, hint, desc=desc)
    phone.input_text(text)


def open_app(phone: Phone, label: str) -> None:
    phone.keyevent(3)
    tap_node(phone, desc=label)
