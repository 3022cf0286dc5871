"""The guard: the safety gate's deliberative stage, as an agent role.

It gets the written policy as numbered text, the task, the proposed action and the screen's
text (quoted as untrusted), reasons briefly and answers a verdict with the category and clause
it applied (`GuardReply`). It runs only when the rule stage is unsure or sees risk
(`artemis.safety.gate`), on its own model (`models.guard`, else `model`), bounded by
`safety.guard_max_tokens` per call, `safety.guard_retries` re-asks and `safety.guard_timeout_s`
in all; a guard that cannot answer in time fails closed.

`step_facts` turns the loop's observation and plan into the facts the gate judges.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from artemis.actions import Action, OpenApp, Press, Scroll, Swipe, TypeText
from artemis.agent import prompts
from artemis.agent.calling import Asked, ask
from artemis.agent.render import untrusted
from artemis.agent.types import RoleCost
from artemis.agent.ui import action_target, gesture_points, name_of, target_element
from artemis.config import Settings
from artemis.errors import ModelResponseError
from artemis.models.base import ChatModel, ImagePart, Message, ModelRequest, ModelResponse
from artemis.models.roles import guard_settings
from artemis.observation import Observation
from artemis.safety.facts import ActionFacts, StepFacts, field_texts, overlay_of, ui_texts
from artemis.safety.gate import GuardAnswer
from artemis.safety.policy import Policy
from artemis.safety.verdict import GuardVerdict, RuleVerdict

#: Screen lines shown to the guard at most (a long list is cut; the rule stage saw it all).
MAX_SCREEN_LINES = 80


class GuardReply(BaseModel):
    model_config = ConfigDict(extra="ignore")

    analysis: str = Field(
        default="", max_length=2000, description="brief reasoning over the policy, first"
    )
    category: str | None = None
    clause: str | None = None
    verdict: Literal["allow", "confirm", "block"]
    reason: str = Field(min_length=1, max_length=1000)


@dataclass(frozen=True, kw_only=True)
class GuardInput(ModelRequest):
    """What the guard is asked about; offline policies read it instead of the prompt."""

    role: str = "guard"
    step: StepFacts
    rules: RuleVerdict
    policy: Policy
    screenshot: bytes | None = None


def action_facts(action: Action, obs: Observation) -> ActionFacts:
    """An action as the gate sees it: the element it touches by name, not by index."""
    element = target_element(action_target(action), obs)
    points = gesture_points(action, obs)
    return ActionFacts(
        type=action.type,
        target_text=(name_of(element, obs.ui) or None) if element is not None else None,
        target_kind=(element.class_name.rsplit(".", 1)[-1] or None) if element else None,
        text=action.text if isinstance(action, TypeText) else None,
        app=action.app if isinstance(action, OpenApp) else None,
        key=action.key if isinstance(action, Press) else None,
        point=points[0] if points else None,
        direction=action.direction if isinstance(action, Scroll) else None,
    )


def history_facts(actions: Sequence[Action]) -> tuple[ActionFacts, ...]:
    """Earlier actions, without their screens: what they typed, opened or pressed."""
    out = []
    for a in actions:
        out.append(
            ActionFacts(
                type=a.type,
                text=getattr(a, "text", None) if a.type in ("type", "note", "answer") else None,
                app=a.app if isinstance(a, OpenApp) else None,
                key=a.key if isinstance(a, Press) else None,
                direction=a.direction if isinstance(a, Scroll) else None,
            )
            if not isinstance(a, Swipe)
            else ActionFacts(type="swipe")
        )
    return tuple(out)


def step_facts(
    task: str,
    obs: Observation,
    thought: str,
    action: Action,
    *,
    history: Sequence[Action] = (),
    seen_instructions: Sequence[str] = (),
) -> StepFacts:
    ui = obs.ui or ()
    return StepFacts(
        task=task,
        action=action_facts(action, obs),
        app=obs.package,
        thought=thought,
        screen_text=ui_texts(ui),
        overlay=overlay_of(ui, obs.size) if ui else None,
        fields=field_texts(ui),
        history=history_facts(history),
        seen_instructions=tuple(seen_instructions),
    )


def messages(inp: GuardInput) -> list[Message]:
    step, rules = inp.step, inp.rules
    lines = list(step.screen_text)
    if step.overlay is not None:
        lines = [f"[pop-up] {t}" for t in step.overlay.texts] + [
            t for t in lines if t not in step.overlay.texts
        ]
    if len(lines) > MAX_SCREEN_LINES:
        more = len(lines) - MAX_SCREEN_LINES
        lines = [*lines[:MAX_SCREEN_LINES], f"... and {more} more lines"]
    history = [a.describe() for a in step.history[-8:]]
    system, user = prompts.load("guard").render(
        policy=inp.policy.text(),
        task=step.task,
        app=untrusted(step.app or "unknown"),
        action=untrusted(step.action.describe()),
        thought=untrusted(step.thought or "(none)"),
        history=untrusted("\n".join(f"- {h}" for h in history) or "(none)"),
        rules_verdict=rules.verdict,
        rules_clause=rules.clause or "none",
        rules_reason=untrusted(rules.reason),
        signals=untrusted("\n".join(f"- {s}" for s in rules.signals)),
        screen=untrusted("\n".join(lines) or "(no text)"),
    )
    parts: list[str | ImagePart] = [user]
    if inp.screenshot is not None:
        parts.append(ImagePart(inp.screenshot, "screen"))
    return [Message.system(system), Message.user(*parts)]


async def deliberate(model: ChatModel, inp: GuardInput, settings: Settings) -> Asked[GuardVerdict]:
    """Ask the guard; its own budget (`safety.guard_*`) bounds each call and the re-asks."""
    bounded = guard_settings(settings)
    bounded = bounded.model_copy(
        update={
            "agent": bounded.agent.model_copy(
                update={"reply_retries": settings.safety.guard_retries}
            )
        }
    )

    def accept(reply: GuardReply, response: ModelResponse[Any]) -> GuardVerdict:
        return GuardVerdict(
            reply.verdict,
            (reply.category or "").strip() or None,
            (reply.clause or "").strip() or None,
            reply.reason.strip(),
            reply.analysis.strip(),
        )

    return await ask(model, inp, messages(inp), accept=accept, settings=bounded, schema=GuardReply)


class Deliberation:
    """The gate's `deliberate` for one step, keeping what the guard's calls cost (`cost`,
    also when the gate's time limit cancels the call)."""

    def __init__(
        self, model: ChatModel, policy: Policy, settings: Settings, screenshot: bytes | None
    ) -> None:
        self.model = model
        self.policy = policy
        self.settings = settings
        self.screenshot = screenshot if settings.safety.guard_screenshot else None
        self.cost = RoleCost(model=model.name)
        self.called = False

    async def __call__(self, step: StepFacts, rules: RuleVerdict) -> GuardAnswer:
        self.called = True
        try:
            asked = await deliberate(
                self.model,
                GuardInput(step=step, rules=rules, policy=self.policy, screenshot=self.screenshot),
                self.settings,
            )
        except asyncio.CancelledError:
            self.cost.attempts += 1
            self.cost.errors.append("cancelled: the gate's time limit ran out")
            raise
        self.cost = asked.cost
        return GuardAnswer(asked.value, asked.failure)


def offline_reply(request: ModelRequest | None, who: str) -> dict[str, Any]:
    """The guard's answer of an offline policy (the heuristic baseline, the SimWorld oracle):
    the rule stage's own verdict, since such a policy has nothing more to reason with."""
    if not isinstance(request, GuardInput):
        raise ModelResponseError(f"{who} answers the guard role only with the rule stage's verdict")
    rules = request.rules
    return {
        "analysis": f"[{who}] no model: the rule stage's verdict stands",
        "category": rules.category,
        "clause": rules.clause,
        "verdict": rules.verdict,
        "reason": rules.reason,
    }
