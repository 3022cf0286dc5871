"""`showui`: ShowUI-2B (showlab/ShowUI@21ed7cb2: `QUICK_START.md`, `data/template/aitw.py`).

Grounding: its fixed instruction (a clickable point of the described element, relative
0..1) followed by the query; the answer is `[x, y]`. Navigation: the phone action space of its
Android-in-the-Wild template, then the format rule; the answer is one or more Python dicts
`{'action': 'CLICK', 'value': None, 'position': [x, y]}` separated by `,`. Phone actions:
CLICK / TAP (position), TYPE (value; into the focused field), INPUT (value at position),
SWIPE (position [[x1,y1],[x2,y2]]), SCROLL UP/DOWN/LEFT/RIGHT, PRESS BACK/HOME/ENTER, ENTER,
ANSWER (value), STATUS TASK COMPLETE / IMPOSSIBLE. SELECT, HOVER, COPY and SELECT_TEXT are web
actions with no phone equivalent. Points are relative, 0..1.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from artemis.errors import ModelResponseError
from artemis.models.base import ImagePart, Message, TextPart, ToolCall
from artemis.models.coords import CoordSpace, ImageFrame, ImageRule
from artemis.models.dialects import text as tx
from artemis.models.dialects.base import (
    ActionData,
    Dialect,
    GroundedPoint,
    NavigationPrompt,
    ParsedReply,
    Rendered,
    context_text,
    history_in_model_space,
)

GROUNDING = (
    "Based on the screenshot, I give a text description and you give the location of the "
    "element it describes. The coordinate is a clickable point [x, y] of the element, relative "
    "to the screenshot, from 0 to 1."
)

SYSTEM = """You operate an Android phone for the user. You get the task, the current \
screenshot and the actions taken so far; answer the one next action.
Actions:
1. `CLICK`: tap the element at `position` [x,y]; no value.
2. `TYPE`: `value` is the text to type into the focused field; no position.
3. `SCROLL UP`, 4. `SCROLL DOWN`, 5. `SCROLL LEFT`, 6. `SCROLL RIGHT`: scroll the screen.
7. `PRESS BACK`: the back button. 8. `PRESS HOME`: the home button.
9. `PRESS ENTER`: submit what was typed.
10. `ANSWER`: `value` is the answer to the user's question.
11. `STATUS TASK COMPLETE`: the task is done. 12. `STATUS TASK IMPOSSIBLE`: it cannot be done.

