"""The `mobile_use` function call shared by Qwen2.5-VL, Qwen3-VL, GUI-Owl and MAI-UI.

The model answers with a `<tool_call>` block holding `{"name": "mobile_use", "arguments":
{"action": ..., ...}}`, after optional thinking and prose; a server with a tool-call parser
(vLLM's `hermes`) returns the same as `message.tool_calls`, with `arguments` as JSON text.
Both are read. The actions of the whole family:

| native | artemis |
|---|---|
| `click` (coordinate) | tap |
| `double_click` (coordinate) | double_tap |
| `long_press` (coordinate, time in s) | long_press |
| `swipe` (coordinate → coordinate2) | swipe |
| `swipe` (direction, optional coordinate; MAI-UI: the finger's direction) | scroll the other way |
| `drag` (start_coordinate → end_coordinate) | swipe |
| `type` (text) | type into the focused field |
| `key` (text: an adb keyevent name) | press, for back/home/enter/del/menu/app_switch |
| `system_button` (Back/Home/Menu/Enter) | press |
| `open` (text) | open_app |
| `wait` (time) | wait |
| `answer` (text) | answer |
| `terminate` (status) | finish |

Each dialect of the family reads the actions its model was trained with.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from artemis.errors import ModelResponseError
from artemis.models.base import ImagePart, Message, TextPart, ToolCall
from artemis.models.dialects import text as tx
from artemis.models.dialects.base import (
    ActionData,
    Dialect,
    NavigationPrompt,
    ParsedReply,
    Rendered,
    context_text,
    history_in_model_space,
)

TOOL = "mobile_use"
#: The function names read: GUI-Owl's desktop runs call the same actions `computer_use`.
TOOLS = (TOOL, "computer_use")
#: Every action of the family's prompts; a model may use one its own prompt did not list.
FAMILY_ACTIONS = frozenset(
    {
        "click",
        "double_click",
        "long_press",
        "swipe",
        "drag",
        "type",
        "key",
        "system_button",
        "open",
        "wait",
        "answer",
        "terminate",
    }
)

#: adb keyevent names (and the system buttons) that artemis keys stand for.
KEY_NAMES: dict[str, str] = {
    "back": "back",
    "home": "home",
    "enter": "enter",
    "menu": "menu",
    "del": "delete",
    "delete": "delete",
    "backspace": "delete",
    "app_switch": "app_switch",
    "recent": "app_switch",
    "recents": "app_switch",
    "keycode_back": "back",
    "keycode_home": "home",
    "keycode_enter": "enter",
    "keycode_menu": "menu",
    "keycode_del": "delete",
    "keycode_app_switch": "app_switch",
}
_OPPOSITE = {"up": "down", "down": "up", "left": "right", "right": "left"}


def pt(value: Any, what: str) -> dict[str, float]:
    x, y = tx.point_of(value, what)
    return {"x": x, "y": y}


def xy(point: dict[str, Any]) -> list[float]:
    """A point of action data as the `[x, y]` list the family writes."""
    return [_num(point["x"]), _num(point["y"])]


def _num(v: Any) -> float:
    f = float(v)
    return int(f) if f == int(f) else round(f, 4)


class MobileUseDialect(Dialect):
    """The family's parser and writer; subclasses give the prompt and the action set."""

    actions: ClassVar[tuple[str, ...]] = tuple(sorted(FAMILY_ACTIONS))

    #: Whether `swipe` takes a direction (MAI-UI) rather than two coordinates (Qwen).
    swipe_by_direction: ClassVar[bool] = False
    #: The word `terminate` takes for a failure.
    failure_word: ClassVar[str] = "failure"
    #: The system buttons as the prompt spells them.
    buttons: ClassVar[dict[str, str]] = {
        "back": "Back",
        "home": "Home",
        "menu": "Menu",
        "enter": "Enter",
    }
    #: Parameters of its actions beyond the coordinates and text (`time` for Qwen).
    timed: ClassVar[bool] = True

    # --- reading ---------------------------------------------------------------------------

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        thinking, body = tx.split_thinking(tx.check_length(text))
        calls: list[tuple[str, Any]] = [(c.name, c.arguments) for c in tool_calls]
        prose = body
        if not calls:
            blocks = tx.tool_call_blocks(body)
            prose = body.split("<tool_call>", 1)[0]
            calls = [self._block(b) for b in blocks]
        if not calls:
            bare = self._bare_action(body)
            if bare is None:
                raise ModelResponseError(
                    "the reply has no <tool_call> block; answer with <tool_call>"
                    '{"name": "mobile_use", "arguments": {"action": ...}}</tool_call>',
                    raw=text,
                )
            calls = [(TOOL, bare)]
            prose = body[: body.find("Action")] if "Action" in body else ""
        name, args = calls[0]
        arguments = self.arguments(name, args)
        action = self.to_action(arguments)
        thought = self._thought(thinking, prose)
        rest = [json.dumps({"name": n, "arguments": a}, ensure_ascii=False) for n, a in calls[1:]]
        native = json.dumps({"name": name, "arguments": arguments}, ensure_ascii=False)
        return ParsedReply(thought, action, native, rest)

    def _block(self, block: str) -> tuple[str, Any]:
        try:
            data = tx.find_json(block)
        except ValueError:
            raise ModelResponseError(
                f"the <tool_call> block is not JSON: {tx.snippet(block)!r}"
            ) from None
        if not isinstance(data, dict) or "name" not in data:
            raise ModelResponseError(
                'a <tool_call> block holds {"name": "mobile_use", "arguments": {...}}, got '
                f"{tx.snippet(block)!r}"
            )
        return str(data["name"]), data.get("arguments", data.get("parameters", {}))

    def _bare_action(self, body: str) -> dict[str, Any] | None:
        """`Action: {"action": "click", ...}` without a tool call (Mobile-Agent-v3's Operator)."""
        after = tx.after_label(body, "Action")
        for candidate in (after, body):
            if not candidate or "{" not in candidate:
                continue
            try:
                data = tx.find_json(candidate)
            except ValueError:
                continue
            if isinstance(data, dict) and "action" in data:
                return data
        return None

    def arguments(self, name: str, args: Any) -> dict[str, Any]:
        if name not in TOOLS:
            raise self.unsupported(f"{name}(...)", f"only the {TOOL} function is available")
        if isinstance(args, str):
            try:
                args = tx.loads(args)
            except ValueError:
                raise ModelResponseError(
                    f"the arguments of {TOOL} are not JSON: {tx.snippet(args)!r}"
                ) from None
        if not isinstance(args, dict) or "action" not in args:
            raise ModelResponseError(f'the arguments of {TOOL} need an "action", got {args!r}')
        return args

    def _thought(self, thinking: str, prose: str) -> str:
        prose = tx.strip_section(prose, "conclusion").strip()
        labelled = tx.labelled(prose, "Thought")
        parts = [thinking, labelled if labelled is not None else prose]
        return "\n".join(p.strip() for p in parts if p and p.strip())

    def to_action(self, a: dict[str, Any]) -> ActionData:
        """artemis action data for one `mobile_use` call (points in the model's space)."""
        kind = tx.as_text(a.get("action"), "action").strip().lower()
        kind = {"left_click": "click", "tap": "click"}.get(kind, kind)
        if kind not in FAMILY_ACTIONS:  # any of the family's, whichever this model's prompt lists
            raise self.unsupported(f"{TOOL}(action={kind!r})")
        if kind == "click":
            return {"type": "tap", "target": pt(a.get("coordinate"), "coordinate")}
        if kind == "double_click":
            return {"type": "double_tap", "target": pt(a.get("coordinate"), "coordinate")}
        if kind == "long_press":
            out: ActionData = {
                "type": "long_press",
                "target": pt(a.get("coordinate"), "coordinate"),
            }
            if a.get("time") is not None:
                out["duration_ms"] = _ms(a["time"])
            return out
        if kind == "swipe":
            return self._swipe(a)
        if kind == "drag":
            return {
                "type": "swipe",
                "start": pt(a.get("start_coordinate"), "start_coordinate"),
                "end": pt(a.get("end_coordinate"), "end_coordinate"),
            }
        if kind == "type":
            return {"type": "type", "text": tx.as_text(a.get("text"), "text")}
        if kind in ("key", "system_button"):
            raw = a.get("text") if kind == "key" else a.get("button")
            name = tx.as_text(raw, "button" if kind == "system_button" else "text")
            key = KEY_NAMES.get(name.strip().lower().replace(" ", "_"))
            if key is None:
                raise self.unsupported(
                    f"{kind} {name!r}",
                    "artemis presses back, home, enter, delete, menu and app_switch",
                )
            return {"type": "press", "key": key}
        if kind == "open":
            return {"type": "open_app", "app": tx.as_text(a.get("text"), "text")}
        if kind == "wait":
            seconds = a.get("time")
            return (
                {"type": "wait", "seconds": tx.number(seconds, "time")}
                if seconds
                else {"type": "wait"}
            )
        if kind == "answer":
            return {"type": "answer", "text": tx.as_text(a.get("text"), "text")}
        if kind == "terminate":
            status = tx.as_text(a.get("status", "success"), "status").strip().lower()
            if status not in ("success", "failure", "fail", "failed"):
                raise ModelResponseError(
                    f"terminate's status must be success or failure: {status!r}"
                )
            return {"type": "finish", "status": "success" if status == "success" else "failure"}
        raise self.unsupported(f"{TOOL}(action={kind!r})")  # pragma: no cover

    def _swipe(self, a: dict[str, Any]) -> ActionData:
        by_direction = self.swipe_by_direction or a.get("coordinate2") is None
        if by_direction and a.get("direction") is not None:
            finger = tx.one_of(a["direction"], ("up", "down", "left", "right"), "direction")
            out: ActionData = {"type": "scroll", "direction": _OPPOSITE[finger]}
            if a.get("coordinate") is not None:
                out["anchor"] = pt(a["coordinate"], "coordinate")
            return out
        return {
            "type": "swipe",
            "start": pt(a.get("coordinate"), "coordinate"),
            "end": pt(a.get("coordinate2"), "coordinate2"),
        }

    # --- writing ---------------------------------------------------------------------------

    def arguments_for(self, action: ActionData) -> dict[str, Any]:
        """The `mobile_use` arguments that carry out `action`; raises when none can."""
        kind = action["type"]
        if kind == "tap":
            return {"action": "click", "coordinate": xy(action["target"])}
        if kind == "double_tap" and "double_click" in self.actions:
            return {"action": "double_click", "coordinate": xy(action["target"])}
        if kind == "long_press":
            out: dict[str, Any] = {"action": "long_press", "coordinate": xy(action["target"])}
            if self.timed:
                out["time"] = round(action.get("duration_ms", 800) / 1000, 3)
            return out
        if kind == "swipe":
            if self.swipe_by_direction:
                return {
                    "action": "drag",
                    "start_coordinate": xy(action["start"]),
                    "end_coordinate": xy(action["end"]),
                }
            return {
                "action": "swipe",
                "coordinate": xy(action["start"]),
                "coordinate2": xy(action["end"]),
            }
        if kind == "scroll" and self.swipe_by_direction:
            out = {"action": "swipe", "direction": _OPPOSITE[action["direction"]]}
            anchor = action.get("anchor")
            if isinstance(anchor, dict) and "x" in anchor:
                out["coordinate"] = xy(anchor)
            return out
        if kind == "type" and action.get("target") is None and not action.get("clear_first"):
            if action.get("submit"):
                raise ModelResponseError("mobile_use types and presses Enter in two actions")
            return {"action": "type", "text": action["text"]}
        if kind == "press":
            if action["key"] in self.buttons:
                return {"action": "system_button", "button": self.buttons[action["key"]]}
            if "key" in self.actions:
                return {
                    "action": "key",
                    "text": {"delete": "del"}.get(action["key"], action["key"]),
                }
        if kind == "open_app" and "open" in self.actions:
            return {"action": "open", "text": action["app"]}
        if kind == "wait":
            out = {"action": "wait"}
            if self.timed:
                out["time"] = action.get("seconds", 1.0)
            return out
        if kind == "answer" and "answer" in self.actions:
            return {"action": "answer", "text": action["text"]}
        if kind == "finish" and action.get("status") in ("success", "failure"):
            word = "success" if action["status"] == "success" else self.failure_word
            return {"action": "terminate", "status": word}
        raise ModelResponseError(f"{self.name} cannot write {action}")

    def render_action(self, action: ActionData) -> str:
        return json.dumps({"name": TOOL, "arguments": self.arguments_for(action)})

    def tool_call_text(self, action: ActionData) -> str:
        return f"<tool_call>\n{self.render_action(action)}\n</tool_call>"


def _ms(seconds: Any) -> int:
    value = tx.number(seconds, "time")
    return max(100, min(10_000, round(value * 1000)))


def user_turn(text: str, p: NavigationPrompt, *, image_first: bool = False) -> Message:
    """The user turn: the query text (with artemis's context) and the screenshot."""
    extra = context_text(p)
    body = f"{text}\n\n{extra}" if extra else text
    parts = (ImagePart(p.screenshot, "screen"), TextPart(body))
    return Message("user", parts if image_first else parts[::-1])


def steps_text(dialect: MobileUseDialect, p: NavigationPrompt) -> str:
    """`Step 1: {call}; Step 2: ...; ` as the cookbooks write the task progress."""
    return "".join(
        f"Step {i}: {written}; "
        for i, (_, written) in enumerate(history_in_model_space(dialect, p), start=1)
    )


def rendered(dialect: MobileUseDialect, thought: str, action: ActionData) -> Rendered:
    return Rendered(
        f"{thought}\n{dialect.tool_call_text(action)}"
        if thought
        else dialect.tool_call_text(action)
    )
