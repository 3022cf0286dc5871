"""The simulated phone's view tree: one tree of widgets drives both the pixels and the XML.

Screens build a fresh tree of `View`s from the phone's state on every frame. `layout` gives
each view its bounds, `render` draws the tree and `uixml` serialises the same tree, so what an
agent reads in the XML is exactly what it sees on the screen. Behaviour hangs off the tree as
callbacks (`on_click`, `on_long_click`) and text-field bindings (`field`).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Iterator
from dataclasses import dataclass

Color = tuple[int, int, int]
Box = tuple[int, int, int, int]  # x1, y1, x2, y2 (x2, y2 exclusive)

#: A height (or width) of WRAP makes the layout measure the view's content.
WRAP = -1
#: A list offset this large keeps the list at its end (a conversation's newest message).
STICK_TO_END = 1_000_000

# Android class names, as uiautomator reports them.
VIEW = "android.view.View"
VIEW_GROUP = "android.view.ViewGroup"
FRAME = "android.widget.FrameLayout"
LINEAR = "android.widget.LinearLayout"
RELATIVE = "android.widget.RelativeLayout"
TEXT = "android.widget.TextView"
BUTTON = "android.widget.Button"
IMAGE = "android.widget.ImageView"
IMAGE_BUTTON = "android.widget.ImageButton"
EDIT = "android.widget.EditText"
SWITCH = "android.widget.Switch"
CHECKBOX = "android.widget.CheckBox"
RADIO = "android.widget.RadioButton"
SEEKBAR = "android.widget.SeekBar"
RECYCLER = "androidx.recyclerview.widget.RecyclerView"
SCROLL = "android.widget.ScrollView"
HSCROLL = "android.widget.HorizontalScrollView"

Callback = Callable[[], None]


@dataclass(eq=False, slots=True)
class View:
    """One widget. Accessibility attributes, layout hints, paint attributes and behaviour."""

    cls: str = VIEW
    text: str = ""
    desc: str = ""
    rid: str = ""  # resource id: "name" (the window's package is prefixed) or "pkg:id/name"
    hint: str = ""
    clickable: bool = False
    long_clickable: bool = False
    checkable: bool = False
    checked: bool = False
    focusable: bool = False
    focused: bool = False
    scrollable: bool = False
    enabled: bool = True
    selected: bool = False
    password: bool = False

    # --- layout: sizes in pixels; None fills (or shares what is left, by `flex`) ---
    layout: str = "column"  # column | row | stack | scroll | hscroll
    w: int | None = None
    h: int | None = None
    flex: int = 1
    pad: Box = (0, 0, 0, 0)  # left, top, right, bottom
    gap: int = 0
    align: str = "stretch"  # children's cross-axis placement: stretch | start | center | end
    gravity: str = ""  # inside a stack: e.g. "bottom-end", "center"
    offset: tuple[int, int] = (0, 0)  # inside a stack: margin from the gravity edge(s)
    scroll_key: str = ""  # scroll containers: key of the offset kept by the screen
    scroll_pos: int = 0
    # The screen's offsets (`Screen.scroll`): when the content shrinks under a list scrolled
    # near its end, the list keeps its clamped offset, as a RecyclerView does, so that content
    # growing back later does not move what is on screen. Offsets of STICK_TO_END or more
    # mean "stay at the end" and are left as they are.
    scroll_store: dict[str, int] | None = None

    # --- paint ---
    kind: str = ""  # special painting: switch, checkbox, radio, edit, seekbar, icon, ...
    bg: Color | None = None
    fg: Color = (32, 33, 36)
    size: int = 42  # font size in pixels
    bold: bool = False
    radius: int = 0
    border: Color | None = None
    talign: str = "left"  # left | center | right
    valign: str = "center"  # top | center
    max_lines: int = 1
    icon: str = ""
    icon_fg: Color | None = None
    icon_size: int = 0
    accent: Color = (26, 115, 232)  # switches, check boxes, focused fields, seek bars
    value: float = 0.0  # seek bars: 0..1
    cursor: int = -1  # edit texts with focus: the caret position
    sel_all: bool = False  # edit texts: the whole text is selected
    pressed: bool = False
    dim: bool = False
    image: object = None  # kind "image": a Pillow image drawn scaled into the bounds
    image_key: str = ""  # identifies `image` for frame caching

    # --- behaviour ---
    on_click: Callback | None = None
    on_long_click: Callback | None = None
    on_seek: Callable[[float], None] | None = None
    field: str = ""  # edit texts: the key of the screen's text this field edits
    multiline: bool = False

    children: list[View] = dataclasses.field(default_factory=list)

    # --- set by layout ---
    bounds: Box = (0, 0, 0, 0)
    clip: Box = (0, 0, 0, 0)  # the visible part of `bounds` (scroll containers clip)
    content_h: int = 0  # scroll containers: the height of their content

    def add(self, *views: View | None) -> View:
        self.children.extend(v for v in views if v is not None)
        return self

    def walk(self) -> Iterator[View]:
        yield self
        for c in self.children:
            yield from c.walk()

    @property
    def visible(self) -> bool:
        x1, y1, x2, y2 = self.clip
        return x2 > x1 and y2 > y1

    @property
    def editable(self) -> bool:
        return bool(self.field) and self.cls == EDIT

    def find(self, pred: Callable[[View], bool]) -> View | None:
        return next((v for v in self.walk() if pred(v)), None)

    def by_id(self, rid: str) -> View | None:
        return self.find(lambda v: v.rid == rid or v.rid.endswith(":id/" + rid))

    def by_text(self, text: str) -> View | None:
        return self.find(lambda v: v.text == text)

    def by_desc(self, desc: str) -> View | None:
        return self.find(lambda v: v.desc == desc)


def box_contains(b: Box, x: float, y: float) -> bool:
    return b[0] <= x < b[2] and b[1] <= y < b[3]


def box_intersect(a: Box, b: Box) -> Box:
    x1, y1 = max(a[0], b[0]), max(a[1], b[1])
    x2, y2 = min(a[2], b[2]), min(a[3], b[3])
    if x2 <= x1 or y2 <= y1:
        return (x1, y1, x1, y1)
    return (x1, y1, x2, y2)


def center(b: Box) -> tuple[int, int]:
    return ((b[0] + b[2]) // 2, (b[1] + b[3]) // 2)


def fingerprint(root: View) -> tuple[object, ...]:
    """Everything about a laid-out tree that can change its pixels, as a hashable value."""
    out: list[object] = []
    for v in root.walk():
        if not v.visible:
            continue
        out.append(
            (
                v.cls,
                v.text,
                v.desc,
                v.hint,
                v.checked,
                v.focused,
                v.enabled,
                v.selected,
                v.password,
                v.kind,
                v.bg,
                v.fg,
                v.size,
                v.bold,
                v.radius,
                v.border,
                v.talign,
                v.valign,
                v.max_lines,
                v.icon,
                v.icon_fg,
                v.icon_size,
                v.accent,
                v.value,
                v.cursor,
                v.sel_all,
                v.pressed,
                v.dim,
                v.image_key,
                v.bounds,
                v.clip,
                v.pad,
            )
        )
    return tuple(out)
