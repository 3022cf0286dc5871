"""`seeclick`: SeeClick (njucckevin/SeeClick@0ef37ac4: `readme.md`, `pretrain/screenspot_test.py`,
`agent_tasks/aitw_test.py`, `agent_tasks/action_matching.py`).

Grounding: `In this UI screenshot, what is the position of the element corresponding to the
command "…" (with point)?`, answered `(0.49,0.12)`, or a box `(l,t,r,b)` (its centre).
Navigation (its Android-in-the-Wild fine-tune): `Please generate the next move according to
the ui screenshot, instruction and previous actions. Instruction: …. Previous actions: …`,
answered with an AITW action as a Python dict: `{"action_type": 4, "click_point": (x,y)}` a
tap; 3 `typed_text`; 0/1/8/9 scroll down/up/left/right (the finger moves the other way, as
artemis's scroll); 5 back; 6 home; 7 enter; 10 the task is complete; 11 impossible. Points
are relative, 0..1.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from artemis.errors import ModelResponseError
from artemis.models.base import ImagePart, Message, ToolCall
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
    position_question,
)

_SCROLL = {0: "down", 1: "up", 8: "left", 9: "right"}
_KEYS = {5: "back", 6: "home", 7: "enter"}


class SeeClick(Dialect):
    name: ClassVar[str] = "seeclick"
    family: ClassVar[str] = "SeeClick"
    source: ClassVar[str] = (
        "njucckevin/SeeClick@0ef37ac4: readme.md, pretrain/screenspot_test.py, "
        "agent_tasks/aitw_test.py, agent_tasks/action_matching.py"
    )
    coords: ClassVar[CoordSpace | None] = "norm1"
    image: ClassVar[ImageRule | None] = ImageRule(1, 0, 1_003_520)
    patterns: ClassVar[tuple[str, ...]] = (r"seeclick", r"see[-_ ]click")
    actions: ClassVar[tuple[str, ...]] = (
        "action_type 4 (click_point)",
        "3 (typed_text)",
        "0/1/8/9 (scroll down/up/left/right)",
        "5 (back)",
        "6 (home)",
        "7 (enter)",
        "10 (complete)",
        "11 (impossible)",
    )

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        previous = " ".join(
            f"Step{i}: {written}." for i, (_, written) in enumerate(history_in_model_space(self, p))
        )
        prompt = (
            "Please generate the next move according to the ui screenshot, instruction and "
            f"previous actions. Instruction: {p.task}. Previous actions: {previous}"
        )
        extra = context_text(p)
        if extra:
            prompt = f"{prompt}\n{extra}"
        return [Message.user(ImagePart(p.screenshot, "screen"), prompt)]

    def grounding_messages(
        self, instruction: str, screenshot: bytes, frame: ImageFrame, coords: CoordSpace
    ) -> list[Message]:
        return position_question(instruction, screenshot, "point")

    def parse_grounding(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> GroundedPoint:
        x, y = tx.first_point(text, "point")
        return GroundedPoint(x, y, None, "point")

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        thinking, body = tx.split_thinking(tx.check_length(text))
        spans = tx.braced(body)
        if not spans:
            raise ModelResponseError(
                'the reply has no action; answer with {"action_type": 4, "click_point": (x, y)}',
                raw=text,
            )
        data = tx.dict_literal(spans[0], "action_type", text)
        action = self.to_action(data)
        return ParsedReply(thinking, action, spans[0], spans[1:])

    def to_action(self, data: dict[str, Any]) -> ActionData:
        kind = int(tx.number(data["action_type"], "action_type"))
        if kind == 4:
            x, y = tx.point_of(data.get("click_point"), "click_point")
            return {"type": "tap", "target": {"x": x, "y": y}}
        if kind == 3:
            text = tx.as_text(data.get("typed_text", ""), "typed_text")
            if not text:
                raise ModelResponseError("action_type 3 needs typed_text")
            return {"type": "type", "text": text}
        if kind in _SCROLL:
            return {"type": "scroll", "direction": _SCROLL[kind]}
        if kind in _KEYS:
            return {"type": "press", "key": _KEYS[kind]}
        if kind == 10:
            return {"type": "finish", "status": "success"}
        if kind == 11:
            return {"type": "finish", "status": "infeasible"}
        raise self.unsupported(f"action_type {kind}")

    def render_action(self, action: ActionData) -> str:
        kind = action["type"]
        if kind == "tap":
            t = action["target"]
            return f'{{"action_type": 4, "click_point": ({float(t["x"]):.2f},{float(t["y"]):.2f})}}'
        if kind == "type" and action.get("target") is None and not action.get("clear_first"):
            if action.get("submit"):
                raise ModelResponseError("seeclick types and presses enter in two actions")
            return json.dumps({"action_type": 3, "typed_text": action["text"]}, ensure_ascii=False)
        if kind == "scroll" and not action.get("anchor"):
            code = {v: k for k, v in _SCROLL.items()}[action["direction"]]
            return f'{{"action_type": {code}}}'
        if kind == "press" and action["key"] in ("back", "home", "enter"):
            code = {v: k for k, v in _KEYS.items()}[action["key"]]
            return f'{{"action_type": {code}}}'
        if kind == "finish":
            return (
                '{"action_type": 10}'
                if action.get("status") == "success"
                else ('{"action_type": 11}')
            )
        raise ModelResponseError(f"seeclick cannot write {action}")

    def render(self, thought: str, action: ActionData) -> Rendered:
        return Rendered(self.render_action(action))


SEECLICK = SeeClick()
