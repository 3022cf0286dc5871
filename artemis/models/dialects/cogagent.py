"""`cogagent`: CogAgent-9B (THUDM/CogAgent@5fde01e4: `README.md`, `Action_space_en.md`,
`app/client.py`).

The query is `Task: …\\nHistory steps: \\n0. OP\\tdescription…\\n(Platform: Mobile)\\n(Answer in
Action-Operation-Sensitive format.)\\n`; the answer is `Action: …\\nGrounded Operation:
CLICK(box=[[a,b,c,d]], element_type='…', element_info='…')`, optionally followed by a
sensitivity mark (`<<一般操作>>`, ordinary, or `<<敏感操作>>`, sensitive). Boxes are three-digit
numbers 000..999 and the operation happens at the box's centre, `a/1000·width`: relative
0..1000. CLICK, DOUBLE_CLICK, TYPE(box, text), SCROLL_UP/DOWN/LEFT/RIGHT, KEY_PRESS(key),
LAUNCH(app) and END() have artemis equivalents, and RIGHT_CLICK, whose purpose (a context
menu) a long press serves on a phone, becomes one; HOVER, GESTURE, QUOTE_TEXT and LLM have
none.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from artemis.errors import ModelResponseError
from artemis.models.base import ImagePart, Message, ToolCall
from artemis.models.coords import CoordSpace, ImageRule
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

_KEYS = {
    "return": "enter",
    "enter": "enter",
    "back": "back",
    "home": "home",
    "backspace": "delete",
    "delete": "delete",
    "menu": "menu",
}
_SCROLLS = {
    "SCROLL_UP": "up",
    "SCROLL_DOWN": "down",
    "SCROLL_LEFT": "left",
    "SCROLL_RIGHT": "right",
}


def _box_centre(call: Any) -> dict[str, float]:
    box = call.arg("box", position=0)
    if box is None:
        raise ModelResponseError(f"{call.name} needs box=[[x1,y1,x2,y2]]")
    x, y = tx.point_of(box, "box")
    return {"x": x, "y": y}


class CogAgent(Dialect):
    name: ClassVar[str] = "cogagent"
    family: ClassVar[str] = "CogAgent-9B"
    source: ClassVar[str] = "THUDM/CogAgent@5fde01e4: README.md, Action_space_en.md, app/client.py"
    coords: ClassVar[CoordSpace | None] = "norm1000"
    image: ClassVar[ImageRule | None] = ImageRule(1, 0, 1120 * 1120)
    patterns: ClassVar[tuple[str, ...]] = (r"cogagent",)
    actions: ClassVar[tuple[str, ...]] = (
        "CLICK",
        "DOUBLE_CLICK",
        "TYPE",
        "SCROLL_UP",
        "SCROLL_DOWN",
        "SCROLL_LEFT",
        "SCROLL_RIGHT",
        "KEY_PRESS",
        "LAUNCH",
        "END",
    )

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        history = "".join(
            f"\n{i}. {written}\t{step.thought}"
            for i, (step, written) in enumerate(history_in_model_space(self, p))
        )
        query = (
            f"Task: {p.task}\nHistory steps: {history}\n(Platform: Mobile)\n"
            "(Answer in Action-Operation-Sensitive format.)\n"
        )
        extra = context_text(p)
        if extra:
            query = f"{query}\n{extra}\n"
        return [Message.user(query, ImagePart(p.screenshot, "screen"))]

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        thinking, body = tx.split_thinking(tx.check_length(text))
        grounded = tx.after_label(body, "Grounded Operation")
        if grounded is None:
            raise ModelResponseError(
                "the reply has no `Grounded Operation:` line; answer with\nAction: ...\n"
                "Grounded Operation: CLICK(box=[[x1,y1,x2,y2]], element_info='...')",
                raw=text,
            )
        operation = grounded.split("<<", 1)[0].strip()
        calls = tx.parse_calls(operation)
        if not calls:
            raise ModelResponseError(f"no operation call in {tx.snippet(operation)!r}", raw=text)
        action = self.to_action(calls[0])
        said = [tx.labelled(body, label) for label in ("Status", "Plan", "Action")]
        thought = "\n".join(p for p in (thinking, *said) if p)
        return ParsedReply(thought, action, calls[0].source, [c.source for c in calls[1:]])

    def to_action(self, call: Any) -> ActionData:
        name = call.name.upper()
        if name == "CLICK":
            return {"type": "tap", "target": _box_centre(call)}
        if name == "DOUBLE_CLICK":
            return {"type": "double_tap", "target": _box_centre(call)}
        if name == "RIGHT_CLICK":
            return {"type": "long_press", "target": _box_centre(call)}
        if name == "TYPE":
            text = tx.as_text(call.arg("text") or "", "text")
            if not text:
                raise ModelResponseError("TYPE needs text='...'")
            out: ActionData = {"type": "type", "text": text}
            if call.arg("box") is not None:
                out["target"] = _box_centre(call)
            return out
        if name in _SCROLLS:
            out = {"type": "scroll", "direction": _SCROLLS[name]}
            if call.arg("box") is not None:
                out["anchor"] = _box_centre(call)
            return out
        if name == "KEY_PRESS":
            key = tx.as_text(call.arg("key", position=0) or "", "key").strip().lower()
            if key in _KEYS:
                return {"type": "press", "key": _KEYS[key]}
            raise self.unsupported(call.source, "artemis presses enter, back, home, delete, menu")
        if name == "LAUNCH":
            app = tx.as_text(call.arg("app", position=0) or "", "app").strip()
            if not app or app == "None":
                raise self.unsupported(call.source, "artemis opens apps, not URLs")
            return {"type": "open_app", "app": app}
        if name == "END":
            return {"type": "finish", "status": "success"}
        raise self.unsupported(call.source)

    def render_action(self, action: ActionData) -> str:
        kind = action["type"]

        def box(point: dict[str, Any]) -> str:
            x, y = round(float(point["x"])), round(float(point["y"]))
            x1, y1, x2, y2 = max(0, x - 2), max(0, y - 2), min(999, x + 2), min(999, y + 2)
            return f"[[{x1:03d},{y1:03d},{x2:03d},{y2:03d}]]"

        if kind in ("tap", "double_tap"):
            name = "CLICK" if kind == "tap" else "DOUBLE_CLICK"
            return f"{name}(box={box(action['target'])}, element_type='', element_info='')"
        if kind == "type" and not action.get("clear_first") and not action.get("submit"):
            target = action.get("target")
            where = f"box={box(target)}, " if isinstance(target, dict) and "x" in target else ""
            return f"TYPE({where}text={_q(action['text'])}, element_info='')"
        if kind == "scroll":
            anchor = action.get("anchor")
            where = f"box={box(anchor)}, " if isinstance(anchor, dict) and "x" in anchor else ""
            return f"SCROLL_{action['direction'].upper()}({where}step_count=5, element_info='')"
        if kind == "press" and action["key"] in ("enter", "back", "home"):
            key = {"enter": "Return", "back": "Back", "home": "Home"}[action["key"]]
            return f"KEY_PRESS(key='{key}')"
        if kind == "open_app":
            return f"LAUNCH(app={_q(action['app'])}, url='None')"
        if kind == "finish" and action.get("status") == "success":
            return "END()"
        raise ModelResponseError(f"cogagent cannot write {action}")

    def render(self, thought: str, action: ActionData) -> Rendered:
        return Rendered(
            f"Action: {thought}\nGrounded Operation: {self.render_action(action)}\n<<一般操作>>"
        )


def _q(text: str) -> str:
    return "'" + text.replace("\\", "\\\\").replace("'", "\\'").replace("\n", "\\n") + "'"


COGAGENT = CogAgent()
