"""Input for the simulated phone: touches, swipes, text and key events.

Touches go to the deepest view under the finger that takes them, trying upper windows first
(navigation bar, keyboard, dialog, app). A swipe to the same point held for 500 ms or more is a
long press (a long press on a view that is only clickable clicks it, as on Android). Other
swipes scroll the innermost list under the finger by the distance the finger moved: a finger
moving up reveals what is below.

Key events understood (Android key codes):

| code | key | effect |
|---|---|---|
| 3 | HOME | launcher; the keyboard closes |
| 4, 111 | BACK, ESCAPE | close the keyboard, else dismiss the dialog or leave the screen |
| 187 | APP_SWITCH | recents (again: back to the app) |
| 66, 160 | ENTER | multi-line field: newline; single-line: the field's action; else a click |
| 23 | DPAD_CENTER | clicks the focused view |
| 61, 20 / 19 | TAB, DPAD_DOWN / DPAD_UP | move focus to the next / previous focusable view |
| 21, 22 | DPAD_LEFT, DPAD_RIGHT | move the caret |
| 122, 123 | MOVE_HOME, MOVE_END | caret to the start / end of the field |
| 67 | DEL | delete before the caret (or the selection) |
| 112 | FORWARD_DEL | delete after the caret (or the selection) |
| 279 | PASTE | paste the clipboard |
| 278, 277 | COPY, CUT | copy / cut the selection |
| 82 | MENU | opens the screen's "More options" menu |
| 7-16, 29-54, 62 | digits, letters, SPACE | type that character |
| 55, 56, 69, 70, 76, 77, 81, 17, 18 | `,` `.` `-` `=` `/` `@` `+` `*` `#` | type that character |
| 24, 25, 26, 164 | volume, POWER, mute | accepted, no effect |

Selecting: a long press on a text field selects all its text; typing or DEL then replaces it.
With `longpress=True`, a key acts twice (its press and one auto-repeat).
"""

from __future__ import annotations

from abc import abstractmethod
from typing import TYPE_CHECKING

from artemis.sim.frame import Frame, find_target
from artemis.sim.layout import max_scroll
from artemis.sim.views import SEEKBAR, View, box_contains

if TYPE_CHECKING:
    from artemis.sim.apps.base import Ctx, Screen
    from artemis.sim.nav import Nav
    from artemis.sim.state import PhoneState

LONG_PRESS_MS = 500
TOUCH_SLOP = 24

HOME, BACK, ENTER, DEL, TAB, MENU, APP_SWITCH, PASTE = 3, 4, 66, 67, 61, 82, 187, 279
FORWARD_DEL, MOVE_HOME, MOVE_END, COPY, CUT = 112, 122, 123, 278, 277
DPAD_UP, DPAD_DOWN, DPAD_LEFT, DPAD_RIGHT, DPAD_CENTER = 19, 20, 21, 22, 23
ESCAPE, NUMPAD_ENTER = 111, 160

_CHAR_KEYS: dict[int, str] = {
    **{7 + i: str(i) for i in range(10)},
    **{29 + i: chr(ord("a") + i) for i in range(26)},
    62: " ",
    55: ",",
    56: ".",
    69: "-",
    70: "=",
    76: "/",
    77: "@",
    81: "+",
    17: "*",
    18: "#",
    71: "[",
    72: "]",
    73: "\\",
    74: ";",
    75: "'",
    68: "`",
}

_NO_OP_KEYS = frozenset({24, 25, 26, 164, 0})


def _takes_touch(v: View) -> bool:
    return v.clickable or v.long_clickable or v.kind == "edit" or v.cls == SEEKBAR


