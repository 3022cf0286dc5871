"""What an agent sees of the device at one moment: a frozen `Observation`.

The UI tree is a flat tuple of `UIElement`s in document order (depth first), each with its
index in that tuple. Element indices in actions refer to this order.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from artemis.errors import TargetError

if TYPE_CHECKING:
    from PIL import Image


@dataclass(frozen=True, slots=True)
class Rect:
    """A rectangle in device pixels; `x2` and `y2` are exclusive, as in Android's bounds."""

    x1: int
    y1: int
    x2: int
    y2: int

    @property
    def width(self) -> int:
        return max(0, self.x2 - self.x1)

    @property
    def height(self) -> int:
        return max(0, self.y2 - self.y1)

    @property
    def area(self) -> int:
        return self.width * self.height

    @property
    def center(self) -> tuple[int, int]:
        return ((self.x1 + self.x2) // 2, (self.y1 + self.y2) // 2)

    def contains(self, x: float, y: float) -> bool:
        return self.x1 <= x < self.x2 and self.y1 <= y < self.y2


@dataclass(frozen=True, slots=True)
class UIElement:
    """One node of the accessibility tree (uiautomator's attributes, in Python names)."""

    index: int
    bounds: Rect
    text: str = ""
    content_desc: str = ""
    resource_id: str = ""
    class_name: str = ""
    package: str = ""
    hint: str = ""
    checkable: bool = False
    checked: bool = False
    clickable: bool = False
    long_clickable: bool = False
    editable: bool = False
    scrollable: bool = False
    enabled: bool = True
    focusable: bool = False
    focused: bool = False
    selected: bool = False
    password: bool = False
    depth: int = 0
    #: uiautomator's NAF ("not accessibility friendly"): clickable, but with no text or label.
    naf: bool = False

    @property
    def label(self) -> str:
        """The best human-readable name: text, else content-desc, else hint, else the id."""
        if self.text:
            return self.text
        if self.content_desc:
            return self.content_desc
        if self.hint:
            return self.hint
        return self.resource_id.rsplit("/", 1)[-1] if self.resource_id else ""

    @property
    def interactive(self) -> bool:
        return (
            self.clickable
            or self.long_clickable
            or self.editable
            or self.scrollable
            or self.checkable
        )

    def describe(self) -> str:
        """One line for a prompt: `[3] Button "Save" (clickable) @(540,1200)`."""
        kind = self.class_name.rsplit(".", 1)[-1] or "View"
        flags = [
            name
            for name, on in (
                ("clickable", self.clickable),
                ("editable", self.editable),
                ("scrollable", self.scrollable),
                ("checked" if self.checked else "unchecked", self.checkable),
                ("focused", self.focused),
                ("selected", self.selected),
                ("disabled", not self.enabled),
            )
            if on
        ]
        label = f' "{self.label}"' if self.label else ""
        cx, cy = self.bounds.center
        extra = f" ({', '.join(flags)})" if flags else ""
        return f"[{self.index}] {kind}{label}{extra} @({cx},{cy})"


UITree = tuple[UIElement, ...]


def element_at(ui: Sequence[UIElement], x: float, y: float) -> UIElement | None:
    """The smallest element containing the point, preferring interactive ones."""
    hits = [e for e in ui if e.bounds.contains(x, y) and e.bounds.area > 0]
    if not hits:
        return None
    interactive = [e for e in hits if e.interactive]
    pool = interactive or hits
    return min(pool, key=lambda e: (e.bounds.area, -e.depth))


def element_by_index(ui: Sequence[UIElement] | None, index: int) -> UIElement:
    if ui is None:
        raise TargetError(f"element #{index} cannot be used: this screen has no UI tree")
    if not 0 <= index < len(ui):
        raise TargetError(f"element #{index} does not exist: this screen has {len(ui)} elements")
    return ui[index]


def screen_text(ui: Iterable[UIElement] | None, limit: int = 2000) -> str:
    """The visible text of a screen, de-duplicated, for retrieval and diffs."""
    if ui is None:
        return ""
    seen: dict[str, None] = {}
    for e in ui:
        for s in (e.text, e.content_desc):
            s = s.strip()
            if s and s not in seen:
                seen[s] = None
    return " | ".join(seen)[:limit]


@dataclass(frozen=True, slots=True)
class Observation:
    """The device at one moment. `screenshot` is PNG bytes of `width` x `height` pixels.

    `blank` is True when the device captured nothing of the screen (an all-black or empty
    `screencap`, as for a window with FLAG_SECURE): `screenshot` is then a black placeholder
    that says nothing about what is shown, and the UI tree is the only view of it.
    """

    screenshot: bytes
    width: int
    height: int
    ui: UITree | None = None
    package: str | None = None
    activity: str | None = None
    timestamp: float = field(default_factory=time.time)
    blank: bool = False

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    def image(self) -> Image.Image:
        """The screenshot as a PIL image (decoded on each call)."""
        from PIL import Image

        img = Image.open(io.BytesIO(self.screenshot))
        img.load()
        return img

    def element(self, index: int) -> UIElement:
        return element_by_index(self.ui, index)

    def element_at(self, x: float, y: float) -> UIElement | None:
        return None if self.ui is None else element_at(self.ui, x, y)

    @property
    def text(self) -> str:
        return screen_text(self.ui)
