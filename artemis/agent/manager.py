"""The Manager: task, screenshot, tips, working memory and the element list in; a thought and
one device action out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from artemis import actions
from artemis.agent import prompts
from artemis.agent.calling import Asked, ask
from artemis.agent.grounding import coords_hint, to_device_action
from artemis.agent.render import elements_text, tips_text
from artemis.agent.types import ManagerReply, ManagerReplyNorm1, Plan, manager_schema
from artemis.config import Settings
from artemis.models.base import ChatModel, ImagePart, Message, ModelResponse
from artemis.observation import Observation
from artemis.tips.base import ScoredTip

#: Put before the Manager's prompt when the screenshot showed nothing of the screen.
BLANK_SCREEN_NOTE = (
    "NOTE: this screen could not be captured (the app forbids screenshots, as banking and "
    "password screens do, or the capture came back empty). The image is a black placeholder, "
    "not what the screen shows: go by the UI element list and target elements by index.\n\n"
)


@dataclass(frozen=True)
class PlanInput:
    task: str
    observation: Observation
    tips: Sequence[ScoredTip] = ()
    memory_text: str = ""
    memory: dict[str, Any] = field(default_factory=dict)


def messages(model: ChatModel, inp: PlanInput, settings: Settings) -> list[Message]:
    obs = inp.observation
    system, user = prompts.load("manager").render(
        action_schema=actions.action_schema_text(),
        coords=coords_hint(model.coords),
        task=inp.task,
        app=obs.package or "unknown",
        tips=tips_text(inp.tips),
        memory=inp.memory_text or "(empty)",
        elements=(
            elements_text(obs, model, settings.models.max_image_pixels)
            if settings.agent.show_ui_elements
            else "(not shown)"
        ),
    )
    if obs.blank:
        user = BLANK_SCREEN_NOTE + user
    return [Message.system(system), Message.user(user, ImagePart(obs.screenshot, "screen"))]


async def plan(model: ChatModel, inp: PlanInput, settings: Settings) -> Asked[Plan]:
    """Ask the Manager for the next thought and action, in device pixels."""
    obs = inp.observation

    def accept(reply: ManagerReply | ManagerReplyNorm1, response: ModelResponse[Any]) -> Plan:
        return Plan(reply.thought.strip(), to_device_action(reply.action, response, obs))

    return await ask(
        model,
        "manager",
        messages(model, inp, settings),
        manager_schema(model.coords),
        accept=accept,
        context={
            "task": inp.task,
            "observation": obs,
            "tips": [t.tip.text for t in inp.tips],
            "memory": inp.memory,
        },
        settings=settings,
    )
