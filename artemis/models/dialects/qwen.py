"""`qwen2.5-vl`, `qwen3-vl` and `gui-owl`: the `mobile_use` function call of the Qwen-VL
cookbooks (QwenLM/Qwen2.5-VL@f0af2996 and QwenLM/Qwen3-VL@96588727 `cookbooks/mobile_agent.
ipynb` and `cookbooks/utils/agent_function_call.py`; X-PLUG/MobileAgent@11cea575
`Mobile-Agent-v3/cookbook/end2end_usage.ipynb`).

The system prompt carries the function's JSON schema inside `<tools>` tags, as the Qwen chat
template does for tools, with the screen's resolution in the function's description: the
resized image's pixels for Qwen2.5-VL and GUI-Owl, "999x999" for Qwen3-VL, whose points are
relative. The user turn is the task, the task progress as `Step 1: ...; Step 2: ...; `,
artemis's tips and reflection, and the screenshot.

Qwen2.5-VL's tool has no `answer`; artemis adds it (as Qwen3-VL and GUI-Owl have it) so that
question tasks can be answered. GUI-Owl is asked to think in `<thinking>` tags and to sum up its
action in `<conclusion>` tags, as its cookbook does.
"""

from __future__ import annotations

import json
from typing import Any, ClassVar

from artemis.models.base import Message
from artemis.models.coords import CoordSpace, ImageRule
from artemis.models.dialects.base import ActionData, NavigationPrompt, Rendered
from artemis.models.dialects.mobile_use import (
    TOOL,
    MobileUseDialect,
    rendered,
    steps_text,
    user_turn,
)

_ACTION_HELP: dict[str, str] = {
    "key": "send an adb keyevent named by `text` (back, home, enter, del, menu, app_switch).",
    "click": "tap the point `coordinate` (x, y).",
    "long_press": "touch and hold the point `coordinate` for `time` seconds.",
    "swipe": "move one finger from `coordinate` (x, y) to `coordinate2` (x2, y2).",
    "type": "type `text` into the input field that has the focus.",
    "system_button": "press the system button `button`.",
    "open": "open the app named by `text`.",
    "wait": "wait `time` seconds for the screen to change.",
    "answer": "give `text` as the answer to the user's question.",
    "terminate": "end the task and report `status`.",
}


def tool_schema(actions: tuple[str, ...], width: int, height: int) -> dict[str, Any]:
    """The `mobile_use` function, for `actions`, on a screen of `width` x `height`."""
    lines = "\n".join(f"* `{a}`: {_ACTION_HELP[a]}" for a in actions)
    needs_text = [a for a in ("key", "type", "open", "answer") if a in actions]
    timed = [a for a in ("long_press", "wait") if a in actions]
    return {
        "type": "function",
        "function": {
            "name": TOOL,
            "description": (
                "Operate an Android phone through its touchscreen and system buttons. Each call "
                "does one thing; the next screenshot shows what it did.\n"
                "* Apps can take a moment to open or to react: wait, then look again.\n"
                f"* The screen's resolution is {width}x{height}.\n"
                "* Aim at the middle of a button, icon or link, never at its edge."
            ),
            "parameters": {
                "properties": {
                    "action": {
                        "description": f"What to do. The actions are:\n{lines}",
                        "enum": list(actions),
                        "type": "string",
                    },
                    "coordinate": {
                        "description": "(x, y): pixels from the left edge and from the top edge. "
                        "For `click`, `long_press` and `swipe`.",
                        "type": "array",
                    },
                    "coordinate2": {
                        "description": "(x, y): where a `swipe` ends.",
                        "type": "array",
                    },
                    "text": {
                        "description": "For " + ", ".join(f"`{a}`" for a in needs_text) + ".",
                        "type": "string",
                    },
                    "time": {
                        "description": "Seconds, for "
                        + " and ".join(f"`{a}`" for a in timed)
                        + ".",
                        "type": "number",
                    },
                    "button": {
                        "description": "Back goes to the previous screen, Home to the home "
                        "screen, Menu opens the app's menu, Enter presses Enter. For "
                        "`system_button`.",
                        "enum": ["Back", "Home", "Menu", "Enter"],
                        "type": "string",
                    },
                    "status": {
                        "description": "How the task ended. For `terminate`.",
                        "type": "string",
                        "enum": ["success", "failure"],
                    },
                },
                "required": ["action"],
                "type": "object",
            },
        },
    }


def tools_system_prompt(tool: dict[str, Any], extra: str = "") -> str:
    """The system prompt that offers `tool` in `<tools>` tags and asks for `<tool_call>`."""
    return (
        "You are a helpful assistant.\n\n"
        "# Tools\n\n"
        "You can call the function described inside <tools></tools> to act for the user.\n"
        f"<tools>\n{json.dumps(tool, ensure_ascii=False)}\n</tools>\n\n"
        "To call it, write a JSON object with the function's name and its arguments inside "
        "<tool_call></tool_call> tags:\n"
        '<tool_call>\n{"name": <function-name>, "arguments": <args-json-object>}\n</tool_call>'
        + (f"\n\n{extra}" if extra else "")
    )


