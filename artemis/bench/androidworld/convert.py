"""Conversions between artemis and android_world: our actions to theirs, their State to ours.

android_world acts through `JSONAction`s (`env/json_action.py`), carried out by
`env/actuation.py`. Each of our actions becomes zero or more `EnvCommand`s:

- `JsonCommand`: the keyword arguments of one `JSONAction`, built without android_world;
- `KeyCommand`: an Android key event (or a key combination) sent through adb, for keys that
  `JSONAction` cannot express (its `press_keyboard` type is handled by actuation but rejected
  by `JSONAction`'s own validation at the checked commit);
- `HoldCommand`: a press held for a given time (`input swipe x y x y MS`), for long presses
  of another length than theirs (their `long_press` always holds for 1000 ms).

Their semantics, as read in actuation.py, and how we map onto them:

- `tap`, `double_tap` -> `click`, `double_tap`, with `index` or `x,y`, never both;
  `long_press` of 1000 ms -> their `long_press` (which holds 1000 ms); of any other length ->
  a `HoldCommand` at the target's centre, so that the duration is kept.
- `scroll d` -> `scroll d`: both mean "reveal the content towards d" (the finger moves the other
  way). Theirs scrolls an element (`index`) or the whole screen; a point anchor becomes the
  smallest scrollable element under it. Their actuation treats index 0 as "no index".
- `swipe` (a raw finger movement) -> `swipe`, edge to edge across the screen, in the direction
  whose gesture moves the finger the same way. Vertically their name is where the finger goes
  (`down`: top edge to bottom edge); horizontally it is reversed (`left`: left edge to right).
- `type` -> `input_text`, which taps the target, clears it when asked (`clear_text`), types,
  and then presses Enter.
- `clear_text` -> tap the target, then ctrl+A and DEL (their way of clearing, without typing).
- `press back/home/enter` -> `navigate_back` / `navigate_home` / `keyboard_enter`;
  `press delete/app_switch/menu` -> key events 67 / 187 / 82.
- `open_app` -> `open_app` with `app_name`.
- `wait s` -> `ceil(s)` times `wait` (one second each).
- `answer` -> `answer`: the env keeps the text, so that question tasks are graded.
- `finish` -> `status`: `complete` for success, `infeasible` for failure or infeasible.
- `note` -> nothing: it only changes working memory.

Their vocabulary has two goal statuses; a task that failed and a task that cannot be done both
end the episode as `infeasible`, and grading reads the device either way.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from PIL import Image

from artemis.actions import (
    Action,
    Answer,
    ClearText,
    DoubleTap,
    ElementTarget,
    Finish,
    LongPress,
    Note,
    OpenApp,
    PointTarget,
    Press,
    Scroll,
    Swipe,
    Tap,
    Target,
    TypeText,
    Wait,
)
from artemis.errors import ActionError, TargetError
from artemis.observation import Observation, Rect, UIElement
from artemis.png import encode_png

# --- actions --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JsonCommand:
    """The fields of one android_world `JSONAction` (`JSONAction(**fields)`)."""

    fields: Mapping[str, Any]

    @property
    def action_type(self) -> str:
        return str(self.fields["action_type"])


@dataclass(frozen=True, slots=True)
class KeyCommand:
    """Android key codes, pressed one after another, or together when `combination`."""

    codes: tuple[int, ...]
    combination: bool = False

    def adb_args(self) -> list[str]:
        verb = "keycombination" if self.combination else "keyevent"
        return ["shell", "input", verb, *map(str, self.codes)]


@dataclass(frozen=True, slots=True)
class HoldCommand:
    """A press at (x, y) held for `duration_ms`: Android's long press is a swipe that stays."""

    x: int
    y: int
    duration_ms: int

    def adb_args(self) -> list[str]:
        point = [str(self.x), str(self.y)]
        return ["shell", "input", "swipe", *point, *point, str(self.duration_ms)]


EnvCommand = JsonCommand | KeyCommand | HoldCommand
AdbCommand = KeyCommand | HoldCommand
#: How long their `long_press` holds (`adb_utils.long_press`: `input swipe x y x y 1000`).
THEIR_LONG_PRESS_MS = 1000

KEYCODE_DEL = 67
KEYCODE_MENU = 82
KEYCODE_APP_SWITCH = 187
KEYCODE_CTRL_LEFT = 113
KEYCODE_A = 29

_JSON_KEYS = {"back": "navigate_back", "home": "navigate_home", "enter": "keyboard_enter"}
_KEY_EVENTS = {"delete": KEYCODE_DEL, "app_switch": KEYCODE_APP_SWITCH, "menu": KEYCODE_MENU}


