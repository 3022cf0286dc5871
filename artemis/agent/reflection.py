"""SRA, the status reflector: the screens before and after an action (and a UI diff when both
trees exist) in; success or failure with analysis, guidance and an optional lesson out."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from artemis.actions import Action
from artemis.agent import prompts
from artemis.agent.calling import ask
from artemis.agent.render import action_text, blank_note, untrusted
from artemis.agent.types import Reflection, ReflectionResult, SraReply
from artemis.agent.ui import UIDiff, diff_ui
from artemis.config import Settings
from artemis.models.base import ChatModel, ImagePart, Message, ModelRequest, ModelResponse
from artemis.observation import Observation

#: What SRA goes by when a screenshot showed nothing of the screen.
GO_BY = "go by the UI diff"


@dataclass(frozen=True, kw_only=True)
class ReflectInput(ModelRequest):
    """What SRA is asked about; offline policies read it instead of the prompt. `diff` is
    the UI diff between the two screens, when both have a tree."""

    role: str = "sra"
    task: str
    thought: str
    action: Action
    before: Observation
    after: Observation
    tips: Sequence[str] = ()
    diff: UIDiff | None = None


def ui_diff(before: Observation, after: Observation) -> UIDiff | None:
    if before.ui is None or after.ui is None:
        return None
    return diff_ui(before.ui, after.ui)


def messages(inp: ReflectInput, diff: UIDiff | None) -> list[Message]:
    system, user = prompts.load("sra").render(
        task=inp.task,
        app=inp.after.package or "unknown",
        thought=inp.thought,
        action_text=action_text(inp.action),
        diff=untrusted(diff.text()) if diff is not None else "(no UI trees to compare)",
    )
    notes = [
        blank_note(GO_BY, image)
        for image, obs in (
            ("first image (before the action)", inp.before),
            ("second image (after the action)", inp.after),
        )
        if obs.blank
    ]
    user = "".join(notes) + user
    return [
        Message.system(system),
        Message.user(
            user,
            ImagePart(inp.before.screenshot, "before"),
            ImagePart(inp.after.screenshot, "after"),
        ),
    ]


async def reflect(model: ChatModel, inp: ReflectInput, settings: Settings) -> ReflectionResult:
    diff = ui_diff(inp.before, inp.after)

    def accept(reply: SraReply, response: ModelResponse[Any]) -> Reflection:
        lesson = (reply.lesson or "").strip() or None
        return Reflection(reply.success, reply.analysis.strip(), reply.guidance.strip(), lesson)

    asked = await ask(
        model,
        dataclasses.replace(inp, diff=diff),
        messages(inp, diff),
        accept=accept,
        settings=settings,
        schema=SraReply,
    )
    return ReflectionResult(asked.value, None if diff is None else diff.text(), asked.cost)
