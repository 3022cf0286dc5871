"""`autoglm`: AutoGLM-Phone's `<think>…</think><answer>do(action="Tap", element=[x,y])</answer>`
(zai-org/Open-AutoGLM@6b18d7be: `phone_agent/config/prompts_en.py`, `prompts_zh.py`,
`phone_agent/actions/handler.py`, `phone_agent/model/client.py`).

Replies without tags (Open-AutoGLM#390) and with an unclosed `<answer>` (its README) are read
too. Points are relative, 0..1000 (the handler divides by 1000, although the prompt says
0..999). `Type` clears the field first, as its handler does. A `Tap` with a `message` is the
model flagging a sensitive operation; the tap is kept and the flag is in the recorded reply.
`Take_over`, `Interact`, `Call_API` and `Note` (a page-recording placeholder) have no artemis
equivalent and go back to the model.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any, ClassVar

from artemis.errors import ModelResponseError
from artemis.models.base import Message, ToolCall
from artemis.models.coords import CoordSpace, ImageRule
from artemis.models.dialects import text as tx
from artemis.models.dialects.base import (
    ActionData,
    Dialect,
    NavigationPrompt,
    ParsedReply,
    Rendered,
    conversation,
)

SYSTEM = """You are an Android phone operator. You carry out the user's request step by step: \
each step you get a screenshot of the phone, think about what you see, and give one operation \
as a line of Python-style pseudo-code.

Answer strictly in this format:
<think>
[your reasoning]
</think>
<answer>
[one operation]
</answer>

The operations (coordinates run from (0,0) at the top-left to (999,999) at the bottom-right):
- do(action="Launch", app="xxx"): open an app; faster than going through the home screen.
- do(action="Tap", element=[x,y]): tap a point.
- do(action="Tap", element=[x,y], message="important operation"): the same, for a button \
that touches money, payments or privacy.
- do(action="Type", text="xxx"): type into the focused field; whatever it holds is cleared \
first. Tap the field before typing.
- do(action="Swipe", start=[x1,y1], end=[x2,y2]): drag a finger from start to end.
- do(action="Long Press", element=[x,y]): touch and hold a point.
- do(action="Double Tap", element=[x,y]): tap a point twice quickly.
- do(action="Back"): the Back button.
- do(action="Home"): the Home button.
- do(action="Wait", duration="x seconds"): wait for the page to load.
- finish(message="xxx"): the task is done; message is the final message, or the answer when \
the user asked a question.

