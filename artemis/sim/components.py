"""Composite Material patterns built from `widgets`: app bars, list rows, dialogs, menus,
floating buttons, bottom navigation and form fields with labels."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Sequence

from artemis.sim.views import (
    BUTTON,
    FRAME,
    IMAGE,
    IMAGE_BUTTON,
    RELATIVE,
    VIEW_GROUP,
    WRAP,
    Callback,
    Color,
    View,
)
from artemis.sim.widgets import (
    APPBAR_H,
    BLUE,
    RED,
    ROW2_H,
    ROW_H,
    SURFACE,
    TEXT_1,
    TEXT_2,
    button,
    column,
    icon_button,
    row,
    spacer,
    switch,
    text,
    tint,
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
    body = column(cls=RELATIVE, align="stretch")
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


def fab(
    icon: str,
    desc: str,
    on_click: Callback,
    *,
    accent: Color = BLUE,
    label: str = "",
    rid: str = "fab",
) -> View:
    """A floating action button, placed at the bottom right of a stack; with a `label`, an
    extended one (icon and label on a pill as wide as they need)."""
    fab = View(
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
    if not label:
        return fab
    return dataclasses.replace(
        fab,
        cls=BUTTON,
        text=label,
        desc=desc if desc != label else "",
        icon_size=60,
        w=WRAP,
        pad=(48, 0, 56, 0),
        size=42,
        bold=True,
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


def form_bar(
    title: str, on_close: Callback, on_save: Callback, *, accent: Color = BLUE, save_rid: str = ""
) -> View:
    """A full-screen form's top bar: close (cancel), the title, and a Save button."""
    return row(
        icon_button("close", "Cancel", on_close),
        text(title, size=54, h=126, pad=(24, 0, 0, 0)),
        button("Save", on_save, accent=accent, rid=save_rid),
        h=APPBAR_H,
        pad=(16, 24, 36, 24),
        align="center",
        rid="toolbar",
    )


def form_error(message: str) -> View:
    """Why a form was not saved, above its fields."""
    return text(message, fg=RED, size=40, h=WRAP, max_lines=2, pad=(60, 20, 60, 20), rid="error")


def gone_page(message: str, back: Callback) -> View:
    """The page of a record deleted while it was open (by a task set-up, say)."""
    return column(app_bar("", back=back), empty_state(message))


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
