"""Material-style building blocks the simulated apps compose their screens from: layout
helpers, text, buttons and controls (switches, radio buttons, chips, seek bars, text fields).
`components` builds the larger patterns (app bars, list rows, dialogs) from these.

Sizes follow a Pixel 6 (1080x2400 at 420 dpi, so 1 dp = 2.625 px): 48 dp touch targets, 56-72 dp
list rows, 16 sp body text. Each builder returns a `View` with truthful accessibility
attributes (class, resource id, clickable, checkable, ...) and the callbacks that make it work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from artemis.sim.views import (
    BUTTON,
    EDIT,
    FRAME,
    IMAGE,
    IMAGE_BUTTON,
    LINEAR,
    RADIO,
    RECYCLER,
    SEEKBAR,
    SWITCH,
    TEXT,
    VIEW,
    WRAP,
    Callback,
    Color,
    View,
)

if TYPE_CHECKING:
    from artemis.sim.apps.base import Screen

W, H = 1080, 2400
STATUS_H = 110
NAV_H = 126
NAV_TOP = H - NAV_H
APPBAR_H = 168
ROW_H = 158
ROW2_H = 200

TEXT_1: Color = (32, 33, 36)
TEXT_2: Color = (95, 99, 104)
DIVIDER: Color = (224, 226, 230)
SURFACE: Color = (255, 255, 255)
SURFACE_2: Color = (241, 243, 244)
BLUE: Color = (26, 115, 232)
WHITE: Color = (255, 255, 255)
RED: Color = (217, 48, 37)


def tint(c: Color, t: float) -> Color:
    """c mixed with white: t = 0 gives c, t = 1 white."""
    return (
        round(c[0] + (255 - c[0]) * t),
        round(c[1] + (255 - c[1]) * t),
        round(c[2] + (255 - c[2]) * t),
    )


def column(*children: View | None, **kw: object) -> View:
    v = View(cls=kw.pop("cls", LINEAR), layout="column", **kw)  # type: ignore[arg-type]
    return v.add(*children)


def row(*children: View | None, **kw: object) -> View:
    v = View(cls=kw.pop("cls", LINEAR), layout="row", **kw)  # type: ignore[arg-type]
    return v.add(*children)


def stack(*children: View | None, **kw: object) -> View:
    v = View(cls=kw.pop("cls", FRAME), layout="stack", **kw)  # type: ignore[arg-type]
    return v.add(*children)


def spacer(h: int | None = None, w: int | None = None) -> View:
    return View(cls=VIEW, h=h, w=w)


def text(
    s: str,
    *,
    size: int = 42,
    fg: Color = TEXT_1,
    bold: bool = False,
    h: int | None = WRAP,
    w: int | None = None,
    rid: str = "",
    max_lines: int = 1,
    talign: str = "left",
    pad: tuple[int, int, int, int] = (0, 0, 0, 0),
    desc: str = "",
    valign: str = "center",
) -> View:
    return View(
        cls=TEXT,
        text=s,
        size=size,
        fg=fg,
        bold=bold,
        h=h,
        w=w,
        rid=rid,
        max_lines=max_lines,
        talign=talign,
        pad=pad,
        desc=desc,
        valign=valign,
    )


def divider() -> View:
    return View(cls=VIEW, h=3, bg=DIVIDER)


def icon_view(name: str, *, size: int = 66, fg: Color = TEXT_2, w: int = 0, desc: str = "") -> View:
    return View(
        cls=IMAGE, icon=name, icon_size=size, icon_fg=fg, w=w or size, h=w or size, desc=desc
    )


def icon_button(
    name: str,
    desc: str,
    on_click: Callback | None,
    *,
    fg: Color = TEXT_1,
    rid: str = "",
    size: int = 66,
    enabled: bool = True,
) -> View:
    return View(
        cls=IMAGE_BUTTON,
        icon=name,
        icon_size=size,
        icon_fg=fg,
        desc=desc,
        w=126,
        h=126,
        clickable=True,
        focusable=True,
        on_click=on_click,
        rid=rid,
        radius=63,
        enabled=enabled,
    )


def button(
    label: str,
    on_click: Callback | None,
    *,
    style: str = "filled",
    accent: Color = BLUE,
    rid: str = "",
    w: int | None = WRAP,
    enabled: bool = True,
    desc: str = "",
) -> View:
    """A Material button: filled (accent background), tonal, outlined or text."""
    bg: Color | None
    fg: Color
    border: Color | None = None
    if style == "filled":
        bg, fg = accent, WHITE
    elif style == "tonal":
        bg, fg = tint(accent, 0.82), TEXT_1
    elif style == "outlined":
        bg, fg, border = None, accent, (116, 119, 117)
    else:
        bg, fg = None, accent
    return View(
        cls=BUTTON,
        text=label,
        desc=desc,
        bg=bg,
        fg=fg,
        border=border,
        radius=60,
        h=120,
        w=w,
        pad=(48, 0, 48, 0),
        talign="center",
        clickable=True,
        focusable=True,
        on_click=on_click,
        rid=rid,
        size=40,
        bold=True,
        enabled=enabled,
        accent=accent,
    )


def switch(
    checked: bool,
    *,
    on_click: Callback | None = None,
    rid: str = "android:id/switch_widget",
    enabled: bool = True,
    accent: Color = BLUE,
    desc: str = "",
) -> View:
    """A switch; clickable only when given its own callback (inside rows the row is clicked)."""
    return View(
        cls=SWITCH,
        kind="switch",
        checkable=True,
        checked=checked,
        w=132,
        h=96,
        rid=rid,
        clickable=on_click is not None,
        focusable=on_click is not None,
        on_click=on_click,
        enabled=enabled,
        accent=accent,
        desc=desc,
    )


def radio(
    label: str,
    checked: bool,
    on_click: Callback,
    *,
    accent: Color = BLUE,
    rid: str = "",
    h: int = 147,
) -> View:
    return View(
        cls=RADIO,
        kind="radio",
        text=label,
        checkable=True,
        checked=checked,
        h=h,
        clickable=True,
        focusable=True,
        on_click=on_click,
        accent=accent,
        rid=rid,
        size=44,
        pad=(48, 0, 48, 0),
    )


def chip(
    label: str, selected: bool, on_click: Callback, *, accent: Color = BLUE, rid: str = ""
) -> View:
    return View(
        cls="android.widget.CompoundButton",
        text=label,
        checkable=True,
        checked=selected,
        clickable=True,
        focusable=True,
        on_click=on_click,
        radius=24,
        h=100,
        w=WRAP,
        pad=(36, 0, 36, 0),
        talign="center",
        size=38,
        rid=rid,
        bg=tint(accent, 0.75) if selected else None,
        border=None if selected else (116, 119, 117),
        fg=TEXT_1,
    )


def seekbar(
    value: float,
    on_seek: Callable[[float], None],
    *,
    desc: str = "",
    accent: Color = BLUE,
    rid: str = "",
) -> View:
    return View(
        cls=SEEKBAR,
        kind="seekbar",
        value=value,
        on_seek=on_seek,
        desc=desc,
        h=120,
        pad=(40, 0, 40, 0),
        focusable=True,
        scrollable=False,
        accent=accent,
        rid=rid,
        clickable=True,
        on_click=None,
    )


def edit_text(
    screen: Screen,
    key: str,
    hint: str,
    *,
    rid: str = "",
    multiline: bool = False,
    h: int | None = 150,
    w: int | None = None,
    accent: Color = BLUE,
    password: bool = False,
    size: int = 44,
    underline: bool = False,
    desc: str = "",
    select_on_focus: bool = False,
) -> View:
    """A text field bound to `screen.texts[key]`; a tap focuses it and raises the keyboard.

    With `select_on_focus` (short numeric fields), focusing selects the text, so typing
    replaces it.
    """
    focused = screen.focus == key

    def focus() -> None:
        if screen.focus != key:
            screen.set_focus(key)
            screen.sel_all = select_on_focus and bool(screen.texts.get(key))
        else:
            screen.ime = True
            screen.sel_all = False
            screen.cursor = len(screen.texts.get(key, ""))

    def select_all() -> None:
        screen.set_focus(key)
        screen.sel_all = bool(screen.texts.get(key))

    return View(
        cls=EDIT,
        kind="edit",
        text=screen.texts.get(key, ""),
        hint=hint,
        rid=rid,
        h=h,
        w=w,
        clickable=True,
        long_clickable=True,
        focusable=True,
        focused=focused,
        cursor=screen.cursor if focused else -1,
        sel_all=focused and screen.sel_all,
        on_click=focus,
        on_long_click=select_all,
        field=key,
        multiline=multiline,
        pad=(36, 24 if multiline else 0, 36, 24 if multiline else 0),
        accent=accent,
        password=password,
        size=size,
        bg=SURFACE_2 if underline else None,
        desc=desc,
        max_lines=0 if multiline else 1,
        valign="top" if multiline else "center",
    )


def scroll_list(
    screen: Screen,
    key: str,
    children: Sequence[View],
    *,
    cls: str = RECYCLER,
    rid: str = "",
    gap: int = 0,
    pad: tuple[int, int, int, int] = (0, 0, 0, 0),
    h: int | None = None,
    bg: Color | None = None,
) -> View:
    """A vertical list that scrolls; its offset lives in `screen.scroll[key]`."""
    v = View(
        cls=cls,
        layout="scroll",
        scroll_key=key,
        scroll_pos=screen.scroll.get(key, 0),
        scroll_store=screen.scroll,
        rid=rid,
        gap=gap,
        pad=pad,
        h=h,
        bg=bg,
        focusable=True,
    )
    v.add(*children)
    return v
