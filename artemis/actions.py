"""The actions an agent can take, as one pydantic union discriminated on `type`.

Coordinates here are always *device pixels*. Model backends answer in their own coordinate
space and convert before an action is built (see `artemis.models.coords`).

A target is either a point or a UI element index, never both: `PointTarget` and
`ElementTarget` forbid extra fields, so `{"x": 1, "y": 2, "index": 3}` validates as neither.

`scroll` follows the convention of AndroidWorld and of people: "scroll down" reveals the content
below, which is a finger swipe *upwards*. `swipe` is the raw finger movement.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Annotated, Any, Literal, TypeAlias, get_args

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class PointTarget(_Strict):
    """A point on the screen, in device pixels."""

    x: int = Field(ge=0, description="horizontal position in pixels, from the left edge")
    y: int = Field(ge=0, description="vertical position in pixels, from the top edge")


class ElementTarget(_Strict):
    """A UI element, by its index in the numbered element list of the current screen."""

    index: int = Field(ge=0, description="index of the element in the current screen's list")


Target: TypeAlias = PointTarget | ElementTarget

Direction: TypeAlias = Literal["up", "down", "left", "right"]
Key: TypeAlias = Literal["back", "home", "enter", "delete", "app_switch", "menu"]
FinishStatus: TypeAlias = Literal["success", "failure", "infeasible"]


class Tap(_Strict):
    """Tap once on a target."""

    type: Literal["tap"] = "tap"
    target: Target


class DoubleTap(_Strict):
    """Tap twice in quick succession."""

    type: Literal["double_tap"] = "double_tap"
    target: Target


class LongPress(_Strict):
    """Press and hold."""

    type: Literal["long_press"] = "long_press"
    target: Target
    duration_ms: int = Field(default=800, ge=100, le=10_000)


class Swipe(_Strict):
    """Move a finger from `start` to `end` (raw gesture; for lists prefer `scroll`)."""

    type: Literal["swipe"] = "swipe"
    start: PointTarget
    end: PointTarget
    duration_ms: int = Field(default=300, ge=10, le=10_000)


class Scroll(_Strict):
    """Scroll the content: "down" reveals what is below (the finger moves up)."""

    type: Literal["scroll"] = "scroll"
    direction: Direction
    anchor: Target | None = Field(
        default=None, description="element or point to scroll; the whole screen when absent"
    )


class TypeText(_Strict):
    """Type text, into `target` when given (tapped first), else into the focused field;
    `submit` presses Enter afterwards."""

    type: Literal["type"] = "type"
    text: str = Field(min_length=1, max_length=4096)
    target: Target | None = None
    clear_first: bool = False
    submit: bool = Field(default=False, description="press Enter after typing")


class ClearText(_Strict):
    """Clear a text field: `target` when given, else the focused field."""

    type: Literal["clear_text"] = "clear_text"
    target: Target | None = None


class Press(_Strict):
    """Press a system or keyboard key."""

    type: Literal["press"] = "press"
    key: Key


class OpenApp(_Strict):
    """Open an app by its name as shown in the launcher, or by its package name."""

    type: Literal["open_app"] = "open_app"
    app: str = Field(min_length=1, max_length=256)


class Wait(_Strict):
    """Wait for the screen to change (loading, animations)."""

    type: Literal["wait"] = "wait"
    seconds: float = Field(default=1.0, gt=0, le=60)


class Note(_Strict):
    """Keep a piece of information in working memory for later steps."""

    type: Literal["note"] = "note"
    text: str = Field(min_length=1, max_length=4096)


class Answer(_Strict):
    """Answer the user's question; ends the episode."""

    type: Literal["answer"] = "answer"
    text: str = Field(max_length=4096)


class Finish(_Strict):
    """End the episode: the task is done, failed, or cannot be done."""

    type: Literal["finish"] = "finish"
    status: FinishStatus
    reason: str = Field(default="", max_length=4096)


Action: TypeAlias = Annotated[
    Tap
    | DoubleTap
    | LongPress
    | Swipe
    | Scroll
    | TypeText
    | ClearText
    | Press
    | OpenApp
    | Wait
    | Note
    | Answer
    | Finish,
    Field(discriminator="type"),
]

ACTION_ADAPTER: TypeAdapter[Action] = TypeAdapter(Action)

#: Every action type, from the union (one place to add an action).
ACTION_TYPES: frozenset[str] = frozenset(
    str(m.model_fields["type"].default) for m in get_args(get_args(Action)[0])
)
#: Actions that end an episode.
TERMINAL_TYPES = frozenset({"answer", "finish"})
#: Actions that do not touch the device.
MEMORY_ONLY_TYPES = frozenset({"note", "answer", "finish"})


def parse_action(data: str | bytes | dict[str, Any]) -> Action:
    """Validate an action from JSON text or a dict; raises `pydantic.ValidationError`."""
    if isinstance(data, str | bytes):
        return ACTION_ADAPTER.validate_json(data)
    return ACTION_ADAPTER.validate_python(data)


def action_json_schema() -> dict[str, Any]:
    """The JSON schema of the action union, for prompts and structured output."""
    return ACTION_ADAPTER.json_schema()


def action_schema_text() -> str:
    """The action schema as compact JSON text, for a prompt."""
    return json.dumps(action_json_schema(), separators=(",", ":"))


def is_terminal(action: Action) -> bool:
    return action.type in TERMINAL_TYPES


def map_points(action: Action, fn: Callable[[int, int], tuple[int, int]]) -> Action:
    """Return `action` with every point target passed through `fn(x, y) -> (x, y)`.

    Used to convert between a model's coordinate space and device pixels in one place.
    Element targets are left as they are.
    """

    def conv(value: Any) -> Any:
        if isinstance(value, PointTarget):
            x, y = fn(value.x, value.y)
            return PointTarget(x=max(0, x), y=max(0, y))
        return value

    updates = {
        name: conv(getattr(action, name))
        for name in type(action).model_fields
        if isinstance(getattr(action, name), PointTarget)
    }
    return action.model_copy(update=updates) if updates else action


def describe(action: Action) -> str:
    """A short human-readable rendering, for logs and the live display."""

    def tgt(t: Target | None) -> str:
        if t is None:
            return "focused"
        if isinstance(t, PointTarget):
            return f"({t.x},{t.y})"
        return f"#{t.index}"

    match action:
        case Tap(target=t):
            return f"tap {tgt(t)}"
        case DoubleTap(target=t):
            return f"double_tap {tgt(t)}"
        case LongPress(target=t, duration_ms=d):
            return f"long_press {tgt(t)} {d}ms"
        case Swipe(start=s, end=e, duration_ms=d):
            return f"swipe {tgt(s)}->{tgt(e)} {d}ms"
        case Scroll(direction=d, anchor=a):
            return f"scroll {d}" + (f" at {tgt(a)}" if a is not None else "")
        case TypeText(text=text, target=t, clear_first=c, submit=sub):
            return (
                f"type {text!r} into {tgt(t)}"
                + (" (clear first)" if c else "")
                + (" and press Enter" if sub else "")
            )
        case ClearText(target=t):
            return f"clear_text {tgt(t)}"
        case Press(key=k):
            return f"press {k}"
        case OpenApp(app=a):
            return f"open_app {a!r}"
        case Wait(seconds=s):
            return f"wait {s:g}s"
        case Note(text=text):
            return f"note {text!r}"
        case Answer(text=text):
            return f"answer {text!r}"
        case Finish(status=s, reason=r):
            return f"finish {s}" + (f": {r}" if r else "")
    raise AssertionError(f"unhandled action {action!r}")  # pragma: no cover