class _QwenMobileUse(MobileUseDialect):
    """Qwen2.5-VL's protocol; the others change the screen size, actions and reply format."""

    screen_in_prompt: ClassVar[str] = "sent"  # "sent": the image's pixels; else fixed text
    response_format: ClassVar[str] = ""
    query_suffix: ClassVar[str] = ""

    def screen_size(self, p: NavigationPrompt) -> tuple[int, int]:
        if self.screen_in_prompt == "sent":
            return (p.frame.sent_width, p.frame.sent_height)
        return (999, 999)

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        width, height = self.screen_size(p)
        system = tools_system_prompt(tool_schema(self.actions, width, height), self.response_format)
        query = (
            f"The user query: {p.task}\n"
            "Task progress (You have done the following operation on the current device): "
            f"{steps_text(self, p)}\n{self.query_suffix}"
        ).rstrip()
        return [Message.system(system), user_turn(query, p)]

    def render(self, thought: str, action: ActionData) -> Rendered:
        return rendered(self, thought, action)


class Qwen25VL(_QwenMobileUse):
    name: ClassVar[str] = "qwen2.5-vl"
    family: ClassVar[str] = "Qwen2.5-VL"
    source: ClassVar[str] = (
        "QwenLM/Qwen2.5-VL@f0af2996: cookbooks/mobile_agent.ipynb, "
        "cookbooks/utils/agent_function_call.py"
    )
    coords: ClassVar[CoordSpace | None] = "pixels"
    image: ClassVar[ImageRule | None] = ImageRule(28, 3136, 12_845_056)
    patterns: ClassVar[tuple[str, ...]] = (r"qwen2\.5[-_ ]?vl", r"qwen2_5_vl", r"qwen2-5-vl")
    actions: ClassVar[tuple[str, ...]] = (
        "key",
        "click",
        "long_press",
        "swipe",
        "type",
        "system_button",
        "open",
        "wait",
        "answer",
        "terminate",
    )


class Qwen3VL(_QwenMobileUse):
    name: ClassVar[str] = "qwen3-vl"
    family: ClassVar[str] = "Qwen3-VL"
    source: ClassVar[str] = "QwenLM/Qwen3-VL@96588727: cookbooks/mobile_agent.ipynb"
    coords: ClassVar[CoordSpace | None] = "norm999"
    image: ClassVar[ImageRule | None] = ImageRule(32, 65_536, 16_777_216)
    patterns: ClassVar[tuple[str, ...]] = (r"qwen3[-_.]?vl", r"gui[-_]?owl[-_]?1\.5")
    actions: ClassVar[tuple[str, ...]] = (
        "click",
        "long_press",
        "swipe",
        "type",
        "answer",
        "system_button",
        "wait",
        "terminate",
    )
    screen_in_prompt: ClassVar[str] = "999x999"
    response_format: ClassVar[str] = (
        "# Response format\n\n"
        "Every step, answer with:\n"
        "1) Thought: one short sentence on the next move.\n"
        "2) Action: a short imperative saying what to do on the screen.\n"
        "3) One <tool_call>...</tool_call> block with only the JSON of the call."
    )

    def render(self, thought: str, action: ActionData) -> Rendered:
        summary = action["type"].replace("_", " ")
        text = f'Thought: {thought}\nAction: "{summary}"\n{self.tool_call_text(action)}'
        return Rendered(text)


class GuiOwl(_QwenMobileUse):
    name: ClassVar[str] = "gui-owl"
    family: ClassVar[str] = "GUI-Owl (Mobile-Agent-v3)"
    source: ClassVar[str] = (
        "X-PLUG/MobileAgent@11cea575: Mobile-Agent-v3/cookbook/end2end_usage.ipynb, "
        "Mobile-Agent-v3/cookbook/utils/mobile_use.py"
    )
    coords: ClassVar[CoordSpace | None] = "pixels"
    image: ClassVar[ImageRule | None] = ImageRule(28, 3136, 10_035_200)
    patterns: ClassVar[tuple[str, ...]] = (r"gui[-_]?owl", r"mobile[-_]?agent[-_]?v3")
    actions: ClassVar[tuple[str, ...]] = Qwen25VL.actions
    query_suffix: ClassVar[str] = (
        "\nBefore answering, reason step by step inside <thinking></thinking> tags, placed "
        "before the <tool_call></tool_call> tags.\n"
        "After answering, sum up your action inside <conclusion></conclusion> tags, placed "
        "after the <tool_call></tool_call> tags."
    )

    def render(self, thought: str, action: ActionData) -> Rendered:
        summary = action["type"].replace("_", " ")
        text = (
            f"<thinking>\n{thought}\n</thinking>\n{self.tool_call_text(action)}\n"
            f"<conclusion>\n{summary}\n</conclusion>"
        )
        return Rendered(text)


QWEN25_VL = Qwen25VL()
QWEN3_VL = Qwen3VL()
GUI_OWL = GuiOwl()
