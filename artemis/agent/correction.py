"""ACA, the action corrector: runs only after TAC says inconsistent, once, with no re-check.
It names the error type and returns a corrected thought and action (in device pixels).

It speaks the Manager's dialect: artemis's JSON asks for the error type; a native dialect is
shown the rejected action and the checker's reason and answers a corrected action in its own
format, and the error type is read off the difference between the two actions.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, cast

from artemis.actions import Action
from artemis.agent import draw
from artemis.agent.calling import Asked, ask
from artemis.agent.grounding import Voice, device_action, voice
from artemis.agent.manager import BLANK_SCREEN_NOTE
from artemis.agent.render import elements_text, untrusted, with_note
from artemis.agent.types import Correction, ErrorType
from artemis.config import Settings
from artemis.models.base import ChatModel, Message, ModelRequest, ModelResponse
from artemis.models.coords import CoordSpace, ImageFrame
from artemis.models.dialects import CorrectionPrompt, ParsedReply
from artemis.observation import Observation


@dataclass(frozen=True, kw_only=True)
class CorrectInput(ModelRequest):
    """What ACA is asked about; offline policies read it instead of the prompt."""

    role: str = "aca"
    task: str
    thought: str
    action: Action
    reason: str
    observation: Observation
    annotated: bytes | None = None
    tips: Sequence[str] = ()


def messages(
    model: ChatModel, inp: CorrectInput, annotated: bytes, settings: Settings
) -> list[Message]:
    v = voice(model, settings, "aca", inp.observation)
    return _messages(inp, annotated, v)


def _messages(inp: CorrectInput, annotated: bytes, v: Voice) -> list[Message]:
    out = v.dialect.correction_messages(_prompt(inp, annotated, v.coords, v.frame))
    return with_note(out, BLANK_SCREEN_NOTE) if inp.observation.blank else out


def _prompt(
    inp: CorrectInput, annotated: bytes, coords: CoordSpace, frame: ImageFrame
) -> CorrectionPrompt:
    obs = inp.observation
    return CorrectionPrompt(
        task=inp.task,
        app=obs.package or "unknown",
        screenshot=obs.screenshot,
        frame=frame,
        coords=coords,
        tips=tuple(inp.tips),
        elements_text=untrusted(elements_text(obs, coords, frame)),
        thought=inp.thought,
        action=inp.action,
        reason=inp.reason,
        annotated=annotated,
    )


def error_type_of(planned: Action, corrected: Action) -> ErrorType:
    """The error type a corrected action implies, for dialects that do not name one."""
    if corrected.model_dump() == planned.model_dump():
        return "none"
    if corrected.type != planned.type:
        return "action_type"
    return "parameters_or_target"


async def correct(model: ChatModel, inp: CorrectInput, settings: Settings) -> Asked[Correction]:
    obs = inp.observation
    annotated = inp.annotated
    if annotated is None:
        annotated = await asyncio.to_thread(draw.annotate, obs, inp.action)
    v = voice(model, settings, "aca", obs)
    out = v.dialect.output("correction", v.coords)

    def read(response: ModelResponse[Any]) -> ParsedReply:
        return v.dialect.read(response, "correction")

    def accept(reply: ParsedReply, response: ModelResponse[Any]) -> Correction:
        action = device_action(reply, response, v, obs)
        kind = cast(ErrorType, reply.error_type) or error_type_of(inp.action, action)
        return Correction(kind, reply.thought or inp.thought, action)

    return await ask(
        model,
        inp,
        _messages(inp, annotated, v),
        read=read,
        accept=accept,
        settings=settings,
        schema=out.schema,
        tools=out.tools,
        retry_text=v.dialect.retry_text,
    )
