"""`ui-tars-1.0` and `ui-tars-1.5`: UI-TARS's `Thought: …\\nAction: fn(args)` text
(bytedance/UI-TARS@582f3a7e: `README_v1.md`, `codes/ui_tars/prompt.py`, `README_coordinates.md`;
the parsers of bytedance/UI-TARS-desktop@239b6544, `packages/ui-tars/action-parser`).

Replies as the models write them are read: a `<think>` block or a `Reflection:` /
`Action_Summary:` header first, `Action：` with a full-width colon, several actions separated by
blank lines (the first is used, the rest recorded), and every point syntax seen in the wild:
`start_box='(x,y)'`, `start_box='<|box_start|>(x,y)<|box_end|>'` (the end token sometimes
doubled), `point='<point>x y</point>'`, `<bbox>x1 y1 x2 y2</bbox>` and `[x1,y1,x2,y2]` (a box
stands for its centre). Calls are read with Python's own parser, and loosely when the model
left a quote unescaped.

Coordinates: UI-TARS-1.0 answers in 0..1000; UI-TARS-1.5 in pixels of the resized image it was
sent (smart-resize, factor 28, 100·28² to 16384·28² pixels). Doubao-1.5-UI-TARS, served
through an API, writes the same text in 0..1000 (`auto` knows it by name; or set
`models.coords = "norm1000"`).

`finished(content='…')` with a content answers the user (AndroidWorld's question tasks need
it); without one it ends the task. `type` content ending in a newline submits (Enter).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from artemis.errors import ModelResponseError
from artemis.models.base import ImagePart, Message, ToolCall
from artemis.models.coords import CoordSpace, ImageFrame, ImageRule
from artemis.models.dialects import text as tx
from artemis.models.dialects.base import (
    ActionData,
    Dialect,
    NavigationPrompt,
    ParsedReply,
    Rendered,
    conversation,
)

_POINT_ARGS = ("start_box", "point", "start_point", "box")
_END_ARGS = ("end_box", "end_point")
_DIRECTIONS = ("up", "down", "left", "right")
_KEYS = {
    "enter": "enter",
    "return": "enter",
    "back": "back",
    "home": "home",
    "backspace": "delete",
    "delete": "delete",
    "menu": "menu",
}


def _point(call: Any, names: Sequence[str], what: str) -> dict[str, float]:
    value = call.arg(*names)
    if value is None:
        raise ModelResponseError(f"{call.name}() needs {what} ({' or '.join(names)})")
    x, y = tx.point_of(value, what)
    return {"x": x, "y": y}


class _UiTars(Dialect):
    """The reader and writer shared by both versions; they differ in prompt and points."""

    summary_label: ClassVar[str] = "Thought"
    point_arg: ClassVar[str] = "point"
    image: ClassVar[ImageRule | None] = ImageRule(28, 100 * 28 * 28, 16384 * 28 * 28)

    def system_text(self, p: NavigationPrompt) -> str:
        raise NotImplementedError

    # --- prompts ---------------------------------------------------------------------------

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        return conversation(self, p, self.system_text(p))

    def grounding_messages(
        self, instruction: str, screenshot: bytes, frame: ImageFrame, coords: CoordSpace
    ) -> list[Message]:
        prompt = (
            "You are a GUI agent. You get an instruction and a screenshot, and you answer with "
            "the one action that carries it out.\n\n"
            "## Output Format\n\nAction: ...\n\n"
            f"## Action Space\nclick({self._point_param('x1', 'y1')})\n\n"
            f"## User Instruction\n{instruction}"
        )
        return [Message.user(prompt, ImagePart(screenshot, "screen"))]

    # --- reading ---------------------------------------------------------------------------

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        thinking, body = tx.split_thinking(tx.check_length(text))
        action_text = tx.after_label(body, "Action")
        if action_text is None:
            if tx.parse_calls(body):
                action_text = body
            else:
                raise ModelResponseError(
                    "the reply has no `Action:` line; answer with\nThought: ...\nAction: ...",
                    raw=text,
                )
        calls = tx.parse_calls(action_text)
        if not calls:
            raise ModelResponseError(
                f"no action call after `Action:`: {tx.snippet(action_text)!r}", raw=text
            )
        action = self.to_action(calls[0])
        head = body[: body.rfind("Action")] if "Action" in body else ""
        said = [tx.labelled(head, label) for label in ("Reflection", self.summary_label, "Thought")]
        thought_parts = [thinking, *dict.fromkeys(s for s in said if s)]
        thought = "\n".join(p for p in thought_parts if p) or head.strip()
        return ParsedReply(thought, action, calls[0].source, [c.source for c in calls[1:]])

    def to_action(self, call: Any) -> ActionData:
        name = call.name.lower()
        if name in ("click", "left_single", "tap"):
            return {"type": "tap", "target": _point(call, _POINT_ARGS, "a point")}
        if name in ("left_double", "double_click", "double_tap"):
            return {"type": "double_tap", "target": _point(call, _POINT_ARGS, "a point")}
        if name == "long_press":
            out: ActionData = {"type": "long_press", "target": _point(call, _POINT_ARGS, "a point")}
            seconds = call.arg("time")
            if seconds not in (None, ""):
                out["duration_ms"] = max(100, min(10_000, round(tx.number(seconds, "time") * 1000)))
            return out
        if name in ("drag", "swipe", "select"):
            return {
                "type": "swipe",
                "start": _point(call, _POINT_ARGS, "a start point"),
                "end": _point(call, _END_ARGS, "an end point"),
            }
        if name == "scroll":
            if call.arg(*_END_ARGS) is not None:  # 1.0's scroll from one box to another
                return {
                    "type": "swipe",
                    "start": _point(call, _POINT_ARGS, "a start point"),
                    "end": _point(call, _END_ARGS, "an end point"),
                }
            direction = tx.one_of(call.arg("direction", position=0), _DIRECTIONS, "direction")
            out = {"type": "scroll", "direction": direction}
            if call.arg(*_POINT_ARGS) not in (None, ""):
                out["anchor"] = _point(call, _POINT_ARGS, "a point")
            return out
        if name == "type":
            content = tx.as_text(call.arg("content", "text", position=0) or "", "content")
            if content.endswith("\n"):
                body = content.rstrip("\n")
                if not body:
                    return {"type": "press", "key": "enter"}
                return {"type": "type", "text": body, "submit": True}
            if not content:
                raise ModelResponseError("type() needs the text to type in content='...'")
            return {"type": "type", "text": content}
        if name in ("open_app", "open"):
            app = tx.as_text(call.arg("app_name", "app", "name", position=0) or "", "app_name")
            if not app.strip():
                raise ModelResponseError("open_app() needs the app's name in app_name='...'")
            return {"type": "open_app", "app": app.strip()}
        if name in ("press_home", "navigate_home", "home"):
            return {"type": "press", "key": "home"}
        if name in ("press_back", "navigate_back", "back"):
            return {"type": "press", "key": "back"}
        if name == "hotkey":
            key = tx.as_text(call.arg("key", position=0) or "", "key").strip().lower()
            if key in _KEYS:
                return {"type": "press", "key": _KEYS[key]}
            raise self.unsupported(call.source, "a phone has no key combinations")
        if name in ("wait", "sleep"):
            return {"type": "wait", "seconds": 5.0}
        if name in ("finished", "finish", "done"):
            content = call.arg("content", position=0)
            text = tx.as_text(content, "content").strip() if content else ""
            return (
                {"type": "answer", "text": text}
                if text
                else {
                    "type": "finish",
                    "status": "success",
                }
            )
        raise self.unsupported(call.source)

    # --- writing ---------------------------------------------------------------------------

    def _point_param(self, x: Any, y: Any, arg: str | None = None) -> str:
        raise NotImplementedError

    def _p(self, point: dict[str, Any], arg: str | None = None) -> str:
        return self._point_param(_n(point["x"]), _n(point["y"]), arg)

    def render_action(self, action: ActionData) -> str:
        kind = action["type"]
        if kind == "tap":
            return f"click({self._p(action['target'])})"
        if kind == "long_press":
            return f"long_press({self._p(action['target'])})"
        if kind == "swipe":
            return f"drag({self._p(action['start'], 'start')}, {self._p(action['end'], 'end')})"
        if kind == "scroll":
            anchor = action.get("anchor")
            where = f"{self._p(anchor)}, " if isinstance(anchor, dict) and "x" in anchor else ""
            return f"scroll({where}direction='{action['direction']}')"
        if kind == "type" and action.get("target") is None and not action.get("clear_first"):
            content = action["text"] + ("\n" if action.get("submit") else "")
            return f"type(content={_quote(content)})"
        if kind == "press" and action["key"] in ("home", "back"):
            return self.key_call(action["key"])
        if kind == "press" and action["key"] == "enter":
            return "type(content='\\n')"
        if kind == "open_app":
            return f"open_app(app_name={_quote(action['app'])})"
        if kind == "wait":
            return "wait()"
        if kind == "answer":
            return f"finished(content={_quote(action['text'])})"
        if kind == "finish" and action.get("status") == "success":
            return "finished(content='')"
        raise ModelResponseError(f"{self.name} cannot write {action}")

    def key_call(self, key: str) -> str:
        return f"press_{key}()"

    def render(self, thought: str, action: ActionData) -> Rendered:
        return Rendered(f"{self.summary_label}: {thought}\nAction: {self.render_action(action)}")


def _n(v: Any) -> Any:
    f = float(v)
    return int(f) if f == int(f) else round(f, 2)


def _quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n")
    return f"'{escaped}'"


_TYPE_NOTE = "# escape \\' \\\" and \\n inside content; end it with \\n to submit"


class UiTars15(_UiTars):
    name: ClassVar[str] = "ui-tars-1.5"
    family: ClassVar[str] = "UI-TARS-1.5"
    source: ClassVar[str] = (
        "bytedance/UI-TARS@582f3a7e: codes/ui_tars/prompt.py (MOBILE_USE), "
        "README_coordinates.md; bytedance/UI-TARS-desktop@239b6544 action-parser"
    )
    coords: ClassVar[CoordSpace | None] = "pixels"
    patterns: ClassVar[tuple[str, ...]] = (
        r"ui[-_ ]?tars[-_ ]?1\.5",
        r"ui[-_ ]?tars[-_ ]?1[-_]5",
        r"ui[-_ ]?tars.*dpo[-_ ]?1\.5",
    )
    actions: ClassVar[tuple[str, ...]] = (
        "click",
        "long_press",
        "type",
        "scroll",
        "open_app",
        "drag",
        "press_home",
        "press_back",
        "finished",
    )

    def _point_param(self, x: Any, y: Any, arg: str | None = None) -> str:
        name = {"start": "start_point", "end": "end_point"}.get(arg or "", "point")
        return f"{name}='<point>{x} {y}</point>'"

    def system_text(self, p: NavigationPrompt) -> str:
        return f"""You are a GUI agent operating an Android phone. You get a task, your action \
