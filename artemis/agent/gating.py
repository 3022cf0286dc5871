"""The safety gate over one episode (`EpisodeGate`): the written policy, who confirms, and the
instructions seen on the episode's screens so far. Those count against every later action, so
that an instruction planted on one screen and acted on a few steps later is still caught.

The verdict itself is `artemis.safety.gate.judge`'s: the rule stage, then the guard role
(`artemis.agent.guard`) when the rules are unsure or see risk, then the person or setting that
confirms a `confirm` verdict.
"""

from __future__ import annotations

from collections.abc import Awaitable, Sequence
from dataclasses import dataclass
from typing import Protocol, TypeVar

from artemis.actions import Action
from artemis.actions import describe as describe_action
from artemis.agent.guard import Deliberation, step_facts
from artemis.agent.types import Plan, RoleCost
from artemis.config import Settings
from artemis.models.base import ChatModel
from artemis.observation import Observation
from artemis.safety.confirm import Confirmer, ConfirmRequest, SettingConfirmer
from artemis.safety.gate import judge
from artemis.safety.policy import Policy, load_policy
from artemis.safety.signals import find_instructions
from artemis.safety.verdict import GateVerdict

T = TypeVar("T")

#: Instructions seen on the screens of an episode that the gate keeps in mind.
SEEN_INSTRUCTIONS_KEPT = 12


class Timer(Protocol):
    """Awaits a stage's call and records how long it took (`Agent._timed`, for one step)."""

    async def __call__(self, stage: str, call: Awaitable[T], /) -> T: ...


@dataclass(frozen=True, slots=True)
class Judged:
    verdict: GateVerdict
    #: What the guard's calls cost, when the rules asked it.
    guard_cost: RoleCost | None
    #: What a person (or `safety.on_confirm`) is asked, for a `confirm` verdict.
    request: ConfirmRequest | None


class EpisodeGate:
    def __init__(
        self,
        settings: Settings,
        guard: ChatModel | None,
        *,
        policy: Policy | None = None,
        confirm: Confirmer | None = None,
    ) -> None:
        s = settings.safety
        self.settings = settings
        #: The guard role's model, when there is one and the gate deliberates.
        self.guard = guard if s.deliberate else None
        #: None: the gate is off.
        self.policy = (policy or load_policy(s)) if s.enabled else None
        self.confirm = confirm or SettingConfirmer(
            self.policy.on_confirm if self.policy is not None else "deny"
        )
        self.seen_instructions: list[str] = []

    async def judge(
        self,
        task: str,
        obs: Observation,
        plan: Plan,
        history: Sequence[Action],
        timed: Timer,
    ) -> Judged | None:
        """The verdict on `plan`'s action before it runs, not yet confirmed (`confirmed`), or
        None when the gate is off or the action does not reach the device. `history`: the
        actions that ran so far. Every screen's instructions are noted, also when this action
        needs no verdict."""
        if self.policy is None:
            return None
        step = step_facts(
            task,
            obs,
            plan.thought,
            plan.action,
            history=history,
            seen_instructions=self.seen_instructions,
        )
        for found in find_instructions(step.screen_text):
            if found.text not in self.seen_instructions:
                self.seen_instructions.append(found.text)
        del self.seen_instructions[:-SEEN_INSTRUCTIONS_KEPT]
        if not step.gated:
            return None
        # A blank capture (FLAG_SECURE) is a black placeholder: the guard goes by the text.
        shot = None if obs.blank else obs.screenshot
        deliberation = (
            Deliberation(self.guard, self.policy, self.settings, shot)
            if self.guard is not None
            else None
        )
        verdict = await timed(
            "gate",
            judge(
                step,
                self.policy,
                deliberate=deliberation,
                timeout_s=self.settings.safety.guard_timeout_s,
            ),
        )
        request = None
        if verdict.verdict == "confirm":
            request = ConfirmRequest(task, step.action.describe(), obs.package, verdict)
        cost = deliberation.cost if deliberation is not None and deliberation.called else None
        return Judged(verdict, cost, request)

    async def confirmed(self, judged: Judged, timed: Timer) -> GateVerdict:
        """The verdict once whoever confirms has answered, when it asks for confirmation."""
        if judged.request is None:
            return judged.verdict
        return judged.verdict.confirmed(await timed("confirm", self.confirm(judged.request)))


def refusal(plan: Plan, verdict: GateVerdict) -> str:
    """What the Manager hears at the next step of an action the gate stopped."""
    what = describe_action(plan.action)
    clause = f" (policy clause {verdict.clause})" if verdict.clause else ""
    if verdict.outcome == "denied":
        why = f"the user did not confirm {what}{clause}: {verdict.reason}"
    else:
        why = f"the safety gate blocked {what}{clause}: {verdict.reason}"
    return why + ". Do not try it again: go on with the user's task another way, or finish."