def _target_fields(target: Target, ui: Sequence[UIElement] | None) -> dict[str, int]:
    if isinstance(target, ElementTarget):
        if ui is not None and not 0 <= target.index < len(ui):
            raise TargetError(
                f"element #{target.index} does not exist: this screen has {len(ui)} elements"
            )
        return {"index": target.index}
    return {"x": target.x, "y": target.y}


def _point(target: Target, ui: Sequence[UIElement] | None) -> tuple[int, int]:
    """A target as a point: an element's centre, as their actuation takes it."""
    if isinstance(target, PointTarget):
        return target.x, target.y
    if ui is None:
        raise TargetError(f"element #{target.index} cannot be used: this screen has no UI tree")
    _target_fields(target, ui)  # checks the index
    return ui[target.index].bounds.center


def _json(action_type: str, **fields: Any) -> JsonCommand:
    return JsonCommand({"action_type": action_type, **fields})


def swipe_direction(start: PointTarget, end: PointTarget) -> str:
    """Their `swipe` direction whose gesture moves the finger the way `start -> end` does.

    Their vertical swipes go the way they are named (`down`: top edge to bottom edge); their
    horizontal ones go the other way (`left`: left edge to right edge).
    """
    dx, dy = end.x - start.x, end.y - start.y
    if dx == 0 and dy == 0:
        raise ActionError("a swipe must move: its start and end are the same point")
    if abs(dy) >= abs(dx):
        return "down" if dy > 0 else "up"
    return "left" if dx > 0 else "right"


def scroll_index(anchor: Target | None, ui: Sequence[UIElement] | None) -> int | None:
    """The element their `scroll` should act on, or None for the whole screen.

    A point becomes the smallest scrollable element that contains it (else the smallest
    element). Their actuation treats index 0 like no index: the whole screen scrolls.
    """
    if anchor is None:
        return None
    if isinstance(anchor, ElementTarget):
        return _target_fields(anchor, ui)["index"]
    if not ui:
        return None
    hits = [e for e in ui if e.bounds.area > 0 and e.bounds.contains(anchor.x, anchor.y)]
    scrollable = [e for e in hits if e.scrollable]
    pool = scrollable or hits
    if not pool:
        return None
    return min(pool, key=lambda e: e.bounds.area).index


def to_env_commands(
    action: Action, ui: Sequence[UIElement] | None = None
) -> tuple[EnvCommand, ...]:
    """The android_world commands that carry out `action` (coordinates in device pixels).

    `ui` is the observed element list (their `ui_elements`, in order): element indices are
    checked against it, and scroll anchors given as points are resolved with it.
    Raises `TargetError` / `ActionError` for what cannot be carried out (recoverable).
    """
    match action:
        case Tap(target=t):
            return (_json("click", **_target_fields(t, ui)),)
        case DoubleTap(target=t):
            return (_json("double_tap", **_target_fields(t, ui)),)
        case LongPress(target=t, duration_ms=ms):
            if ms == THEIR_LONG_PRESS_MS:
                return (_json("long_press", **_target_fields(t, ui)),)
            return (HoldCommand(*_point(t, ui), ms),)
        case Scroll(direction=d, anchor=a):
            index = scroll_index(a, ui)
            extra = {} if index is None else {"index": index}
            return (_json("scroll", direction=d, **extra),)
        case Swipe(start=s, end=e):
            return (_json("swipe", direction=swipe_direction(s, e)),)
        case TypeText(text=text, target=t, clear_first=clear):
            where = {} if t is None else _target_fields(t, ui)
            return (_json("input_text", text=text, clear_text=clear, **where),)
        case ClearText(target=t):
            tap = () if t is None else (_json("click", **_target_fields(t, ui)),)
            return (
                *tap,
                KeyCommand((KEYCODE_CTRL_LEFT, KEYCODE_A), combination=True),
                KeyCommand((KEYCODE_DEL,)),
            )
        case Press(key=k):
            if k in _JSON_KEYS:
                return (_json(_JSON_KEYS[k]),)
            return (KeyCommand((_KEY_EVENTS[k],)),)
        case OpenApp(app=app):
            return (_json("open_app", app_name=app),)
        case Wait(seconds=s):
            return tuple(_json("wait") for _ in range(max(1, math.ceil(s))))
        case Note():
            return ()
        case Answer(text=text):
            return (_json("answer", text=text),)
        case Finish(status=status):
            goal = "complete" if status == "success" else "infeasible"
            return (_json("status", goal_status=goal),)
    raise AssertionError(f"unhandled action {action!r}")  # pragma: no cover


# --- observations ---------------------------------------------------------------------------

#: Packages whose windows sit above the app and do not make it the foreground app.
_OVERLAY_PREFIXES = ("com.android.systemui", "com.google.android.inputmethod")


