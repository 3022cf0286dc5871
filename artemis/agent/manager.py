"""The Manager: task, screenshot, tips, working memory and the element list in; a thought and
one device action out.

The prompt and the reply are in the dialect the settings choose for the model
(`artemis.models.dialects`): artemis's JSON, or a model family's native protocol.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from artemis.agent.calling import Asked, ask
from artemis.agent.grounding import Voice, device_action, voice
from artemis.agent.render import blank_note, elements_text, untrusted, with_note
from artemis.agent.types import Plan
from artemis.config import Settings
from artemis.models.base import ChatModel, Message, ModelRequest, ModelResponse
from artemis.models.dialects import NavigationPrompt, ParsedReply, PastStep
from artemis.observation import Observation
from artemis.tips.base import ScoredTip

#: Put before the Manager's prompt when the screenshot showed nothing of the screen.
BLANK_SCREEN_NOTE = blank_note("go by the UI element list and target elements by index")


@dataclass(frozen=True, kw_only=True)
class PlanInput(ModelRequest):
    """What the Manager is asked about; offline policies read it instead of the prompt.

    `memory` is the working memory as plain data (`WorkingMemory.snapshot`), `memory_text`
    its rendering, `history` its steps, `reflection` the latest reflection as text."""

    role: str = "manager"
    task: str
    observation: Observation
    tips: Sequence[ScoredTip] = ()
    memory_text: str = ""
    memory: Mapping[str, Any] = field(default_factory=dict)
    history: Sequence[PastStep] = ()
    reflection: str | None = None
    notes: Sequence[str] = ()
    last_error: str | None = None

    @property
    def tip_texts(self) -> list[str]:
        return [t.tip.text for t in self.tips]


def prompt(inp: PlanInput, v: Voice, settings: Settings) -> NavigationPrompt:
    obs = inp.observation
    return NavigationPrompt(
        task=inp.task,
        app=obs.package or "unknown",
        screenshot=obs.screenshot,
        frame=v.frame,
        coords=v.coords,
        tips=inp.tip_texts,
        history=inp.history,
        reflection=inp.reflection,
        notes=inp.notes,
        last_error=inp.last_error,
        memory_text=inp.memory_text or "(empty: this is the first step)",
        elements_text=(
            untrusted(elements_text(obs, v.coords, v.frame))
            if settings.agent.show_ui_elements
            else "(not shown)"
        ),
    )


def messages(model: ChatModel, inp: PlanInput, settings: Settings) -> list[Message]:
    return _messages(inp, voice(model, settings, "manager", inp.observation), settings)


def _messages(inp: PlanInput, v: Voice, settings: Settings) -> list[Message]:
    out = v.dialect.navigation_messages(prompt(inp, v, settings))
    return with_note(out, BLANK_SCREEN_NOTE) if inp.observation.blank else out


async def plan(model: ChatModel, inp: PlanInput, settings: Settings) -> Asked[Plan]:
    """Ask the Manager for the next thought and action, in device pixels."""
    obs = inp.observation
    v = voice(model, settings, "manager", obs)
    out = v.dialect.output("navigation", v.coords)

    def read(response: ModelResponse[Any]) -> ParsedReply:
        return v.dialect.read(response, "navigation")

    def accept(reply: ParsedReply, response: ModelResponse[Any]) -> Plan:
        action = device_action(reply, response, v, obs)
        return Plan(
            reply.thought,
            action,
            native=reply.native,
            rest=list(reply.rest),
            dialect=v.dialect.name,
        )

    return await ask(
        model,
        inp,
        _messages(inp, v, settings),
        read=read,
        accept=accept,
        settings=settings,
        schema=out.schema,
        tools=out.tools,
        retry_text=v.dialect.retry_text,
    )
