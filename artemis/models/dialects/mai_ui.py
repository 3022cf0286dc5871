"""`mai-ui`: MAI-UI's navigation and grounding protocols (Tongyi-MAI/MAI-UI@4dd07b9e:
`src/prompt.py`, `src/mai_naivigation_agent.py`, `src/mai_grounding_agent.py`).

Navigation: `<thinking>…</thinking>` then `<tool_call>{"name": "mobile_use", "arguments":
{...}}</tool_call>`; a thinking build may write only the closing `</think>`. Its `swipe` takes
the direction the finger moves (and an optional point), so `swipe up` scrolls the content
down; `drag` moves between two points. `ask_user` and MCP tools have no artemis equivalent.
Past steps go into the conversation as the model's own replies.

Grounding: `<grounding_think>…</grounding_think>` then `<answer>{"coordinate": [x, y]}</answer>`;
the point is read from the answer, never from the thinking.

Points are relative, 0..999 (`SCALE_FACTOR = 999` in its parsers); four numbers are a box and
stand for its centre.
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
    GroundedPoint,
    NavigationPrompt,
    Rendered,
    conversation,
)
from artemis.models.dialects.mobile_use import TOOL, MobileUseDialect

_SPACE = """\
{"action": "click", "coordinate": [x, y]}
{"action": "long_press", "coordinate": [x, y]}
{"action": "double_click", "coordinate": [x, y]}
{"action": "type", "text": ""}
{"action": "swipe", "direction": "up or down or left or right", "coordinate": [x, y]} \
# the finger's direction; "coordinate" is optional: the element to swipe on
{"action": "open", "text": "app_name"}
{"action": "drag", "start_coordinate": [x1, y1], "end_coordinate": [x2, y2]}
{"action": "system_button", "button": "button_name"} # back, home, menu or enter
{"action": "wait"}
{"action": "terminate", "status": "success or fail"}
{"action": "answer", "text": "xxx"} # escape \\', \\" and \\n inside the text"""

SYSTEM = f"""You are a GUI agent operating an Android phone. You get a task, your earlier \
actions and a screenshot, and you choose the next action.

## Output Format
Put your reasoning inside <thinking></thinking> tags, then one function call as a JSON object \
with its name and arguments inside <tool_call></tool_call> tags:
```
<thinking>
...
</thinking>
<tool_call>
{{"name": "mobile_use", "arguments": <args-json-object>}}
</tool_call>
```

## Action Space

{_SPACE}

## Note
- Coordinates are relative: x and y run from 0 to 999 across the screen.
- In <thinking>, make a short plan and end with one sentence naming your next action and its \
target element.
- Prefer `open` to start an app: it is the fastest way.
- Keep strictly to the action space and to the tags above."""

GROUNDING = """You are a GUI grounding agent.
## Task
Given a screenshot and an instruction, find the one UI element the instruction means.
Look at the screenshot, reason about the instruction, then give the element's coordinate.
## Output Format
Your reasoning inside <grounding_think></grounding_think> tags, then the coordinate as [x,y] \
(0 to 999 across the image) in a JSON object inside <answer></answer> tags:
<grounding_think>...</grounding_think>
<answer>
{"coordinate": [x,y]}
</answer>"""


class MaiUI(MobileUseDialect):
    name: ClassVar[str] = "mai-ui"
    family: ClassVar[str] = "MAI-UI"
    source: ClassVar[str] = (
        "Tongyi-MAI/MAI-UI@4dd07b9e: src/prompt.py, src/mai_naivigation_agent.py, "
        "src/mai_grounding_agent.py"
    )
    coords: ClassVar[CoordSpace | None] = "norm999"
    image: ClassVar[ImageRule | None] = ImageRule(32, 1024, 16_777_216)
    patterns: ClassVar[tuple[str, ...]] = (r"mai[-_ ]?ui",)
    actions: ClassVar[tuple[str, ...]] = (
        "click",
        "long_press",
        "double_click",
        "type",
        "swipe",
        "open",
        "drag",
        "system_button",
        "wait",
        "terminate",
        "answer",
    )
    swipe_by_direction: ClassVar[bool] = True
    failure_word: ClassVar[str] = "fail"
    buttons: ClassVar[dict[str, str]] = {
        "back": "back",
        "home": "home",
        "menu": "menu",
        "enter": "enter",
    }
    timed: ClassVar[bool] = False

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        return conversation(self, p, p.task, system=SYSTEM)

    def render(self, thought: str, action: ActionData) -> Rendered:
        call = json.dumps({"name": TOOL, "arguments": self.arguments_for(action)})
        return Rendered(f"<thinking>\n{thought}\n</thinking>\n<tool_call>\n{call}\n</tool_call>")

    def grounding_messages(
        self, instruction: str, screenshot: bytes, frame: ImageFrame, coords: CoordSpace
    ) -> list[Message]:
        return [
            Message.system(GROUNDING),
            Message.user(instruction, ImagePart(screenshot, "screen")),
        ]

    def parse_grounding(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> GroundedPoint:
        _, body = tx.split_thinking(tx.check_length(text))
        answer = tx.section(body, "answer")
        if answer is None:
            if "<tool_call>" in body:  # a navigation reply: its click is the point
                return super().parse_grounding(text, tool_calls)
            raise ModelResponseError(
                "the reply has no <answer> section; answer with "
                '<answer>{"coordinate": [x, y]}</answer>',
                raw=text,
            )
        try:
            data: Any = tx.find_json(answer, "{[")
        except ValueError:
            point_text = tx.first_point_text(answer)
            if point_text is None:
                raise ModelResponseError(
                    f"no coordinate in the answer: {tx.snippet(answer)!r}", raw=text
                ) from None
            data = {"coordinate": point_text}
        value = data.get("coordinate", data) if isinstance(data, dict) else data
        x, y = tx.point_of(value, "coordinate")
        return GroundedPoint(x, y, None, "answer")


MAI_UI = MaiUI()