@dataclass(frozen=True, slots=True)
class Foreground:
    package: str | None = None
    activity: str | None = None

    @classmethod
    def parse(cls, full_activity: str | None) -> Foreground:
        """From their `foreground_activity_name`, e.g. `com.android.settings/.Settings`."""
        if not full_activity:
            return cls()
        package, _, activity = full_activity.strip().partition("/")
        return cls(package or None, activity or None)


def _bounds(bbox: Any) -> Rect:
    if bbox is None:
        return Rect(0, 0, 0, 0)
    return Rect(round(bbox.x_min), round(bbox.y_min), round(bbox.x_max), round(bbox.y_max))


def _s(value: Any) -> str:
    return "" if value is None else str(value)


def _b(value: Any, default: bool = False) -> bool:
    return default if value is None else bool(value)


def ui_element(index: int, el: Any) -> UIElement:
    """One of their `UIElement`s as ours; `index` is its position in their list."""
    return UIElement(
        index=index,
        bounds=_bounds(getattr(el, "bbox_pixels", None)),
        text=_s(el.text),
        content_desc=_s(el.content_description),
        resource_id=_s(getattr(el, "resource_name", None) or getattr(el, "resource_id", None)),
        class_name=_s(el.class_name),
        package=_s(getattr(el, "package_name", None)),
        hint=_s(getattr(el, "hint_text", None)),
        checkable=_b(getattr(el, "is_checkable", None)),
        checked=_b(getattr(el, "is_checked", None)),
        clickable=_b(getattr(el, "is_clickable", None)),
        long_clickable=_b(getattr(el, "is_long_clickable", None)),
        editable=_b(getattr(el, "is_editable", None)),
        scrollable=_b(getattr(el, "is_scrollable", None)),
        enabled=_b(getattr(el, "is_enabled", None), default=True),
        focusable=_b(getattr(el, "is_focusable", None)),
        focused=_b(getattr(el, "is_focused", None)),
        selected=_b(getattr(el, "is_selected", None)),
    )


def ui_elements(elements: Iterable[Any]) -> tuple[UIElement, ...]:
    """Their element list as ours, keeping order so that indices mean the same on both sides."""
    return tuple(ui_element(i, el) for i, el in enumerate(elements))


def package_from_elements(ui: Sequence[UIElement]) -> str | None:
    """The app most elements belong to, ignoring the status bar and the keyboard."""
    counts = Counter(
        e.package for e in ui if e.package and not e.package.startswith(_OVERLAY_PREFIXES)
    )
    return counts.most_common(1)[0][0] if counts else None


def pixels_to_png(pixels: Any) -> tuple[bytes, int, int]:
    """Their RGB screenshot array (height x width x 3, uint8) as PNG bytes, width, height.

    CPU-bound: call it through `asyncio.to_thread` from async code.
    """
    import numpy as np

    arr = np.asarray(pixels)
    if arr.ndim != 3 or arr.shape[2] not in (3, 4):
        raise ValueError(f"expected an RGB array of shape (h, w, 3), got {arr.shape}")
    if arr.dtype != np.uint8:
        arr = np.clip(arr, 0, 255).astype(np.uint8)
    img = Image.fromarray(np.ascontiguousarray(arr[:, :, :3]), "RGB")
    return encode_png(img), img.width, img.height


def state_to_observation(
    state: Any, *, foreground: Foreground | None = None, with_ui: bool = True
) -> Observation:
    """Their `State` as our `Observation`. CPU-bound (PNG encoding): run it off the loop.

    An all-black screenshot (a window with FLAG_SECURE) makes the observation `blank`.

    The foreground app comes from `foreground` (the env's activity) when known, else from the
    elements' packages.
    """
    png, width, height = pixels_to_png(state.pixels)
    blank = not _any_light(state.pixels)
    ui = ui_elements(state.ui_elements or ())
    fg = foreground or Foreground()
    package = fg.package or package_from_elements(ui)
    return Observation(
        screenshot=png,
        width=width,
        height=height,
        ui=ui if with_ui else None,
        package=package,
        activity=fg.activity if fg.package else None,
        blank=blank,
    )


def _any_light(pixels: Any) -> bool:
    """Whether a screenshot array has any pixel that is not black (FLAG_SECURE gives none)."""
    import numpy as np

    return bool(np.asarray(pixels)[:, :, :3].any())


def describe_command(command: EnvCommand) -> str:
    """One line for logs and step records: `click(index=3)`, `adb shell input keyevent 67`."""
    if isinstance(command, JsonCommand):
        args = ", ".join(f"{k}={v!r}" for k, v in command.fields.items() if k != "action_type")
        return f"{command.action_type}({args})"
    return "adb " + " ".join(command.adb_args())