history and screenshots, and you carry out the next action of the task.
## Output Format
```
Thought: ...
Action: ...
```
## Action Space

click(point='<point>x1 y1</point>')
long_press(point='<point>x1 y1</point>')
type(content='') {_TYPE_NOTE}
scroll(point='<point>x1 y1</point>', direction='down or up or right or left') \
# show more of the content on the `direction` side
open_app(app_name='')
drag(start_point='<point>x1 y1</point>', end_point='<point>x2 y2</point>')
press_home()
press_back()
finished(content='xxx') # the task is done; put the answer to a question in content


## Note
- Write the Thought in English: a short plan, then one sentence naming your next action and \
its target element.

## User Instruction
{p.task}"""


class UiTars10(_UiTars):
    name: ClassVar[str] = "ui-tars-1.0"
    family: ClassVar[str] = "UI-TARS (1.0)"
    source: ClassVar[str] = (
        "bytedance/UI-TARS@582f3a7e: README_v1.md (mobile prompt), codes/ui_tars/action_parser.py"
    )
    coords: ClassVar[CoordSpace | None] = "norm1000"
    image: ClassVar[ImageRule | None] = ImageRule(28, 3136, 12_845_056)
    patterns: ClassVar[tuple[str, ...]] = (r"ui[-_ ]?tars",)
    summary_label: ClassVar[str] = "Action_Summary"
    actions: ClassVar[tuple[str, ...]] = (
        "click",
        "long_press",
        "type",
        "scroll",
        "open_app",
        "navigate_back",
        "navigate_home",
        "WAIT",
        "finished",
    )

    def _point_param(self, x: Any, y: Any, arg: str | None = None) -> str:
        name = {"start": "start_box", "end": "end_box"}.get(arg or "", "start_box")
        return f"{name}='<|box_start|>({x},{y})<|box_end|>'"

    def key_call(self, key: str) -> str:
        return f"navigate_{key}()"

    def render_action(self, action: ActionData) -> str:
        if action["type"] == "scroll":  # 1.0 scrolls the whole screen only
            return f"scroll(direction='{action['direction']}')"
        if action["type"] == "wait":
            return "WAIT()"
        if action["type"] == "swipe":
            raise ModelResponseError("UI-TARS-1.0's mobile actions have no drag")
        return super().render_action(action)

    def system_text(self, p: NavigationPrompt) -> str:
        return f"""You are a GUI agent operating an Android phone. You get a task, your action \
history and screenshots, and you carry out the next action of the task.

## Output Format
```
Action_Summary: ...
Action: ...
```

## Action Space
click(start_box='<|box_start|>(x1,y1)<|box_end|>')
long_press(start_box='<|box_start|>(x1,y1)<|box_end|>', time='')
type(content='') {_TYPE_NOTE}
scroll(direction='down or up or right or left')
open_app(app_name='')
navigate_back()
navigate_home()
WAIT()
finished(content='') # the task is done; put the answer to a question in content

## Note
- Write the Action_Summary in English.

## User Instruction
{p.task}"""


UI_TARS_15 = UiTars15()
UI_TARS_10 = UiTars10()
