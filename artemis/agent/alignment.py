"""Pre-execution alignment as one computation: TAC's verdict on a plan, then ACA's correction
when TAC objects (or, without TAC, as a review).

It reads only the plan, the screen, the tips and the installed packages (never the working
memory), so the loop can run it for a speculative plan beside the reflection and, when the
plan is kept, use its result as if it had run after the reflection: the prompts are the same.
What it decided is recorded into the step (`Agent._apply_alignment`) only when it is used.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TypeVar

from artemis.actions import MEMORY_ONLY_TYPES, Action
from artemis.agent import correction, tac
from artemis.agent.calling import Asked
from artemis.agent.types import Correction, Plan, RoleCost, RoleName, Verdict
from artemis.config import Settings
from artemis.models.roles import RoleModels
from artemis.observation import Observation

REVIEW_REASON = (
    'no checker ran; review the action and keep it (error_type "none") when it already '
    "carries out the thought"
)

T = TypeVar("T")
Packages = Callable[[Action], Awaitable[list[str] | None]]


@dataclass
class Alignment:
    """TAC's verdict (None when TAC is off or did not run) and ACA's answer (None when ACA
    did not run), with the seconds each took (`check`, `correct`)."""

    plan: Plan
    verdict: Verdict | None = None
    fixed: Asked[Correction] | None = None
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def rejected(self) -> bool:
        """TAC objected and no correction was asked for (ACA off): the action must not run."""
        return self.verdict is not None and not self.verdict.consistent and self.fixed is None

    def costs(self) -> list[tuple[RoleName, RoleCost]]:
        """The model calls it made, by role (a pre-check verdict made none)."""
        spent: list[tuple[RoleName, RoleCost]] = []
        if self.verdict is not None and self.verdict.decided_by != "precheck":
            spent.append(("tac", self.verdict.cost))
        if self.fixed is not None:
            spent.append(("aca", self.fixed.cost))
        return spent


def needed(plan: Plan, settings: Settings) -> bool:
    """Whether alignment has anything to do for this plan."""
    s = settings.agent
    return plan.action.type not in MEMORY_ONLY_TYPES and (s.use_tac or s.use_aca)


async def align(
    roles: RoleModels,
    settings: Settings,
    task: str,
    obs: Observation,
    plan: Plan,
    tips: list[str],
    packages: Packages,
) -> Alignment:
    """TAC, then ACA when TAC objects and ACA is on (or ACA alone as a review)."""
    s = settings.agent
    done = Alignment(plan)
    if s.use_tac:
        check = tac.CheckInput(
            task=task,
            thought=plan.thought,
            action=plan.action,
            observation=obs,
            tips=tips,
            packages=await packages(plan.action),
        )
        done.verdict = await _timed(done, "check", tac.check(roles.tac, check, settings))
        if done.verdict.consistent or not s.use_aca:
            return done
    verdict = done.verdict
    fix = correction.CorrectInput(
        task=task,
        thought=plan.thought,
        action=plan.action,
        reason=verdict.reason if verdict is not None else REVIEW_REASON,
        observation=obs,
        annotated=verdict.annotated if verdict is not None else None,
        tips=tips,
    )
    done.fixed = await _timed(done, "correct", correction.correct(roles.aca, fix, settings))
    return done


async def _timed(done: Alignment, stage: str, call: Awaitable[T]) -> T:
    started = time.perf_counter()
    try:
        return await call
    finally:
        done.timings[stage] = time.perf_counter() - started
