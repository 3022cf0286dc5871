"""ACA, the action corrector: runs only after TAC says inconsistent, once, with no re-check.
It names the error type and returns a corrected thought and action (in device pixels)."""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from artemis import actions
from artemis.actions import Action
from artemis.agent import draw, prompts
from artemis.agent.calling import Asked, ask
from artemis.agent.grounding import coords_hint, to_device_action
from artemis.agent.render import action_json, action_text, elements_text, untrusted
from artemis.agent.types import AcaReply, AcaReplyNorm1, Correction, aca_schema
from artemis.config import Settings
from artemis.models.base import ChatModel, ImagePart, Message, ModelResponse
from artemis.observation import Observation


@dataclass(frozen=True)
class CorrectInput:
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
    obs = inp.observation
    budget = settings.models.max_image_pixels
    system, user = prompts.load("aca").render(
        action_schema=actions.action_schema_text(),
        coords=coords_hint(model.coords),
        task=inp.task,
        thought=inp.thought,
        action_json=action_json(inp.action, model, obs, budget),
        action_text=action_text(inp.action),
        reason=inp.reason,
        elements=untrusted(elements_text(obs, model, budget)),
    )
    return [Message.system(system), Message.user(user, ImagePart(annotated, "action drawn"))]


async def correct(model: ChatModel, inp: CorrectInput, settings: Settings) -> Asked[Correction]:
    obs = inp.observation
    annotated = inp.annotated
    if annotated is None:
        annotated = await asyncio.to_thread(draw.annotate, obs, inp.action)

    def accept(reply: AcaReply | AcaReplyNorm1, response: ModelResponse[Any]) -> Correction:
        action = to_device_action(reply.action, response, obs)
        return Correction(reply.error_type, reply.thought.strip(), action)

    return await ask(
        model,
        "aca",
        messages(model, inp, annotated, settings),
        aca_schema(model.coords),
        accept=accept,
        context={
            "task": inp.task,
            "observation": obs,
            "tips": list(inp.tips),
            "thought": inp.thought,
            "action": inp.action,
            "reason": inp.reason,
        },
        settings=settings,
    )
