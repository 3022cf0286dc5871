"""`artemis`: artemis's own protocol, one JSON object `{"thought": ..., "action": {...}}` whose
action is the action union of `artemis.actions`, with element-index targets when the screen
has a UI tree. The default for models of no known family, and for the offline policies.

Its points are in the model family's own space (pixels of the image sent, 0..1000, 0..999 or
0..1), which the prompt states. Servers are asked for structured output against the reply's
JSON schema (`artemis.models.structured`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from functools import cache
from typing import Any, ClassVar, Literal, TypeAlias

from pydantic import BaseModel, ConfigDict, Field, ValidationError

from artemis import actions
from artemis.actions import Action
from artemis.errors import ModelResponseError
from artemis.models.base import ImagePart, Message, ModelResponse, ToolCall
from artemis.models.coords import CoordSpace
from artemis.models.dialects import text as tx
from artemis.models.dialects.base import (
    ActionData,
    CorrectionPrompt,
    Dialect,
    GroundedPoint,
    Kind,
    NavigationPrompt,
    Output,
    ParsedReply,
    Rendered,
)
from artemis.models.templates import load_template, load_text

#: ACA's error types; "none" is for review mode (ACA without TAC), when the action is right.
ErrorType: TypeAlias = Literal["action_type", "parameters_or_target", "invalid_action", "none"]

_PROMPTS = "artemis.models.dialects.prompts"


class _Reply(BaseModel):
    model_config = ConfigDict(extra="ignore")


class ManagerReply(_Reply):
    thought: str = Field(min_length=1, description="what you see, what you do next and why")
    action: Action


class ManagerReplyNorm1(_Reply):
    """For models that answer in [0, 1]: fractions do not fit the action union's integers."""

    thought: str = Field(min_length=1)
    action: dict[str, Any]


class AcaReply(_Reply):
    error_type: ErrorType
    thought: str = Field(min_length=1)
    action: Action


class AcaReplyNorm1(_Reply):
    error_type: ErrorType
    thought: str = Field(min_length=1)
    action: dict[str, Any]


def manager_schema(coords: CoordSpace) -> type[ManagerReply] | type[ManagerReplyNorm1]:
    return ManagerReplyNorm1 if coords == "norm1" else ManagerReply


def aca_schema(coords: CoordSpace) -> type[AcaReply] | type[AcaReplyNorm1]:
    return AcaReplyNorm1 if coords == "norm1" else AcaReply


def coords_hint(coords: CoordSpace) -> str:
    """How a model should write points, for a prompt."""
    if coords == "norm1000":
        return "x and y are integers in [0, 1000] on each axis; (0, 0) is the top-left corner."
    if coords == "norm999":
        return "x and y are integers in [0, 999] on each axis; (0, 0) is the top-left corner."
    if coords == "norm1":
        return "x and y are numbers in [0, 1] on each axis; (0, 0) is the top-left corner."
    return "x and y are pixels of the screenshot image you see; (0, 0) is the top-left corner."


@cache
def action_schema() -> str:
    """The action union's JSON schema as compact text (built once)."""
    return actions.action_schema_text()


def tips_text(tips: Sequence[str]) -> str:
    return "\n".join(f"- {t}" for t in tips) if tips else "(none)"


class _Lenient(_Reply):
    thought: str = ""
    action: dict[str, Any]
    error_type: ErrorType | None = None


