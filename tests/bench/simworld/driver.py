"""Play the oracle on a phone in process (no ADB, no screenshots): fast checks of every
template's solution and checker. The benchmark itself goes through the agent loop and ADB."""

from __future__ import annotations

from artemis.actions import (
    Action,
    Answer,
    ClearText,
    ElementTarget,
    Finish,
    LongPress,
    Note,
    OpenApp,
    Press,
    Scroll,
    Tap,
    Target,
    TypeText,
)
from artemis.bench.simworld.oracle import OracleModel
from artemis.bench.simworld.task import AnyTask
from artemis.device.uiautomator import parse_ui_xml
from artemis.observation import Observation, Rect, UIElement
from artemis.sim.apps import APPS
from artemis.sim.phone import Phone

KEYS = {"back": 4, "home": 3, "enter": 66, "delete": 67, "app_switch": 187, "menu": 82}


def observe(phone: Phone) -> Observation:
    """The screen as the agent would see it, minus the screenshot."""
    pkg, act = phone.foreground()
    return Observation(b"", phone.width, phone.height, parse_ui_xml(phone.ui_xml()), pkg, act)


def _point(t: Target, ui: tuple[UIElement, ...]) -> tuple[int, int]:
    if isinstance(t, ElementTarget):
        return ui[t.index].bounds.center
    return (t.x, t.y)


def execute(phone: Phone, action: Action, ui: tuple[UIElement, ...]) -> None:
    """What AdbDevice does for each action, straight on the phone."""
    match action:
        case Tap(target=t):
            phone.tap(*_point(t, ui))
        case LongPress(target=t, duration_ms=d):
            x, y = _point(t, ui)
            phone.swipe(x, y, x, y, d)
        case TypeText(text=text, target=t, clear_first=clear):
            n = 64
            if t is not None:
                phone.tap(*_point(t, ui))
                if isinstance(t, ElementTarget):
                    n = len(ui[t.index].text)
            if clear:
                phone.keyevent(123)
                for _ in range(max(n, 1)):
                    phone.keyevent(67)
            phone.input_text(text)
        case ClearText():
            phone.keyevent(123)
            for _ in range(64):
                phone.keyevent(67)
        case Scroll(direction=d, anchor=a):
            box = ui[a.index].bounds if isinstance(a, ElementTarget) else Rect(0, 0, 1080, 2400)
            cx, cy = box.center
            dy = int(box.height * 0.35)
            if d == "down":
                phone.swipe(cx, cy + dy, cx, cy - dy, 400)
            elif d == "up":
                phone.swipe(cx, cy - dy, cx, cy + dy, 400)
        case Press(key=k):
            phone.keyevent(KEYS[k])
        case OpenApp(app=name):
            pkg = next(p for p, app in APPS.items() if app.label == name or p == name)
            phone.launch(pkg)
        case Note() | Answer() | Finish():
            pass
        case _:
            raise AssertionError(f"the driver does not do {action!r}")


def play(
    phone: Phone, task: AnyTask, *, max_steps: int | None = None
) -> tuple[str, str | None, int]:
    """Run the oracle on `task` (already initialized); (finish status, answer, steps)."""
    oracle = OracleModel(task)
    budget = max_steps or task.max_steps
    for step in range(1, budget + 1):
        obs = observe(phone)
        move = oracle.plan(obs)
        action = move.action
        if isinstance(action, Finish):
            return action.status + (f": {action.reason}" if action.reason else ""), None, step
        if isinstance(action, Answer):
            return "answered", action.text, step
        assert obs.ui is not None
        execute(phone, action, obs.ui)
    return "budget", None, budget