class InputMixin:
    """The input half of `Phone`."""

    nav: Nav
    state: PhoneState
    kb_shift: bool
    kb_symbols: bool
    touch: tuple[int, int] | None

    @abstractmethod
    def frame(self) -> Frame: ...

    @abstractmethod
    def ctx(self, screen: Screen) -> Ctx: ...

    # --- touches ---------------------------------------------------------------------------
    def _target(self, frame: Frame, x: int, y: int, *, long: bool) -> tuple[str, View | None]:
        """(window name, view) a touch goes to; view None when the touch is swallowed."""
        for win in reversed(frame.windows):
            if win.name in ("nav", "ime", "status"):
                if box_contains(win.root.clip, x, y):
                    return win.name, find_target(win.root, x, y, _takes_touch)
                continue
            if win.name == "dialog":
                if win.panel is not None and box_contains(win.panel, x, y):
                    return win.name, find_target(win.root, x, y, _takes_touch)
                return "outside", None
            return win.name, find_target(win.root, x, y, _takes_touch)
        return "none", None

    def touch_down(self, x: int, y: int) -> None:
        """A finger goes down: the view under it draws pressed until `touch_up`."""
        self.touch = (int(x), int(y))

    def touch_up(self, x: int, y: int) -> None:
        """The finger lifts: a tap where it went down, else a swipe from there."""
        start = self.touch
        self.touch = None
        if start is None:
            return
        if abs(start[0] - x) <= TOUCH_SLOP and abs(start[1] - y) <= TOUCH_SLOP:
            self.tap(*start)
        else:
            self.swipe(start[0], start[1], int(x), int(y), 300)

    def tap(self, x: int, y: int) -> None:
        self._press(int(x), int(y), long=False)

    def _press(self, x: int, y: int, *, long: bool) -> None:
        frame = self.frame()
        where, view = self._target(frame, x, y, long=long)
        if where == "outside":
            dlg = self.nav.dialog()
            if dlg is not None and dlg.cancelable:
                self.nav.pop()
            return
        if view is None or not view.enabled:
            return
        if view.cls == SEEKBAR and view.on_seek is not None:
            view.on_seek(_fraction(view, x))
            return
        if long and view.on_long_click is not None:
            view.on_long_click()
            return
        if view.on_click is not None:
            if where == "app" or where == "dialog":
                self._drop_tab_focus()
            view.on_click()

    def _drop_tab_focus(self) -> None:
        top = self.nav.top()
        if top.focus.startswith("#"):
            top.focus = ""

    def swipe(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None:
        x1, y1, x2, y2 = int(x1), int(y1), int(x2), int(y2)
        if abs(x2 - x1) <= TOUCH_SLOP and abs(y2 - y1) <= TOUCH_SLOP:
            self._press(x1, y1, long=duration_ms >= LONG_PRESS_MS)
            return
        frame = self.frame()
        where, view = self._target(frame, x1, y1, long=False)
        if where in ("nav", "status", "ime", "outside", "none"):
            return
        if view is not None and view.cls == SEEKBAR and view.on_seek is not None:
            view.on_seek(_fraction(view, x2))
            return
        win = frame.window(where)
        if win is None:
            return
        vertical = abs(y2 - y1) >= abs(x2 - x1)
        scroller = find_target(
            win.root,
            x1,
            y1,
            lambda v: v.layout == ("scroll" if vertical else "hscroll") and v.scroll_key != "",
        )
        owner = win.screen if win.screen is not None else self.nav.top()
        if scroller is not None and max_scroll(scroller) > 0:
            delta = (y1 - y2) if vertical else (x1 - x2)
            pos = max(0, min(max_scroll(scroller), scroller.scroll_pos + delta))
            owner.scroll[scroller.scroll_key] = pos
            return
        owner.on_swipe(self.ctx(owner), x1, y1, x2, y2)

    def drag_and_drop(self, x1: int, y1: int, x2: int, y2: int, duration_ms: int) -> None:
        """Treated as a swipe: no simulated app has drag targets."""
        self.swipe(x1, y1, x2, y2, duration_ms)

    # --- text ------------------------------------------------------------------------------
    def _field(self) -> Screen | None:
        top = self.nav.top()
        if top.focus and not top.focus.startswith("#"):
            return top
        return None

    def input_text(self, text: str) -> None:
        """Type into the focused field; with no field focused the text goes nowhere."""
        screen = self._field()
        if screen is None or not text:
            return
        self._insert(screen, text)

    def _insert(self, screen: Screen, text: str) -> None:
        key = screen.focus
        cur = screen.texts.get(key, "")
        if screen.sel_all:
            new, caret = text, len(text)
        else:
            c = max(0, min(screen.cursor, len(cur)))
            new, caret = cur[:c] + text + cur[c:], c + len(text)
        screen.texts[key] = new
        screen.cursor = caret
        screen.sel_all = False
        screen.on_text(self.ctx(screen), key)

    def _type_from_keyboard(self, ch: str) -> None:
        screen = self._field()
        if screen is None:
            return
        self._insert(screen, ch)
        if self.kb_shift and ch.isalpha():
            self.kb_shift = False

    def _toggle_shift(self) -> None:
        self.kb_shift = not self.kb_shift

    def _toggle_symbols(self) -> None:
        self.kb_symbols = not self.kb_symbols
        self.kb_shift = False

    def _hide_ime(self) -> None:
        self.nav.top().ime = False

    def _edit_key(self, code: int) -> None:
        screen = self._field()
        if screen is None:
            return
        key = screen.focus
        cur = screen.texts.get(key, "")
        c = max(0, min(screen.cursor, len(cur)))
        if code in (DEL, FORWARD_DEL) and screen.sel_all:
            screen.texts[key] = ""
            screen.cursor = 0
            screen.sel_all = False
            screen.on_text(self.ctx(screen), key)
            return
        if code in (COPY, CUT):
            if screen.sel_all:
                self.state.clipboard = cur
                if code == CUT:
                    screen.texts[key] = ""
                    screen.cursor = 0
                    screen.sel_all = False
                    screen.on_text(self.ctx(screen), key)
            return
        screen.sel_all = False
        if code == DEL and c > 0:
            screen.texts[key] = cur[: c - 1] + cur[c:]
            screen.cursor = c - 1
            screen.on_text(self.ctx(screen), key)
        elif code == FORWARD_DEL and c < len(cur):
            screen.texts[key] = cur[:c] + cur[c + 1 :]
            screen.on_text(self.ctx(screen), key)
        elif code == DPAD_LEFT:
            screen.cursor = max(0, c - 1)
        elif code == DPAD_RIGHT:
            screen.cursor = min(len(cur), c + 1)
        elif code == MOVE_HOME:
            screen.cursor = 0
        elif code == MOVE_END:
            screen.cursor = len(cur)

    # --- keys ------------------------------------------------------------------------------
    def keyevent(self, keycode: int, *, longpress: bool = False) -> None:
        self._key(int(keycode))
        if longpress and keycode not in (HOME, BACK, APP_SWITCH, ESCAPE):
            self._key(int(keycode))

    def _key(self, code: int) -> None:
        nav = self.nav
        if code == HOME:
            self._hide_ime()
            nav.go_home()
        elif code in (BACK, ESCAPE):
            self._back()
        elif code == APP_SWITCH:
            self._hide_ime()
            if nav.recents_open:
                nav.recents_open = False
            else:
                nav.open_recents()
        elif code in (ENTER, NUMPAD_ENTER):
            self._enter()
        elif code == DPAD_CENTER:
            self._click_focused()
        elif code in (TAB, DPAD_DOWN):
            self._move_focus(+1)
        elif code == DPAD_UP:
            self._move_focus(-1)
        elif code in (DEL, FORWARD_DEL, DPAD_LEFT, DPAD_RIGHT, MOVE_HOME, MOVE_END, COPY, CUT):
            self._edit_key(code)
        elif code == PASTE:
            if self.state.clipboard:
                self.input_text(self.state.clipboard)
        elif code == MENU:
            frame = self.frame()
            more = frame.active.root.find(
                lambda v: v.desc == "More options" and v.visible and v.on_click is not None
            )
            if more is not None and more.on_click is not None:
                more.on_click()
        elif code in _CHAR_KEYS:
            self.input_text(_CHAR_KEYS[code])

    def _back(self) -> None:
        nav = self.nav
        top = nav.top()
        if top.ime:
            top.ime = False
            return
        if nav.recents_open:
            nav.recents_open = False
            return
        if top.on_back(self.ctx(top)):
            return
        top.clear_focus()
        nav.pop()

    def _enter(self) -> None:
        screen = self._field()
        if screen is None:
            self._click_focused()
            return
        frame = self.frame()
        view = frame.active.root.find(lambda v: v.kind == "edit" and v.field == screen.focus)
        if view is not None and view.multiline:
            self._insert(screen, "\n")
        else:
            screen.on_enter(self.ctx(screen), screen.focus)

    def _click_focused(self) -> None:
        top = self.nav.top()
        if not top.focus.startswith("#"):
            return
        items = self.frame().focusables()
        idx = int(top.focus[1:])
        if 0 <= idx < len(items):
            v = items[idx]
            if v.enabled and v.on_click is not None:
                v.on_click()

    def _move_focus(self, step: int) -> None:
        top = self.nav.top()
        items = self.frame().focusables()
        if not items:
            return
        cur = -1
        if top.focus.startswith("#"):
            cur = int(top.focus[1:])
        elif top.focus:
            cur = next((i for i, v in enumerate(items) if v.field == top.focus), -1)
        nxt = (cur + step) % len(items)
        v = items[nxt]
        if v.kind == "edit":
            top.set_focus(v.field, ime=top.ime)
        else:
            top.focus = f"#{nxt}"
            top.ime = False
            top.sel_all = False


def _fraction(v: View, x: int) -> float:
    x1, _, x2, _ = v.bounds
    pl, _, pr, _ = v.pad
    span = max(1, (x2 - pr) - (x1 + pl))
    return max(0.0, min(1.0, (x - (x1 + pl)) / span))
