"""Material-style building blocks the simulated apps compose their screens from.

Sizes follow a Pixel 6 (1080x2400 at 420 dpi, so 1 dp = 2.625 px): 48 dp touch targets, 56-72 dp
list rows, 16 sp body text. Each builder returns a `View` with truthful accessibility
attributes (class, resource id, clickable, checkable, ...) and the callbacks that make it work.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from artemis.sim.views import (
    BUTTON,
    CHECKBOX,
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
    VIEW_GROUP,
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


def app_bar(
    title: str,
    *,
    back: Callback | None = None,
    actions: Sequence[View] = (),
    bg: Color = SURFACE,
    fg: Color = TEXT_1,
    size: int = 58,
    rid: str = "toolbar",
) -> View:
    bar = row(cls=VIEW_GROUP, h=APPBAR_H, bg=bg, pad=(16, 21, 16, 21), align="center", rid=rid)
    if back is not None:
        bar.add(icon_button("back", "Navigate up", back, fg=fg))
    else:
        bar.add(spacer(w=40))
    bar.add(text(title, size=size, fg=fg, h=126, pad=(24, 0, 0, 0)))
    bar.add(*actions)
    return bar


def list_row(
    title: str,
    summary: str = "",
    *,
    on_click: Callback | None = None,
    on_long_click: Callback | None = None,
    icon: str = "",
    icon_fg: Color = TEXT_2,
    trailing: View | None = None,
    leading: View | None = None,
    rid: str = "",
    enabled: bool = True,
    selected: bool = False,
    bold: bool = False,
    h: int | None = None,
    desc: str = "",
    summary_lines: int = 1,
) -> View:
    """A preference-style row: optional icon, title over summary, optional trailing widget."""
    height = h or (ROW2_H if summary else ROW_H)
    r = row(
        h=height,
        pad=(48, 0, 36, 0),
        align="center",
        gap=0,
        rid=rid,
        clickable=on_click is not None,
        long_clickable=on_long_click is not None,
        focusable=on_click is not None,
        on_click=on_click,
        on_long_click=on_long_click,
        enabled=enabled,
        selected=selected,
        desc=desc,
        bg=tint(BLUE, 0.85) if selected else None,
    )
    if leading is not None:
        r.add(leading, spacer(w=40))
    elif icon:
        r.add(
            View(
                cls=IMAGE,
                rid="android:id/icon",
                icon=icon,
                icon_fg=icon_fg,
                icon_size=66,
                w=66,
                h=66,
                enabled=enabled,
            ),
            spacer(w=56),
        )
    body = column(cls=RELATIVE_LAYOUT, align="stretch")
    fg = TEXT_1 if enabled else tint(TEXT_1, 0.6)
    body.add(text(title, rid="android:id/title", fg=fg, size=44, bold=bold))
    if summary:
        body.add(
            text(
                summary,
                rid="android:id/summary",
                fg=TEXT_2 if enabled else tint(TEXT_2, 0.6),
                size=37,
                max_lines=summary_lines,
            )
        )
    body.h = WRAP
    if not enabled:  # a disabled row disables what it holds, as a disabled preference does
        for v in body.walk():
            v.enabled = False
    r.add(body)
    if trailing is not None:
        r.add(spacer(w=24), trailing)
    return r


RELATIVE_LAYOUT = "android.widget.RelativeLayout"


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


def switch_row(
    title: str,
    checked: bool,
    on_toggle: Callback,
    *,
    summary: str = "",
    icon: str = "",
    rid: str = "",
    enabled: bool = True,
    accent: Color = BLUE,
) -> View:
    return list_row(
        title,
        summary,
        on_click=on_toggle,
        icon=icon,
        rid=rid,
        enabled=enabled,
        trailing=switch(checked, enabled=enabled, accent=accent),
    )


def checkbox(
    label: str,
    checked: bool,
    on_click: Callback,
    *,
    accent: Color = BLUE,
    rid: str = "",
    h: int = 126,
) -> View:
    return View(
        cls=CHECKBOX,
        kind="checkbox",
        text=label,
        checkable=True,
        checked=checked,
        h=h,
        clickable=True,
        focusable=True,
        on_click=on_click,
        accent=accent,
        rid=rid,
        size=42,
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
        rid=rid,
        gap=gap,
        pad=pad,
        h=h,
        bg=bg,
        focusable=True,
    )
    v.add(*children)
    return v


def fab(
    icon: str,
    desc: str,
    on_click: Callback,
    *,
    accent: Color = BLUE,
    label: str = "",
    rid: str = "fab",
) -> View:
    """A floating action button, placed at the bottom right of a stack."""
    if label:
        return View(
            cls=BUTTON,
            text=label,
            desc=desc if desc != label else "",
            icon=icon,
            icon_size=60,
            icon_fg=TEXT_1,
            bg=tint(accent, 0.7),
            radius=42,
            h=168,
            w=WRAP,
            pad=(48, 0, 56, 0),
            gravity="bottom-end",
            offset=(42, 42),
            clickable=True,
            focusable=True,
            on_click=on_click,
            rid=rid,
            size=42,
            bold=True,
        )
    return View(
        cls=IMAGE_BUTTON,
        desc=desc,
        icon=icon,
        icon_size=66,
        icon_fg=TEXT_1,
        bg=tint(accent, 0.7),
        radius=42,
        w=168,
        h=168,
        gravity="bottom-end",
        offset=(42, 42),
        clickable=True,
        focusable=True,
        on_click=on_click,
        rid=rid,
    )


def section(title: str, *, accent: Color = BLUE) -> View:
    return text(title, size=37, fg=accent, bold=True, h=110, pad=(48, 30, 48, 0))


def empty_state(message: str) -> View:
    return text(message, size=42, fg=TEXT_2, h=300, talign="center", rid="empty_view")


def dialog(
    title: str,
    *,
    message: str = "",
    body: Sequence[View] = (),
    buttons: Sequence[tuple[str, Callback | None]] = (),
    accent: Color = BLUE,
    title_rid: str = "android:id/alertTitle",
) -> View:
    """An AlertDialog panel; buttons right-aligned, last one positive (android:id/button1)."""
    panel = column(
        h=WRAP,
        bg=(248, 249, 250),
        radius=72,
        pad=(72, 72, 48, 36),
        cls=FRAME,
        rid="android:id/parentPanel",
    )
    if title:
        panel.add(text(title, size=56, rid=title_rid, max_lines=2, pad=(0, 0, 24, 36)))
    if message:
        panel.add(
            text(
                message,
                size=42,
                fg=TEXT_2,
                rid="android:id/message",
                max_lines=6,
                pad=(0, 0, 24, 36),
            )
        )
    panel.add(*body)
    if buttons:
        bar = row(h=WRAP, align="center", pad=(0, 24, 0, 0), rid="android:id/buttonPanel")
        bar.add(spacer())
        ids = ["android:id/button1", "android:id/button2", "android:id/button3"]
        for i, (label, cb) in enumerate(buttons):
            rid = ids[len(buttons) - 1 - i] if len(buttons) <= 3 else ""
            bar.add(button(label, cb, style="text", accent=accent, rid=rid))
        panel.add(bar)
    return panel


def tabs(
    items: Sequence[tuple[str, str]],
    selected: int,
    on_select: Callable[[int], None],
    *,
    accent: Color = BLUE,
    h: int = 210,
    rid: str = "",
) -> View:
    """A bottom navigation bar: (label, icon) items."""
    bar = row(h=h, bg=(243, 246, 252), rid=rid or "navigation_bar")
    for i, (label, icon) in enumerate(items):
        sel = i == selected
        item = column(
            View(
                cls=IMAGE,
                icon=icon,
                icon_size=60,
                icon_fg=TEXT_1,
                h=90,
                w=168,
                bg=tint(accent, 0.75) if sel else None,
                radius=45,
            ),
            text(label, size=34, talign="center", bold=sel, h=60),
            cls=FRAME,
            align="center",
            pad=(0, 24, 0, 24),
            gap=6,
            clickable=True,
            focusable=True,
            selected=sel,
            desc=label,
            on_click=lambda i=i: on_select(i),
        )
        bar.add(item)
    return bar


def top_tabs(
    items: Sequence[str], selected: int, on_select: Callable[[int], None], *, accent: Color = BLUE
) -> View:
    bar = row(h=140, rid="tabs", cls="android.widget.HorizontalScrollView")
    for i, label in enumerate(items):
        sel = i == selected
        tab = column(
            text(label, size=40, fg=accent if sel else TEXT_2, bold=sel, talign="center", h=None),
            View(cls=VIEW, h=9, bg=accent if sel else None, radius=4),
            cls=LINEAR,
            clickable=True,
            focusable=True,
            selected=sel,
            desc=label,
            on_click=lambda i=i: on_select(i),
        )
        bar.add(tab)
    return bar


def popup_menu(items: list[tuple[str, Callable[[], None]]]) -> View:
    """An overflow menu's panel: one row per item."""
    menu = column(
        cls="android.widget.ListView",
        bg=(250, 250, 250),
        radius=12,
        pad=(0, 16, 0, 16),
        h=WRAP,
        w=620,
        border=(218, 220, 224),
    )
    for label, cb in items:
        menu.add(list_row(label, on_click=cb, h=140))
    return menu


def labeled(label: str, field: View, *, accent: Color = BLUE) -> View:
    """A form field with its label above it, as a Material text field's floating label.

    Tapping the label focuses the field, as tapping a TextInputLayout does.
    """
    return column(
        text(label, size=34, fg=accent if field.focused else TEXT_2, h=60, pad=(8, 0, 0, 0)),
        field,
        h=WRAP,
        pad=(48, 12, 48, 12),
        clickable=True,
        on_click=field.on_click,
    )