Rules:
1. Check that the app on screen is the one the task needs; if not, Launch it first.
2. On an unrelated page, go Back.
3. If a tap or a swipe did not take effect, wait a little, then adjust the point and retry.
4. Before finishing, check that the task is fully and exactly done."""

_DO = {
    "tap",
    "type",
    "type_name",
    "swipe",
    "long press",
    "double tap",
    "back",
    "home",
    "launch",
    "wait",
}
_ELSEWHERE = {"take_over", "interact", "call_api", "note"}


class AutoGLM(Dialect):
    name: ClassVar[str] = "autoglm"
    family: ClassVar[str] = "AutoGLM-Phone (Open-AutoGLM)"
    source: ClassVar[str] = (
        "zai-org/Open-AutoGLM@6b18d7be: phone_agent/config/prompts_en.py, "
        "phone_agent/actions/handler.py"
    )
    coords: ClassVar[CoordSpace | None] = "norm1000"
    image: ClassVar[ImageRule | None] = ImageRule(28, 3136, 5_000_000)
    patterns: ClassVar[tuple[str, ...]] = (r"autoglm", r"auto[-_]glm")
    actions: ClassVar[tuple[str, ...]] = (
        "Launch",
        "Tap",
        "Type",
        "Type_Name",
        "Swipe",
        "Long Press",
        "Double Tap",
        "Back",
        "Home",
        "Wait",
        "finish",
    )

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        return conversation(self, p, p.task, system=SYSTEM)

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        thinking, body = tx.split_thinking(tx.check_length(text))
        answer = tx.section(body, "answer")
        if answer is None:
            answer = body
            before = ""
        else:
            before = tx.strip_section(body, "answer").strip()
        calls = [c for c in tx.parse_calls(_one_per_line(answer)) if c.name in ("do", "finish")]
        if not calls:
            raise ModelResponseError(
                'the reply has no operation; answer with <answer>do(action="...", ...)</answer> '
                'or <answer>finish(message="...")</answer>',
                raw=text,
            )
        action = self.to_action(calls[0])
        thought = "\n".join(p for p in (thinking, before) if p)
        return ParsedReply(thought, action, calls[0].source, [c.source for c in calls[1:]])

    def to_action(self, call: Any) -> ActionData:
        if call.name == "finish":
            message = call.arg("message", position=0)
            text = tx.as_text(message, "message").strip() if message else ""
            return (
                {"type": "answer", "text": text}
                if text
                else {
                    "type": "finish",
                    "status": "success",
                }
            )
        kind = tx.as_text(call.arg("action") or "", "action").strip()
        low = kind.lower()
        if low in _ELSEWHERE:
            raise self.unsupported(call.source, "artemis does not hand the phone over")
        if low not in _DO:
            raise self.unsupported(call.source)
        if low in ("tap", "long press", "double tap"):
            x, y = tx.point_of(call.arg("element"), "element")
            target = {"x": x, "y": y}
            kind_of = {"tap": "tap", "long press": "long_press", "double tap": "double_tap"}
            return {"type": kind_of[low], "target": target}
        if low in ("type", "type_name"):
            text = tx.as_text(call.arg("text") or "", "text")
            if not text:
                raise ModelResponseError('Type needs the text: do(action="Type", text="...")')
            return {"type": "type", "text": text, "clear_first": True}
        if low == "swipe":
            (x1, y1), (x2, y2) = (
                tx.point_of(call.arg("start"), "start"),
                tx.point_of(call.arg("end"), "end"),
            )
            return {"type": "swipe", "start": {"x": x1, "y": y1}, "end": {"x": x2, "y": y2}}
        if low in ("back", "home"):
            return {"type": "press", "key": low}
        if low == "launch":
            app = tx.as_text(call.arg("app") or "", "app").strip()
            if not app:
                raise ModelResponseError('Launch needs the app: do(action="Launch", app="...")')
            return {"type": "open_app", "app": app}
        duration = str(call.arg("duration") or "1")
        seconds = tx.numbers_in(duration)
        return {"type": "wait", "seconds": seconds[0] if seconds else 1.0}

    def render_action(self, action: ActionData) -> str:
        kind = action["type"]
        if kind in ("tap", "long_press", "double_tap"):
            name = {"tap": "Tap", "long_press": "Long Press", "double_tap": "Double Tap"}[kind]
            return f'do(action="{name}", element={_xy(action["target"])})'
        if kind == "type" and action.get("target") is None and not action.get("submit"):
            return f'do(action="Type", text={_q(action["text"])})'
        if kind == "swipe":
            return f'do(action="Swipe", start={_xy(action["start"])}, end={_xy(action["end"])})'
        if kind == "press" and action["key"] in ("back", "home"):
            return f'do(action="{action["key"].title()}")'
        if kind == "open_app":
            return f'do(action="Launch", app={_q(action["app"])})'
        if kind == "wait":
            return f'do(action="Wait", duration="{action.get("seconds", 1.0):g} seconds")'
        if kind == "answer":
            return f"finish(message={_q(action['text'])})"
        if kind == "finish" and action.get("status") == "success":
            return 'finish(message="")'
        raise ModelResponseError(f"autoglm cannot write {action}")

    def render(self, thought: str, action: ActionData) -> Rendered:
        return Rendered(f"<think>{thought}</think>\n<answer>{self.render_action(action)}</answer>")


def _one_per_line(answer: str) -> str:
    """Each `do(`/`finish(` on a line of its own, so several operations split cleanly."""
    return re.sub(r"(?<=\))\s*(?=\b(?:do|finish)\s*\()", "\n", answer).strip()


def _xy(point: dict[str, Any]) -> str:
    return f"[{round(float(point['x']))},{round(float(point['y']))}]"


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


AUTOGLM = AutoGLM()
