"""`openai-tools`: artemis's actions offered as OpenAI function tools, one per action type; the
reply's action is read from `message.tool_calls`, as OpenAI, vLLM (`--enable-auto-tool-choice
--tool-call-parser ...`), Ollama and DashScope return them, with `arguments` as JSON text.

The thought is the message's text. A server without a tool parser returns the call as text;
the `<tool_call>{"name": ..., "arguments": ...}</tool_call>` of Hermes-style templates and a bare
`{"name": ..., "arguments": ...}` object are read from the text then. Points are in the model
family's own space, as in the `artemis` dialect; element indices of the numbered list work too.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any, ClassVar

from artemis.errors import ModelResponseError
from artemis.models.base import ImagePart, Message, ToolCall
from artemis.models.coords import CoordSpace
from artemis.models.dialects import mobile_use
from artemis.models.dialects import text as tx
from artemis.models.dialects.artemis_json import coords_hint, tips_text
from artemis.models.dialects.base import (
    ActionData,
    CorrectionPrompt,
    Dialect,
    Kind,
    NavigationPrompt,
    Output,
    ParsedReply,
    Rendered,
)
from artemis.models.templates import load_template

_TARGET = {
    "index": {"type": "integer", "description": "the element's index in the numbered list"},
    "x": {"type": "number", "description": "horizontal position of a point"},
    "y": {"type": "number", "description": "vertical position of a point"},
}


def _tool(
    name: str, description: str, props: dict[str, Any], required: list[str]
) -> dict[str, Any]:
    return {
        "type": "function",
        "function": {
            "name": name,
            "description": description,
            "parameters": {"type": "object", "properties": props, "required": required},
        },
    }


TOOLS: tuple[dict[str, Any], ...] = (
    _tool("tap", "Tap an element (by index) or a point (x, y).", dict(_TARGET), []),
    _tool("double_tap", "Tap an element or a point twice quickly.", dict(_TARGET), []),
    _tool(
        "long_press",
        "Touch and hold an element or a point.",
        {**_TARGET, "duration_ms": {"type": "integer", "description": "how long, 100-10000"}},
        [],
    ),
    _tool(
        "swipe",
        "Move a finger from (x1, y1) to (x2, y2): a raw gesture; prefer scroll for lists.",
        {k: {"type": "number"} for k in ("x1", "y1", "x2", "y2")}
        | {"duration_ms": {"type": "integer"}},
        ["x1", "y1", "x2", "y2"],
    ),
    _tool(
        "scroll",
        "Scroll the content; direction down reveals what is below. Optionally on one element "
        "or at one point.",
        {"direction": {"type": "string", "enum": ["up", "down", "left", "right"]}, **_TARGET},
        ["direction"],
    ),
    _tool(
        "type",
        "Type text into an element (tapped first) or into the focused field.",
        {
            "text": {"type": "string"},
            **_TARGET,
            "clear_first": {"type": "boolean", "description": "empty the field first"},
            "submit": {"type": "boolean", "description": "press Enter afterwards"},
        },
        ["text"],
    ),
    _tool("clear_text", "Empty a text field (an element, or the focused one).", dict(_TARGET), []),
    _tool(
        "press",
        "Press a key.",
        {
            "key": {
                "type": "string",
                "enum": ["back", "home", "enter", "delete", "app_switch", "menu"],
            }
        },
        ["key"],
    ),
    _tool("open_app", "Open an app by its name or package.", {"app": {"type": "string"}}, ["app"]),
    _tool("wait", "Wait for the screen to change.", {"seconds": {"type": "number"}}, []),
    _tool(
        "note",
        "Keep a piece of information for later steps.",
        {"text": {"type": "string"}},
        ["text"],
    ),
    _tool(
        "answer",
        "Answer the user's question; ends the task.",
        {"text": {"type": "string"}},
        ["text"],
    ),
    _tool(
        "finish",
        "End the task.",
        {
            "status": {"type": "string", "enum": ["success", "failure", "infeasible"]},
            "reason": {"type": "string"},
        },
        ["status"],
    ),
)
_NAMES = tuple(t["function"]["name"] for t in TOOLS)
_ALIASES = {"type_text": "type", "press_key": "press", "click": "tap"}

SYSTEM = """You operate an Android phone to carry out a user's task, one action at a time.

Each turn you get the task, the current screenshot, tips about the app on screen, your working
memory and, when the device gives one, a numbered list of the UI elements on the screen.

Say in one or two sentences what you see and what you do next (name the element you act on in
quotes), then call exactly one of the tools: it is the action.

