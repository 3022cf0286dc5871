"""`aguvis`: Aguvis (xlang-ai/aguvis@178c4187: `src/aguvis/constants.py`,
`src/aguvis/serve/cli.py`).

The model answers with pyautogui-style code, optionally after `Thought:` and `Action:` lines
(its planning output, addressed to `all`, then the code addressed to `os`; a server that drops
the special tokens leaves the bare words `all` and `os` on their own lines):
`pyautogui.click(x=0.3, y=0.5)`, `pyautogui.write(message='…')`, `pyautogui.scroll(page=-1)`,
`mobile.swipe(from_coord=[…], to_coord=[…])`, `mobile.long_press(x=…, y=…)`,
`mobile.open_app(app_name='…')`, `mobile.home()`, `mobile.back()`, `mobile.wait(seconds=…)`,
`mobile.terminate(status='success')`, `answer('…')`. Points are relative, 0..1.
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
    NavigationPrompt,
    ParsedReply,
    Rendered,
    context_text,
    history_in_model_space,
)


def _fn(name: str, description: str, params: dict[str, str] | None = None) -> str:
    spec: dict[str, Any] = {"name": name, "description": description}
    if params:
        spec["parameters"] = {
            "type": "object",
            "properties": {k: {"type": t} for k, t in params.items()},
            "required": list(params),
        }
    return json.dumps(spec)


_FUNCTIONS = [
    _fn("mobile.swipe", "Swipe on the screen", {"from_coord": "array", "to_coord": "array"}),
    _fn("mobile.home", "Press the home button"),
    _fn("mobile.back", "Press the back button"),
    _fn("mobile.wait", "Wait for the screen to change", {"seconds": "number"}),
    _fn("mobile.long_press", "Long press on the screen", {"x": "number", "y": "number"}),
    _fn("mobile.open_app", "Open an app on the device", {"app_name": "string"}),
    _fn("mobile.terminate", "End the task", {"status": "string"}),
    _fn("answer", "Answer the user's question", {"text": "string"}),
]

AGENT_SYSTEM = (
    "You are a GUI agent. You get a task and a screenshot of the screen, and you carry out the "
    "task with pyautogui actions (pyautogui.click, pyautogui.write, pyautogui.press, "
    "pyautogui.scroll), with coordinates relative to the screen from 0 to 1.\n\n"
    "You can also call these functions:\n" + "\n".join(f"- {f}" for f in _FUNCTIONS)
)
GROUNDING_SYSTEM = (
    "You are a GUI agent. You get a task and a screenshot of the screen, and you carry out the "
    "task with pyautogui actions, with coordinates relative to the screen from 0 to 1."
)

_KEYS = {
    "enter": "enter",
    "return": "enter",
    "backspace": "delete",
    "delete": "delete",
    "home": "home",
    "back": "back",
    "menu": "menu",
}


def _xy(call: Any, what: str = "a point") -> dict[str, float]:
    x, y = call.arg("x", position=0), call.arg("y", position=1)
    if x is None or y is None:
        raise ModelResponseError(f"{call.name} needs x and y")
    return {"x": tx.number(x, "x"), "y": tx.number(y, "y")}


def _coord(value: Any, what: str) -> dict[str, float]:
    x, y = tx.point_of(value, what)
    return {"x": x, "y": y}


class Aguvis(Dialect):
    name: ClassVar[str] = "aguvis"
    family: ClassVar[str] = "Aguvis"
    source: ClassVar[str] = "xlang-ai/aguvis@178c4187: src/aguvis/constants.py, serve/cli.py"
    coords: ClassVar[CoordSpace | None] = "norm1"
    image: ClassVar[ImageRule | None] = ImageRule(28, 3136, 12_845_056)
    patterns: ClassVar[tuple[str, ...]] = (r"aguvis",)
    actions: ClassVar[tuple[str, ...]] = (
        "pyautogui.click",
        "pyautogui.doubleClick",
        "pyautogui.write",
        "pyautogui.press",
        "pyautogui.scroll",
        "pyautogui.hscroll",
        "mobile.swipe",
        "mobile.long_press",
        "mobile.open_app",
        "mobile.home",
        "mobile.back",
        "mobile.wait",
        "mobile.terminate",
        "answer",
    )

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        previous = "\n".join(
            f"Step {i}: {written}"
            for i, (_, written) in enumerate(history_in_model_space(self, p), start=1)
        )
        user = (
            "Please generate the next move according to the ui screenshot, instruction and "
            f"previous actions.\n\nInstruction: {p.task}\n\nPrevious actions:\n{previous or 'None'}"
        )
        extra = context_text(p)
        if extra:
            user = f"{user}\n\n{extra}"
        return [Message.system(AGENT_SYSTEM), Message.user(ImagePart(p.screenshot, "screen"), user)]

    def grounding_messages(
        self, instruction: str, screenshot: bytes, frame: ImageFrame, coords: CoordSpace
    ) -> list[Message]:
        return [
            Message.system(GROUNDING_SYSTEM),
            Message.user(ImagePart(screenshot, "screen"), instruction),
        ]

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        thinking, body = tx.split_thinking(tx.check_length(text))
        calls = [
            c
            for c in tx.parse_calls(body)
            if c.name.split(".")[0] in ("pyautogui", "mobile", "answer", "terminate")
        ]
        if not calls:
            raise ModelResponseError(
                "the reply has no action code; answer with one call such as "
                "pyautogui.click(x=0.5, y=0.5)",
                raw=text,
            )
        action = self.to_action(calls[0])
        said = [tx.labelled(body, "Thought"), tx.labelled(body, "Action")]
        thought = "\n".join(p for p in (thinking, *said) if p)
        return ParsedReply(thought, action, calls[0].source, [c.source for c in calls[1:]])

    def to_action(self, call: Any) -> ActionData:
        name = (
            call.name.split(".", 1)[-1]
            if call.name.startswith(("pyautogui.", "mobile."))
            else call.name
        )
        low = name.lower()
        if low in ("click", "tap"):
            return {"type": "tap", "target": _xy(call)}
        if low == "doubleclick":
            return {"type": "double_tap", "target": _xy(call)}
        if low == "long_press":
            return {"type": "long_press", "target": _xy(call)}
        if low in ("write", "typewrite", "type"):
            text = tx.as_text(call.arg("message", "text", position=0) or "", "message")
            if not text:
                raise ModelResponseError("write() needs the text: pyautogui.write(message='...')")
            return {"type": "type", "text": text}
        if low in ("press", "hotkey"):
            key = tx.as_text(call.arg("keys", "key", position=0) or "", "key").strip().lower()
            if key in _KEYS:
                return {"type": "press", "key": _KEYS[key]}
            raise self.unsupported(call.source, "a phone has only enter, delete, back and home")
        if low in ("scroll", "hscroll"):
            amount = tx.number(call.arg("page", "clicks", position=0), "page")
            if amount == 0:
                raise ModelResponseError("scroll() needs a non-zero page")
            if low == "scroll":
                direction = "up" if amount > 0 else "down"
            else:
                direction = "right" if amount > 0 else "left"
            return {"type": "scroll", "direction": direction}
        if low == "swipe":
            return {
                "type": "swipe",
                "start": _coord(call.arg("from_coord", position=0), "from_coord"),
                "end": _coord(call.arg("to_coord", position=1), "to_coord"),
            }
        if low == "open_app":
            app = tx.as_text(call.arg("app_name", position=0) or "", "app_name").strip()
            if not app:
                raise ModelResponseError("open_app() needs app_name='...'")
            return {"type": "open_app", "app": app}
        if low in ("home", "back"):
            return {"type": "press", "key": low}
        if low == "wait":
            seconds = call.arg("seconds", position=0)
            return (
                {"type": "wait", "seconds": tx.number(seconds, "seconds")}
                if seconds
                else {"type": "wait"}
            )
        if low == "terminate":
            status = tx.as_text(call.arg("status", position=0) or "success", "status").lower()
            return {"type": "finish", "status": "success" if status == "success" else "failure"}
        if low == "answer":
            return {
                "type": "answer",
                "text": tx.as_text(call.arg("text", position=0) or "", "text"),
            }
        raise self.unsupported(call.source)

    def render_action(self, action: ActionData) -> str:
        kind = action["type"]

        def xy(point: dict[str, Any]) -> str:
            return f"x={float(point['x']):.4f}, y={float(point['y']):.4f}"

        if kind == "tap":
            return f"pyautogui.click({xy(action['target'])})"
        if kind == "double_tap":
            return f"pyautogui.doubleClick({xy(action['target'])})"
        if kind == "long_press":
            return f"mobile.long_press({xy(action['target'])})"
        if kind == "swipe":
            s, e = action["start"], action["end"]
            return (
                f"mobile.swipe(from_coord=[{float(s['x']):.4f}, {float(s['y']):.4f}], "
                f"to_coord=[{float(e['x']):.4f}, {float(e['y']):.4f}])"
            )
        if kind == "scroll" and not action.get("anchor"):
            page = {
                "up": "pyautogui.scroll(page=1)",
                "down": "pyautogui.scroll(page=-1)",
                "left": "pyautogui.hscroll(page=-1)",
                "right": "pyautogui.hscroll(page=1)",
            }
            return page[action["direction"]]
        if kind == "type" and action.get("target") is None and not action.get("clear_first"):
            if action.get("submit"):
                raise ModelResponseError("aguvis types and presses enter in two actions")
            return f"pyautogui.write(message={json.dumps(action['text'], ensure_ascii=False)})"
        if kind == "press":
            if action["key"] in ("home", "back"):
                return f"mobile.{action['key']}()"
            if action["key"] in ("enter", "delete"):
                key = "enter" if action["key"] == "enter" else "backspace"
                return f"pyautogui.press('{key}')"
        if kind == "open_app":
            return f"mobile.open_app(app_name={json.dumps(action['app'], ensure_ascii=False)})"
        if kind == "wait":
            return f"mobile.wait(seconds={action.get('seconds', 1.0):g})"
        if kind == "answer":
            return f"answer({json.dumps(action['text'], ensure_ascii=False)})"
        if kind == "finish" and action.get("status") in ("success", "failure"):
            return f"mobile.terminate(status='{action['status']}')"
        raise ModelResponseError(f"aguvis cannot write {action}")

    def render(self, thought: str, action: ActionData) -> Rendered:
        return Rendered(
            f"Thought: {thought}\nAction: {action['type']}\n{self.render_action(action)}"
        )


AGUVIS = Aguvis()
