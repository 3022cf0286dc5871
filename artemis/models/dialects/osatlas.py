"""`os-atlas`: OS-Atlas (OS-Copilot/OS-Atlas@bad08407).

Navigation (OS-Atlas-Pro): `thoughts:\\n…\\nactions:\\nCLICK <point>[[x,y]]</point>`, the
format of the human turns and answers in `eval/data/*.jsonl`; the actions are CLICK,
LONG_PRESS, TYPE [text], SCROLL [UP/DOWN/LEFT/RIGHT] (the viewport's direction, as artemis's
scroll), PRESS_BACK, PRESS_HOME, OPEN_APP [name], WAIT and COMPLETE. OS-Atlas-Pro takes custom
actions defined in its prompt; artemis defines PRESS_ENTER and ANSWER [text] there, so that
forms can be submitted and questions answered. Grounding
(OS-Atlas-Base-7B): a box in Qwen2-VL's tokens, `<|box_start|>(x1,y1),(x2,y2)<|box_end|>`,
whose centre is the point. Everything is relative, 0..1000.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import ClassVar

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
    position_question,
)

SYSTEM = """You are an action model that operates digital devices the way a person does: you \
read a screenshot, work out what to do, and give the action.

You are in Executable Language Grounding mode: given a screenshot and a task instruction, give \
the next action that carries the task forward. The actions:

1. Basic Actions
Basic Action 1: CLICK
    - purpose: Click at the specified position.
    - format: CLICK <point>[[x-axis, y-axis]]</point>
    - example usage: CLICK <point>[[101, 872]]</point>
Basic Action 2: TYPE
    - purpose: Enter specified text at the designated location.
    - format: TYPE [input text]
    - example usage: TYPE [Shanghai shopping mall]
Basic Action 3: SCROLL
    - purpose: Scroll in the specified direction.
    - format: SCROLL [direction (UP/DOWN/LEFT/RIGHT)]
    - example usage: SCROLL [UP]

2. Custom Actions
Custom Action 1: LONG_PRESS
    - purpose: Long press at the specified position.
    - format: LONG_PRESS <point>[[x-axis, y-axis]]</point>
    - example usage: LONG_PRESS <point>[[101, 872]]</point>
Custom Action 2: PRESS_BACK
    - purpose: Press the back button to go to the previous screen.
    - format: PRESS_BACK
Custom Action 3: PRESS_HOME
    - purpose: Press the home button to go to the home screen.
    - format: PRESS_HOME
Custom Action 4: OPEN_APP
    - purpose: Open the specified application.
    - format: OPEN_APP [app_name]
    - example usage: OPEN_APP [Google Chrome]
Custom Action 5: WAIT
    - purpose: Wait for the screen to load.
    - format: WAIT
Custom Action 6: COMPLETE
    - purpose: Indicate the task is finished.
    - format: COMPLETE
Custom Action 7: PRESS_ENTER
    - purpose: Press the enter key to submit what was typed.
    - format: PRESS_ENTER
Custom Action 8: ANSWER
    - purpose: Answer the user's question; this ends the task.
    - format: ANSWER [answer text]
    - example usage: ANSWER [42]