Coordinates: $coords
Prefer "index" for elements of the list; use "x" and "y" for anything else."""


class OpenAITools(Dialect):
    name: ClassVar[str] = "openai-tools"
    family: ClassVar[str] = "any model served with tool calling (OpenAI, vLLM, Ollama, ...)"
    source: ClassVar[str] = "the OpenAI chat-completions `tools` / `tool_calls` fields"
    actions: ClassVar[tuple[str, ...]] = _NAMES

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        from string import Template

        _, user = load_template("artemis.models.dialects.prompts", "artemis_navigation").render(
            action_schema="",
            coords=coords_hint(p.coords),
            task=p.task,
            app=p.app,
            tips=tips_text(p.tips),
            memory=p.memory_text,
            elements=p.elements_text,
        )
        system = Template(SYSTEM).substitute(coords=coords_hint(p.coords))
        return [Message.system(system), Message.user(user, ImagePart(p.screenshot, "screen"))]

    def correction_messages(self, p: CorrectionPrompt) -> list[Message]:
        return super().correction_messages(p)

    def output(self, kind: Kind, coords: CoordSpace) -> Output:
        return Output(tools=TOOLS)

    def retry_text(self, error: str) -> str:
        return f"Your reply could not be used: {error}\nCall exactly one of the tools."

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        _, body = tx.split_thinking(tx.check_length(text))
        calls: list[tuple[str, Any]] = [(c.name, c.arguments) for c in tool_calls]
        thought = body
        if not calls:
            for block in tx.tool_call_blocks(body) or [body]:
                try:
                    data = tx.find_json(block)
                except ValueError:
                    continue
                if isinstance(data, dict) and "name" in data:
                    calls.append((str(data["name"]), data.get("arguments", {})))
            thought = body.split("<tool_call>", 1)[0] if "<tool_call>" in body else ""
        if not calls:
            raise ModelResponseError(
                "the reply calls no tool; call exactly one of: " + ", ".join(_NAMES), raw=text
            )
        name, args = calls[0]
        action = self.to_action(name, args)
        native = json.dumps({"name": name, "arguments": args}, ensure_ascii=False)
        rest = [json.dumps({"name": n, "arguments": a}, ensure_ascii=False) for n, a in calls[1:]]
        return ParsedReply(thought.strip(), action, native, rest)

    def to_action(self, name: str, args: Any) -> ActionData:
        kind = _ALIASES.get(name, name)
        if name in mobile_use.TOOLS:
            # A Qwen-family model behind a tool parser calls its own trained function.
            return _MOBILE_USE.to_action(_MOBILE_USE.arguments(name, args))
        if kind not in _NAMES:
            raise self.unsupported(f"{name}(...)")
        if isinstance(args, str):
            try:
                args = tx.loads(args) if args.strip() else {}
            except ValueError:
                raise ModelResponseError(
                    f"the arguments of {name} are not JSON: {tx.snippet(args)!r}"
                ) from None
        if not isinstance(args, dict):
            raise ModelResponseError(f"the arguments of {name} must be an object, got {args!r}")
        out: ActionData = {"type": kind}
        target = _target(args)
        if kind in ("tap", "double_tap", "long_press"):
            if target is None:
                raise ModelResponseError(f"{name} needs an index or x and y")
            out["target"] = target
        elif kind in ("type", "clear_text") and target is not None:
            out["target"] = target
        elif kind == "scroll" and target is not None:
            out["anchor"] = target
        if kind == "swipe":
            out["start"] = {"x": args.get("x1"), "y": args.get("y1")}
            out["end"] = {"x": args.get("x2"), "y": args.get("y2")}
        for key in (
            "duration_ms",
            "direction",
            "text",
            "clear_first",
            "submit",
            "key",
            "app",
            "seconds",
            "status",
            "reason",
        ):
            if key in args and args[key] is not None:
                out[key] = args[key]
        return out

    def render_action(self, action: ActionData) -> str:
        name, args = _call(action)
        return json.dumps({"name": name, "arguments": args}, ensure_ascii=False)

    def render(self, thought: str, action: ActionData) -> Rendered:
        name, args = _call(action)
        return Rendered(thought, (ToolCall(name, json.dumps(args, ensure_ascii=False)),))


def _target(args: dict[str, Any]) -> dict[str, Any] | None:
    if args.get("index") is not None:
        return {"index": args["index"]}
    if args.get("x") is not None or args.get("y") is not None:
        return {"x": args.get("x"), "y": args.get("y")}
    return None


def _call(action: ActionData) -> tuple[str, dict[str, Any]]:
    args = {k: v for k, v in action.items() if k != "type"}
    for key in ("target", "anchor"):
        value = args.pop(key, None)
        if isinstance(value, dict):
            args.update(value)
    if action["type"] == "swipe":
        start, end = args.pop("start"), args.pop("end")
        args.update(x1=start["x"], y1=start["y"], x2=end["x"], y2=end["y"])
    return action["type"], args


OPENAI_TOOLS = OpenAITools()


#: Reads `mobile_use` calls (Qwen2.5-VL's action set, points in the model's own space).
_MOBILE_USE = mobile_use.MobileUseDialect()
