"""What the safety gate judges: one proposed step, as plain facts.

The gate does not read UI indices or device pixels: the agent loop (`artemis.agent.guard`)
and the case files of `artemis safety check` (`artemis.safety.cases`) both reduce a step to
these facts: the task, the app, the action with the name of the element it touches and the
text it types, the text on the screen, the pop-up or dialog when one is the active window,
the text of the screen's fields, and what came before.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from artemis.observation import UIElement

#: Action types that never reach the device, and keys that only navigate: never gated.
UNGATED_TYPES = frozenset({"note", "answer", "finish", "wait"})
NAVIGATION_KEYS = frozenset({"back", "home", "app_switch"})


@dataclass(frozen=True)
class ActionFacts:
    """One action: its type and, where it has them, the element it touches (by name), the
    text it types, the app it opens, the key it presses, the point it touches."""

    type: str
    target_text: str | None = None
    #: The element's class ("Button", "EditText", "Switch"), when known.
    target_kind: str | None = None
    text: str | None = None
    app: str | None = None
    key: str | None = None
    point: tuple[int, int] | None = None
    direction: str | None = None

    def describe(self) -> str:
        match self.type:
            case "type":
                where = f' into "{self.target_text}"' if self.target_text else ""
                return f"type {self.text!r}{where}"
            case "open_app":
                return f"open the app {self.app!r}"
            case "press":
                return f"press {self.key}"
            case "scroll" | "swipe":
                return f"{self.type} {self.direction or ''}".strip()
        what = (
            f'"{self.target_text}"'
            if self.target_text
            else (f"the point {self.point}" if self.point else "the screen")
        )
        return f"{self.type.replace('_', ' ')} {what}"

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {"type": self.type}
        for key in ("target_text", "target_kind", "text", "app", "key", "direction"):
            value = getattr(self, key)
            if value is not None:
                out[key] = value
        if self.point is not None:
            out["point"] = list(self.point)
        return out


@dataclass(frozen=True)
class Overlay:
    """A window that covers only part of the screen and has the focus: a dialog, a pop-up,
    a heads-up notification. `texts` is what it shows."""

    texts: tuple[str, ...]
    package: str | None = None


@dataclass(frozen=True)
class StepFacts:
    task: str
    action: ActionFacts
    app: str | None = None
    thought: str = ""
    screen_text: tuple[str, ...] = ()
    overlay: Overlay | None = None
    #: The text in the screen's editable fields: what a send would send.
    fields: tuple[str, ...] = ()
    history: tuple[ActionFacts, ...] = ()
    #: Instructions the gate found on earlier screens of the episode.
    seen_instructions: tuple[str, ...] = field(default=())

    @property
    def gated(self) -> bool:
        """Whether the action can have an effect worth judging."""
        a = self.action
        if a.type in UNGATED_TYPES:
            return False
        return not (a.type == "press" and a.key in NAVIGATION_KEYS)

    def recent_typed(self, n: int = 3) -> list[str]:
        """Text typed in the last `n` steps, newest last."""
        return [a.text for a in self.history[-n:] if a.type == "type" and a.text]


# --- from a UI tree ----------------------------------------------------------------------------

#: A focused window smaller than this share of the screen is a pop-up, not an app's screen.
OVERLAY_MAX_SHARE = 0.6


def ui_texts(ui: Sequence[UIElement]) -> tuple[str, ...]:
    """Every text and content description of a tree, once each, in document order."""
    seen: dict[str, None] = {}
    for e in ui:
        for s in (e.text, e.content_desc):
            s = s.strip()
            if s:
                seen.setdefault(s, None)
    return tuple(seen)


def field_texts(ui: Sequence[UIElement]) -> tuple[str, ...]:
    """What the editable fields hold (a field that shows its hint holds nothing)."""
    return tuple(e.text.strip() for e in ui if e.editable and e.text.strip() and e.text != e.hint)


def overlay_of(ui: Sequence[UIElement], screen: tuple[int, int] | None) -> Overlay | None:
    """The tree as a pop-up, when its window covers only part of the screen: smaller than
    `OVERLAY_MAX_SHARE` of it, or, with no screen size known, not starting at the corner."""
    if not ui:
        return None
    root = ui[0].bounds
    if screen is not None and screen[0] * screen[1] > 0:
        small = root.area < OVERLAY_MAX_SHARE * screen[0] * screen[1]
    else:
        small = root.x1 > 0 or root.y1 > 0
    if not small:
        return None
    return Overlay(ui_texts(ui), ui[0].package or None)