Answer one dictionary:
{'action': 'ACTION_TYPE', 'value': 'element', 'position': [x,y]}
Use `None` for a value or position the action does not take. A position is relative to \
the screenshot: x and y from 0 to 1."""

_SCROLLS = {
    "SCROLL UP": "up",
    "SCROLL DOWN": "down",
    "SCROLL LEFT": "left",
    "SCROLL RIGHT": "right",
}
_KEYS = {"PRESS BACK": "back", "PRESS HOME": "home", "PRESS ENTER": "enter", "ENTER": "enter"}


class ShowUI(Dialect):
    name: ClassVar[str] = "showui"
    family: ClassVar[str] = "ShowUI"
    source: ClassVar[str] = "showlab/ShowUI@21ed7cb2: QUICK_START.md, data/template/aitw.py"
    coords: ClassVar[CoordSpace | None] = "norm1"
    image: ClassVar[ImageRule | None] = ImageRule(28, 256 * 28 * 28, 1344 * 28 * 28)
    patterns: ClassVar[tuple[str, ...]] = (r"show[-_ ]?ui",)
    actions: ClassVar[tuple[str, ...]] = (
        "CLICK",
        "TAP",
        "TYPE",
        "INPUT",
        "SWIPE",
        "SCROLL UP",
        "SCROLL DOWN",
        "SCROLL LEFT",
        "SCROLL RIGHT",
        "PRESS BACK",
        "PRESS HOME",
        "PRESS ENTER",
        "ANSWER",
        "STATUS TASK COMPLETE",
        "STATUS TASK IMPOSSIBLE",
    )

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        history = "; ".join(w for _, w in history_in_model_space(self, p)) or "None"
        extra = context_text(p)
        parts: list[TextPart | ImagePart] = [
            TextPart(SYSTEM),
            TextPart(f"Task: {p.task}"),
            TextPart(f"Action History: {history}" + (f"\n\n{extra}" if extra else "")),
            ImagePart(p.screenshot, "screen"),
        ]
        return [Message("user", tuple(parts))]

    def grounding_messages(
        self, instruction: str, screenshot: bytes, frame: ImageFrame, coords: CoordSpace
    ) -> list[Message]:
        return [Message.user(GROUNDING, ImagePart(screenshot, "screen"), instruction)]

    def parse_grounding(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> GroundedPoint:
        _, body = tx.split_thinking(tx.check_length(text))
        if "{" in body and "action" in body:
            return super().parse_grounding(text, tool_calls)
        found = tx.first_point_text(body)
        if found is None:
            raise ModelResponseError(f"no point in the answer: {tx.snippet(text)!r}", raw=text)
        x, y = tx.point_of(found)
        return GroundedPoint(x, y, None, "point")

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        thinking, body = tx.split_thinking(tx.check_length(text))
        spans = tx.braced(body)
        if not spans:
            raise ModelResponseError(
                "the reply has no action; answer with {'action': 'CLICK', 'value': None, "
                "'position': [x, y]}",
                raw=text,
            )
        data = tx.dict_literal(spans[0], "action", text)
        return ParsedReply(thinking, self.to_action(data), spans[0], spans[1:])

    def to_action(self, data: dict[str, Any]) -> ActionData:
        kind = " ".join(tx.as_text(data["action"], "action").upper().replace("_", " ").split())
        value, position = data.get("value"), data.get("position")
        if kind in ("CLICK", "TAP"):
            x, y = tx.point_of(position, "position")
            return {"type": "tap", "target": {"x": x, "y": y}}
        if kind in ("TYPE", "INPUT"):
            text = tx.as_text(value if value is not None else "", "value")
            if not text:
                raise ModelResponseError(f"{kind} needs the text in 'value'")
            out: ActionData = {"type": "type", "text": text}
            if kind == "INPUT" and position is not None:
                x, y = tx.point_of(position, "position")
                out["target"] = {"x": x, "y": y}
            return out
        if kind == "SWIPE":
            if not isinstance(position, list | tuple) or len(position) != 2:
                raise ModelResponseError("SWIPE needs position [[x1,y1],[x2,y2]]")
            (x1, y1), (x2, y2) = tx.point_of(position[0]), tx.point_of(position[1])
            return {"type": "swipe", "start": {"x": x1, "y": y1}, "end": {"x": x2, "y": y2}}
        if kind == "SCROLL" and isinstance(value, str):
            kind = f"SCROLL {value.upper()}"
        if kind in _SCROLLS:
            return {"type": "scroll", "direction": _SCROLLS[kind]}
        if kind in _KEYS:
            return {"type": "press", "key": _KEYS[kind]}
        if kind == "ANSWER":
            text = tx.as_text(value if value is not None else "", "value").strip()
            if text.lower() in ("", "task complete", "task completed"):
                return {"type": "finish", "status": "success"}
            return {"type": "answer", "text": text}
        if kind == "STATUS TASK COMPLETE":
            return {"type": "finish", "status": "success"}
        if kind == "STATUS TASK IMPOSSIBLE":
            return {"type": "finish", "status": "infeasible"}
        raise self.unsupported(f"{data['action']}")

    def render_action(self, action: ActionData) -> str:
        kind = action["type"]

        def pos(point: dict[str, Any]) -> str:
            return f"[{float(point['x']):.4f}, {float(point['y']):.4f}]"

        def act(name: str, value: str | None = None, position: str = "None") -> str:
            v = "None" if value is None else repr(value)
            return f"{{'action': '{name}', 'value': {v}, 'position': {position}}}"

        if kind == "tap":
            return act("CLICK", position=pos(action["target"]))
        if kind == "type" and not action.get("clear_first") and not action.get("submit"):
            target = action.get("target")
            if isinstance(target, dict) and "x" in target:
                return act("INPUT", action["text"], pos(target))
            if target is None:
                return act("TYPE", action["text"])
        if kind == "swipe":
            return act("SWIPE", position=f"[{pos(action['start'])}, {pos(action['end'])}]")
        if kind == "scroll" and not action.get("anchor"):
            return act(f"SCROLL {action['direction'].upper()}")
        if kind == "press" and action["key"] in ("back", "home", "enter"):
            return act(f"PRESS {action['key'].upper()}")
        if kind == "answer":
            return act("ANSWER", action["text"])
        if kind == "finish":
            done = action.get("status") == "success"
            return act("STATUS TASK COMPLETE" if done else "STATUS TASK IMPOSSIBLE")
        raise ModelResponseError(f"showui cannot write {action}")

    def render(self, thought: str, action: ActionData) -> Rendered:
        return Rendered(self.render_action(action))


SHOWUI = ShowUI()