class ArtemisDialect(Dialect):
    name: ClassVar[str] = "artemis"
    family: ClassVar[str] = "artemis JSON (any instruction-following model)"
    source: ClassVar[str] = "artemis/actions.py"
    actions: ClassVar[tuple[str, ...]] = (
        "tap",
        "double_tap",
        "long_press",
        "swipe",
        "scroll",
        "type",
        "clear_text",
        "press",
        "open_app",
        "wait",
        "note",
        "answer",
        "finish",
    )

    def navigation_messages(self, p: NavigationPrompt) -> list[Message]:
        system, user = load_template(_PROMPTS, "artemis_navigation").render(
            action_schema=p.action_schema or action_schema(),
            coords=coords_hint(p.coords),
            task=p.task,
            app=p.app,
            tips=tips_text(p.tips),
            memory=p.memory_text,
            elements=p.elements_text,
        )
        return [Message.system(system), Message.user(user, ImagePart(p.screenshot, "screen"))]

    def correction_messages(self, p: CorrectionPrompt) -> list[Message]:
        from artemis.models.dialects.convert import action_for_model

        system, user = load_template(_PROMPTS, "artemis_correction").render(
            action_schema=p.action_schema or action_schema(),
            coords=coords_hint(p.coords),
            task=p.task,
            thought=p.thought,
            action_json=json.dumps(action_for_model(p.action, p.coords, p.frame)),
            action_text=actions.describe(p.action),
            reason=p.reason,
            elements=p.elements_text,
        )
        return [Message.system(system), Message.user(user, ImagePart(p.annotated, "action drawn"))]

    def grounding_messages(
        self, instruction: str, screenshot: bytes, frame: Any, coords: CoordSpace
    ) -> list[Message]:
        space = _space_text(coords, frame.sent_width, frame.sent_height)
        prompt = load_text(_PROMPTS, "artemis_grounding").substitute(
            instruction=instruction, space=space
        )
        return [Message.user(ImagePart(screenshot, "screen"), prompt.strip())]

    def output(self, kind: Kind, coords: CoordSpace) -> Output:
        schema = manager_schema(coords) if kind == "navigation" else aca_schema(coords)
        return Output(schema=schema)

    def retry_text(self, error: str) -> str:
        return (
            f"Your reply could not be used: {error}\n"
            "Answer again with exactly one JSON object that fits the requested format."
        )

    def read(self, response: ModelResponse[Any], kind: Kind = "navigation") -> ParsedReply:
        parsed = response.parsed
        if isinstance(parsed, BaseModel):
            data = parsed.model_dump(mode="json")
            return ParsedReply(
                thought=str(data.get("thought", "")).strip(),
                action=dict(data["action"]),
                native=json.dumps(data["action"]),
                error_type=data.get("error_type"),
            )
        return super().read(response, kind)

    def parse(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> ParsedReply:
        _, body = tx.split_thinking(tx.check_length(text))
        fenced = tx.section(body, "answer") or body
        if "```" in fenced:
            inner = fenced.split("```", 2)[1]
            fenced = inner.split("\n", 1)[1] if inner.lower().startswith("json") else inner
        try:
            data = tx.find_json(fenced)
        except ValueError as exc:
            raise ModelResponseError(
                f"the reply contains no JSON object: {exc}", raw=text
            ) from None
        if not isinstance(data, dict):
            raise ModelResponseError("the reply must be one JSON object", raw=text)
        if "action" not in data and "type" in data:
            data = {"thought": "", "action": data}
        try:
            reply = _Lenient.model_validate(data)
        except ValidationError as exc:
            problems = "; ".join(
                f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
                for err in exc.errors()[:6]
            )
            raise ModelResponseError(
                f"the reply does not fit the reply schema: {problems}", raw=text
            ) from exc
        return ParsedReply(
            thought=reply.thought.strip(),
            action=reply.action,
            native=json.dumps(reply.action),
            error_type=reply.error_type,
        )

    def parse_grounding(self, text: str, tool_calls: Sequence[ToolCall] = ()) -> GroundedPoint:
        """Any point a grounding answer names (`artemis.models.dialects.points`)."""
        from artemis.models.dialects.points import parse_point

        return parse_point(text)

    def render_action(self, action: ActionData) -> str:
        return json.dumps(action, ensure_ascii=False)

    def render(self, thought: str, action: ActionData) -> Rendered:
        return Rendered(json.dumps({"thought": thought, "action": action}, ensure_ascii=False))


def _space_text(coords: CoordSpace, width: int, height: int) -> str:
    if coords == "pixels":
        return f"in pixels of this {width} x {height} image (0, 0 is the top-left corner)"
    if coords == "norm1":
        return (
            "as fractions from 0 to 1 of the image's width and height "
            "(0, 0 is the top-left corner; 1, 1 the bottom-right)"
        )
    top = "1000" if coords == "norm1000" else "999"
    return (
        f"as integers from 0 to {top}, relative to the image's width and height "
        f"(0, 0 is the top-left corner; {top}, {top} the bottom-right)"
    )


ARTEMIS = ArtemisDialect()
