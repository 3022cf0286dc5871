"""The soft keyboard: a QWERTY page and a symbols page, drawn as its own window.

Tapping a key types into the focused field exactly as `input text` would; shift applies to the
next letter; "?123" and "ABC" switch pages; the action key sends ENTER. As on a device, the
keyboard's keys are not part of the app's `uiautomator dump`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from artemis.sim.views import BUTTON, FRAME, LINEAR, VIEW, Color, View

IME_PACKAGE = "com.android.inputmethod.latin"
KEYBOARD_H = 820
KEY_BG: Color = (255, 255, 255)
FN_BG: Color = (214, 219, 226)
BOARD_BG: Color = (232, 234, 237)

LETTER_ROWS = ("qwertyuiop", "asdfghjkl", "zxcvbnm")
SYMBOL_ROWS = ("1234567890", "@#$%&-+()", "*\"':;!?")


@dataclass
class KeyboardActions:
    type_text: Callable[[str], None]
    backspace: Callable[[], None]
    enter: Callable[[], None]
    toggle_shift: Callable[[], None]
    toggle_symbols: Callable[[], None]


def build_keyboard(
    width: int, shift: bool, symbols: bool, act: KeyboardActions, enter_icon: str
) -> View:
    """The keyboard's view tree, to be laid out in a box `KEYBOARD_H` tall."""
    kw = width // 10
    kh = 160
    strip = KEYBOARD_H - 4 * kh - 20
    root = View(cls=FRAME, layout="column", bg=BOARD_BG, rid="input_area", pad=(0, strip, 0, 20))
    rows = SYMBOL_ROWS if symbols else LETTER_ROWS

    def key(
        label: str,
        on: Callable[[], None],
        w: int,
        *,
        icon: str = "",
        bg: Color = KEY_BG,
        desc: str = "",
    ) -> View:
        cap = View(
            cls=BUTTON,
            text="" if icon else label,
            desc=desc or label,
            icon=icon,
            icon_size=56,
            icon_fg=(60, 64, 67),
            bg=bg,
            radius=18,
            size=54,
            talign="center",
            clickable=True,
            on_click=on,
            h=kh - 24,
        )
        return View(cls=FRAME, layout="column", w=w, h=kh, pad=(8, 12, 8, 12), children=[cap])

    def typer(ch: str) -> Callable[[], None]:
        return lambda: act.type_text(ch)

    for i, chars in enumerate(rows):
        r = View(cls=LINEAR, layout="row", h=kh)
        if i == 1 and len(chars) == 9:
            r.add(View(cls=VIEW, w=kw // 2))
        if i == 2:
            if symbols:
                r.add(key("~", typer("~"), kw * 3 // 2, bg=FN_BG))
            else:
                r.add(
                    key(
                        "Shift",
                        act.toggle_shift,
                        kw * 3 // 2,
                        icon="shift_on" if shift else "shift",
                        bg=FN_BG,
                    )
                )
        for ch in chars:
            label = ch.upper() if shift and not symbols else ch
            r.add(key(label, typer(label), kw))
        if i == 2:
            r.add(key("Delete", act.backspace, kw * 3 // 2, icon="backspace", bg=FN_BG))
        root.add(r)
    bottom = View(cls=LINEAR, layout="row", h=kh)
    bottom.add(
        key(
            "ABC" if symbols else "?123",
            act.toggle_symbols,
            kw * 3 // 2,
            bg=FN_BG,
            desc="Letters" if symbols else "Symbols",
        )
    )
    bottom.add(key(",", typer(","), kw))
    if symbols:
        bottom.add(key("_", typer("_"), kw))
    bottom.add(
        View(
            cls=FRAME,
            layout="column",
            w=None,
            h=kh,
            pad=(8, 12, 8, 12),
            children=[
                View(
                    cls=BUTTON,
                    desc="Space",
                    bg=KEY_BG,
                    radius=18,
                    clickable=True,
                    on_click=typer(" "),
                    h=kh - 24,
                )
            ],
        )
    )
    if symbols:
        bottom.add(key("/", typer("/"), kw))
    bottom.add(key(".", typer("."), kw))
    bottom.add(key("Enter", act.enter, kw * 3 // 2, icon=enter_icon, bg=(194, 231, 255)))
    root.add(bottom)
    return root