Points are relative: x and y run from 0 to 1000 across the screenshot.
Read the instruction and the action history, reason about the next step, and answer in two \
sections, Thoughts and Actions:
Thoughts: your reasoning for this step.
Actions: the action you take."""

_ACTION = re.compile(
    r"\b(CLICK|LONG_PRESS|TYPE|SCROLL|PRESS_BACK|PRESS_HOME|PRESS_ENTER|OPEN_APP|WAIT|"
    r"COMPLETE|IMPOSSIBLE|ANSWER)\b(.*)",
    re.DOTALL,
)
_BRACKET = re.compile(r"^\s*\[(.*)\]\s*$", re.DOTALL)


class OSAtlas(Dialect):
    name: ClassVar[str] = "os-atlas"
    family: ClassVar[str] = "OS-Atlas (Base and Pro)"
    source: ClassVar[str] = (
        "OS-Copilot/OS-Atlas@bad08407: README.md, eval/data/*.jsonl, "
        "eval/eval_scripts/*/evaluation_unify.py"
    )
    coords: ClassVar[CoordSpace | None] = "norm1000"
    image: ClassVar[ImageRule | None] = ImageRule(28, 3136, 12_845_056)
    patterns: ClassVar[tuple[str, ...]] = (r"os[-_ ]?atlas",)
    actions: ClassVar[tuple[str, ...]] = (
        "CLICK",
        "LONG_PRESS",
        "TYPE",
        "SCROLL",
        "PRESS_BACK",
        "PRESS_HOME",
        "OPEN_APP",
        "WAIT",
        "COMPLETE",
        "PRESS_ENTER",
        "ANSWER",
    )

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        history = "".join(
            f"Step {i}: {s.thought or s.action.type}\n" for i, s in enumerate(p.history, start=1)
        )
        extra = context_text(p)
        user = (
            "Your current task instruction, action history, and associated screenshot are as "
            "follows:\nScreenshot: "
        )
        tail = f"\nTask: {p.task}\nHistory: \n{history or 'None'}\n"
        if extra:
            tail += f"\n{extra}\n"
        return [
            Message.system(SYSTEM),
            Message("user", (TextPart(user), ImagePart(p.screenshot, "screen"), TextPart(tail))),
        ]

    def grounding_messages(
        self, instruction: str, screenshot: bytes, frame: ImageFrame, coords: CoordSpace
    ) -> list[Message]:
        return position_question(instruction, screenshot, "bbox")

    def parse_grounding(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> GroundedPoint:
        x, y = tx.first_point(text, "box or point")
        return GroundedPoint(x, y, None, "box")

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        thinking, body = tx.split_thinking(tx.check_length(text))
        actions = re.split(r"(?im)^\s*actions?\s*[:：]\s*$", body, maxsplit=1)
        head, tail = (actions[0], actions[1]) if len(actions) == 2 else ("", body)
        lines = [ln for ln in tail.strip().splitlines() if _ACTION.search(ln)]
        if not lines:
            raise ModelResponseError(
                "the reply has no action; answer with\nthoughts:\n...\nactions:\nCLICK "
                "<point>[[x, y]]</point>",
                raw=text,
            )
        action = self.to_action(lines[0].strip())
        thought = re.sub(r"(?im)^\s*thoughts?\s*[:：]\s*", "", head).strip()
        thought = "\n".join(p for p in (thinking, thought) if p)
        return ParsedReply(thought, action, lines[0].strip(), [ln.strip() for ln in lines[1:]])

    def to_action(self, line: str) -> ActionData:
        m = _ACTION.search(line)
        if m is None:  # pragma: no cover - filtered by the caller
            raise ModelResponseError(f"not an action: {line!r}")
        name, rest = m.group(1), m.group(2).strip()
        arg = _BRACKET.match(rest)
        value = arg.group(1).strip() if arg else rest
        if name in ("CLICK", "LONG_PRESS"):
            x, y = tx.point_of(rest, "the point")
            kind = "tap" if name == "CLICK" else "long_press"
            return {"type": kind, "target": {"x": x, "y": y}}
        if name == "TYPE":
            if not value:
                raise ModelResponseError("TYPE needs the text: TYPE [text]")
            return {"type": "type", "text": value}
        if name == "SCROLL":
            direction = tx.one_of(value, ("up", "down", "left", "right"), "SCROLL's direction")
            return {"type": "scroll", "direction": direction}
        if name in ("PRESS_BACK", "PRESS_HOME", "PRESS_ENTER"):
            return {"type": "press", "key": name.removeprefix("PRESS_").lower()}
        if name == "OPEN_APP":
            if not value:
                raise ModelResponseError("OPEN_APP needs the app: OPEN_APP [name]")
            return {"type": "open_app", "app": value}
        if name == "WAIT":
            return {"type": "wait"}
        if name == "ANSWER":
            return {"type": "answer", "text": value}
        if name == "IMPOSSIBLE":
            return {"type": "finish", "status": "infeasible"}
        return {"type": "finish", "status": "success"}

    def render_action(self, action: ActionData) -> str:
        kind = action["type"]
        if kind in ("tap", "long_press"):
            t = action["target"]
            name = "CLICK" if kind == "tap" else "LONG_PRESS"
            return f"{name} <point>[[{round(float(t['x']))},{round(float(t['y']))}]]</point>"
        if kind == "type" and action.get("target") is None and not action.get("clear_first"):
            if action.get("submit"):
                raise ModelResponseError("OS-Atlas types and submits in two actions")
            if "\n" in action["text"] or "]" in action["text"]:
                raise ModelResponseError("OS-Atlas's TYPE [...] holds one line without brackets")
            return f"TYPE [{action['text']}]"
        if kind == "scroll" and not action.get("anchor"):
            return f"SCROLL [{action['direction'].upper()}]"
        if kind == "press" and action["key"] in ("back", "home", "enter"):
            return f"PRESS_{action['key'].upper()}"
        if kind == "answer":
            return f"ANSWER [{action['text']}]"
        if kind == "open_app":
            return f"OPEN_APP [{action['app']}]"
        if kind == "wait":
            return "WAIT"
        if kind == "finish" and action.get("status") == "success":
            return "COMPLETE"
        raise ModelResponseError(f"os-atlas cannot write {action}")

    def render(self, thought: str, action: ActionData) -> Rendered:
        return Rendered(f"thoughts:\n{thought}\nactions:\n{self.render_action(action)}")


OS_ATLAS = OSAtlas()
