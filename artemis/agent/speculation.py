"""The speculative plan: the next step's Manager call, started as soon as the screen after an
action has settled, beside the reflection (SRA) on that action.

D-Artemis runs plan → check → execute → reflect in sequence, so the next plan waits for the
reflection. Most reflections confirm the step and say nothing the next plan needs, so the
loop starts the next plan (tips and the Manager) at once, from the settled screen and the
memory as it stands, and decides when the reflection arrives:

- the reflection confirms the step, with no guidance or guidance the plan already follows:
  the plan is **kept** and the next step uses it;
- the reflection reports failure, or guidance the plan does not follow: the plan is
  **replanned**: the speculative call is dropped and the Manager is asked again, with the
  reflection in memory, exactly as without speculation;
- anything else that makes the screen or the memory differ from what the plan saw (the next
  step observes afresh after a device drop, the episode ends): the plan is **dropped**.

The plan's alignment (TAC, and ACA when TAC objects) runs in the same task right after the
plan: it reads no memory, so its verdict is the one it would give after the reflection. Only
the safety gate and the execution wait for the reflection's verdict.

So speculation never changes what the loop does when the reflection disagrees; it only moves
the Manager's and TAC's latency off the critical path when it agrees. `agent.speculate =
false` turns it off (D-Artemis's strict order).

`Pipeline` holds an episode's plan in flight and counts how each ended; the loop says what the
plan is made of (`Agent._think`) and how a kept one is used.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Coroutine
from dataclasses import dataclass, field
from typing import Any, Literal

from artemis.actions import OpenApp, TypeText
from artemis.agent.alignment import Alignment
from artemis.agent.calling import Asked
from artemis.agent.types import Plan, Reflection
from artemis.agent.ui import action_target, name_of, norm, quoted_names, similarity, target_element
from artemis.observation import Observation
from artemis.tips.base import ScoredTip

Outcome = Literal["kept", "replanned", "dropped"]

#: At or above: the guidance names what the plan does.
FOLLOWS = 85.0


@dataclass
class Thought:
    """What the speculative task produced: the tips it retrieved, the Manager's answer, and
    how long each took (recorded in the step that uses them)."""

    tips: list[ScoredTip]
    asked: Asked[Plan]
    tips_error: str | None = None
    timings: dict[str, float] = field(default_factory=dict)
    #: TAC's verdict (and ACA's correction) on the plan, made beside the reflection too.
    aligned: Alignment | None = None


@dataclass
class Speculation:
    """The next step's plan in flight, for the screen `observation`."""

    observation: Observation
    task: asyncio.Task[Thought]
    started: float = field(default_factory=time.perf_counter)
    outcome: Outcome | None = None
    reason: str = ""

    def decide(self, reflection: Reflection | None) -> None:
        """Keep the plan or not, from the reflection on the step that led to its screen."""
        if reflection is None:
            self.outcome, self.reason = "kept", "no reflection came back"
            return
        if not reflection.success:
            self.outcome, self.reason = "replanned", "the reflection reports a failure"
            return
        if not reflection.guidance:
            self.outcome, self.reason = "kept", "the reflection confirms the step"
            return
        if not self.task.done() or self.task.cancelled() or self.task.exception() is not None:
            # The plan is not known yet: guidance may change it, so the Manager hears it.
            self.outcome, self.reason = "replanned", "the reflection gives guidance"
            return
        plan = self.task.result().asked.value
        if plan is not None and follows(reflection.guidance, plan, self.observation):
            self.outcome, self.reason = "kept", "the plan follows the reflection's guidance"
        else:
            self.outcome, self.reason = "replanned", "the reflection gives other guidance"

    def record(self, outcome: Outcome | None = None) -> dict[str, Any]:
        return {"outcome": outcome or self.outcome or "dropped", "reason": self.reason}

    async def cancel(self) -> None:
        if not self.task.done():
            self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError, Exception):
            await self.task


class Pipeline:
    """An episode's speculative plans: the one in flight, if any, and how each ended."""

    def __init__(self) -> None:
        self.current: Speculation | None = None
        self.counts: dict[Outcome, int] = {"kept": 0, "replanned": 0, "dropped": 0}

    def start(self, observation: Observation, work: Coroutine[Any, Any, Thought]) -> None:
        """Make the plan for `observation` now, in a task of its own."""
        self.current = Speculation(observation, asyncio.create_task(work))

    async def decide(self, reflection: Reflection | None) -> None:
        """The reflection is in: keep the plan in flight, or cancel it (`Speculation.decide`)."""
        spec = self.current
        if spec is None:
            return
        spec.decide(reflection)
        if spec.outcome == "replanned":
            await spec.cancel()

    async def take(self, obs: Observation) -> Speculation | None:
        """The plan made for `obs`, once decided (kept or not), counted as it ended; one made
        for another screen, or still undecided, is dropped."""
        spec, self.current = self.current, None
        if spec is None:
            return None
        if spec.observation is not obs or spec.outcome is None:
            await self._dropped(spec)
            return None
        self.counts[spec.outcome] += 1
        return spec

    async def drop(self) -> None:
        """Cancel the plan in flight: its screen or memory will not be the next step's."""
        spec, self.current = self.current, None
        if spec is not None:
            await self._dropped(spec)

    async def _dropped(self, spec: Speculation) -> None:
        self.counts["dropped"] += 1
        await spec.cancel()


def follows(guidance: str, plan: Plan, obs: Observation) -> bool:
    """Whether `guidance` names what `plan` does: its target element, the app it opens, or
    the text it types."""
    action = plan.action
    names: list[str] = []
    element = target_element(action_target(action), obs)
    if element is not None and obs.ui is not None:
        names.append(name_of(element, obs.ui))
    if isinstance(action, OpenApp):
        names.append(action.app)
    if isinstance(action, TypeText):
        names.append(action.text)
    quoted = quoted_names(guidance)
    for name in filter(None, names):
        if quoted and any(similarity(name, q) >= FOLLOWS for q in quoted):
            return True
        if not quoted and norm(name) and similarity(name, guidance) >= FOLLOWS:
            return True
    return False
