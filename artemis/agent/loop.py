"""The deliberative loop, one step at a time: observe → tips → plan → check (TAC) → correct
(ACA) → gate (safety) → execute → settle → reflect (SRA).

Each stage is its own awaitable with explicit inputs and outputs (see `manager`, `tac`,
`correction`, `reflection`, `stages`); `Agent.step` only wires them, times them, and records
the step. Switches in `settings.agent` turn stages off and reproduce D-Artemis's ablation:

- `use_tips`: no tip retrieval;
- `use_tac`: no consistency check. With ACA still on, ACA reviews every device action (it may
  answer `error_type: "none"` and keep the action);
- `use_aca`: no correction. An action TAC finds inconsistent is then not executed; its reason
  goes back to the Manager at the next step (TAC as a filter);
- `use_sra`: no reflection.

The safety gate (`safety.enabled`) judges every action that touches the device before it
runs: its rule stage, then the guard role when the rules are unsure or see risk
(`artemis.safety.gate`). A `confirm` verdict goes to `confirm` (a person on the terminal, or
`safety.on_confirm`). An action that is blocked or not confirmed does not run: the step is
recorded as `blocked`, and the reason goes to the Manager at the next step.

Device drops (`DeviceConnectionError`, `DeviceTimeoutError`) before the action ran make the
step start again from a fresh observation, `device.reconnect_attempts` times at most (the
device reconnects itself); after the action ran they only cost the reflection.

With `agent.speculate` (and SRA on), the next step's plan starts as soon as the screen after
an action has settled, beside the reflection; the reflection decides whether it is kept or the
Manager is asked again (`artemis.agent.speculation`). Each step records which happened.

A step has a deadline, `agent.step_timeout_s` (or less, when the episode's own deadline is
nearer): a model server that hangs costs one failed step, not every retry of every role.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Literal, TypeVar

from artemis.actions import Action, Answer, Finish, OpenApp, parse_action
from artemis.actions import describe as describe_action
from artemis.agent import alignment, manager, reflection
from artemis.agent.alignment import Alignment
from artemis.agent.calling import Asked
from artemis.agent.events import AgentEvent, EventKind, OnEvent
from artemis.agent.gating import EpisodeGate, refusal
from artemis.agent.memory import WorkingMemory
from artemis.agent.screen_tips import ScreenTips
from artemis.agent.screens import Screens
from artemis.agent.settle import Settled, within
from artemis.agent.speculation import Outcome, Pipeline, Speculation, Thought
from artemis.agent.stages import (
    ExecInput,
    ExecResult,
    TipsResult,
    execute,
)
from artemis.agent.steps import Continue, Finished, NextStep, StepLog, StepResult, Stopped
from artemis.agent.trajectory import TrajectoryWriter, now_iso
from artemis.agent.types import Plan, Reflection, RoleCost, RoleName
from artemis.config import Settings
from artemis.device.base import Device
from artemis.errors import DeviceConnectionError, DeviceError, DeviceTimeoutError
from artemis.models.dialects import PastStep
from artemis.models.images import prepare_soon
from artemis.models.roles import RoleModels
from artemis.models.usage import UsageTracker
from artemis.observation import Observation
from artemis.safety.confirm import Confirmer
from artemis.safety.policy import Policy
from artemis.safety.verdict import GateVerdict
from artemis.tips.base import ScoredTip, TipStore

T = TypeVar("T")

log = logging.getLogger(__name__)

TRANSIENT_DEVICE_ERRORS = (DeviceConnectionError, DeviceTimeoutError)


@dataclass(frozen=True)
class Lesson:
    step: int
    app: str | None
    text: str


class Agent:
    """One episode's agent: memory, usage, and `step()`. Benchmarks that drive the episode
    themselves (AndroidWorld calls `step(goal)` once per turn) use it directly; observation and
    execution stay behind the `Device` protocol, so an adapter wraps its environment as one."""

    def __init__(
        self,
        task: str,
        device: Device,
        roles: RoleModels,
        *,
        settings: Settings,
        tips: TipStore | None = None,
        recorder: TrajectoryWriter | None = None,
        on_event: OnEvent | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
        confirm: Confirmer | None = None,
        policy: Policy | None = None,
    ) -> None:
        self.task = task
        self.device = device
        self.roles = roles
        self.settings = settings
        self.recorder = recorder
        self.on_event = on_event
        self.clock = clock
        self.sleep = sleep
        self.memory = WorkingMemory(k=settings.agent.memory_k)
        self.usage = UsageTracker.from_settings(settings)
        self.stage_totals: dict[str, float] = {}
        self.lessons: list[Lesson] = []
        self.steps_done = 0
        self.consecutive_failures = 0
        self.last_observation: Observation | None = None
        #: The device's screen: observed, settled, kept for the next step.
        self.screens = Screens(
            device, settings.device, on_screen=self._warm, clock=clock, sleep=sleep
        )
        #: The safety gate's policy, confirmer, and what it has seen of the episode.
        self.gate = EpisodeGate(settings, roles.guard, policy=policy, confirm=confirm)
        #: A screen's tips, asked for when it arrived (`_warm`).
        self.screen_tips = ScreenTips(tips, task, settings)
        #: The next step's plan in flight, started beside the reflection.
        self.pipeline = Pipeline()

    @property
    def speculation(self) -> dict[Outcome, int]:
        """How the speculative plans ended: kept, replanned, dropped."""
        return self.pipeline.counts

    @property
    def tips(self) -> TipStore | None:
        """The episode's tip store (None: no tips)."""
        return self.screen_tips.store

    # --- plumbing ----------------------------------------------------------------------------

    def emit(self, kind: EventKind, step: int | None = None, **data: object) -> None:
        if self.on_event is not None:
            self.on_event(AgentEvent(kind, step, data))

    async def _timed(self, log: StepLog, stage: str, call: Awaitable[T]) -> T:
        started = time.perf_counter()
        try:
            return await call
        finally:
            self._stage_time(log, stage, time.perf_counter() - started)

    def _stage_time(self, log: StepLog, stage: str, took: float) -> None:
        log.time(stage, took)
        self.stage_totals[stage] = self.stage_totals.get(stage, 0.0) + took
        self.emit("stage", log.step, stage=stage, seconds=took)

    def _cost(self, log: StepLog, role: RoleName, cost: RoleCost) -> None:
        log.add_cost(role, cost)
        for usage, latency_s in cost.calls:
            self.usage.add(role, cost.model, usage, latency_s)

    # --- stages --------------------------------------------------------------------------------

    async def observe(self) -> Observation:
        return await self.screens.observe()

    async def aclose(self) -> None:
        """Cancel what is still in flight (a speculative plan, tips nobody will use)."""
        self.screen_tips.forget()
        await self.pipeline.drop()

    async def settle(self, before: Observation | None = None) -> Settled:
        return await self.screens.settle(before)

    def _warm(self, obs: Observation) -> None:
        """Start what the next plan needs of a new screen as soon as it arrives: its image
        for the Manager, and its tips (while settling still polls, when it came early)."""
        prepare_soon(obs.screenshot, self.roles.manager.image_rule)
        self.screen_tips.soon(obs)

    # --- one step ----------------------------------------------------------------------------

    async def step(self, *, deadline_s: float | None = None) -> StepResult:
        """Run one step and record it; device drops restart it from a fresh observation.

        The step fails when it runs longer than `agent.step_timeout_s`, or `deadline_s`
        when that is sooner (the time left to the episode)."""
        started = time.perf_counter()
        log = StepLog(self.steps_done, now_iso())
        self.emit("step", log.step)
        limit = self.settings.agent.step_timeout_s
        what = "agent.step_timeout_s"
        if deadline_s is not None and deadline_s < limit:
            limit, what = max(deadline_s, 0.0), "the time left to the episode"
        try:
            async with asyncio.timeout(limit) as budget:
                result = await self._attempts(log)
        except TimeoutError:
            if not budget.expired():
                raise
            self.screens.fresh = None  # whatever ran may have changed the screen
            await self.pipeline.drop()
            result = self._failed(log, f"the step took longer than {limit:g} s ({what})")
        await self._record(result)
        self.steps_done += 1
        _log_step(log, time.perf_counter() - started, typed_text=self.settings.log_typed_text)
        self.emit(
            "step_end",
            log.step,
            status=log.status,
            next=type(result.next).__name__,
            tokens={role: cost.usage.total_tokens for role, cost in log.costs.items()},
            errors=list(log.errors),
        )
        return result

    async def _attempts(self, log: StepLog) -> StepResult:
        """The step's attempts: a device drop before the action ran starts it over."""
        attempts = self.settings.device.reconnect_attempts
        result: StepResult | None = None
        for attempt in range(attempts + 1):
            try:
                result = await self._attempt(log)
                break
            except TRANSIENT_DEVICE_ERRORS as exc:
                self.screens.fresh = None
                await self.pipeline.drop()
                log.errors.append(f"device: {exc}")
                if attempt < attempts:
                    log.device_retries += 1
                    self.emit("reconnect", log.step, error=str(exc), attempt=attempt + 1)
                    continue
                log.status = "failed"
                result = StepResult(log, Stopped("error", f"the device is unreachable: {exc}"))
        assert result is not None
        return result

    async def _attempt(self, log: StepLog) -> StepResult:
        obs = await self._timed(log, "observe", self.observe())
        self.last_observation = obs
        log.app, log.ui, log.screen_blank = obs.package, obs.ui, obs.blank
        if obs.blank:
            self.emit("blank_screen", log.step)
        if self.recorder is not None:
            log.screen = await self.recorder.screen(f"{log.step:03d}", obs.screenshot)

        spec = await self.pipeline.take(obs)
        early: Alignment | None = None
        if spec is not None:
            tips, asked, early = await self._use_speculation(log, spec)
        else:
            tips = []
            if self.settings.agent.use_tips:
                tips = await self._timed(log, "tips", self._tips(obs, log))
            log.tips = [t.tip.text for t in tips]
            asked = await self._plan(log, obs, tips)
        if asked.value is None:
            self.screens.fresh = obs  # nothing touched the device: the screen is still current
            return self._failed(log, f"manager: {asked.failure}")
        aligned = await self._align(log, obs, asked.value, log.tips, early)
        if aligned is None:
            self.screens.fresh = obs
            return StepResult(log, Continue(), obs)
        gate = await self._gate(log, obs, aligned)
        if gate is not None and not gate.runs:
            self.screens.fresh = obs  # nothing touched the device
            return self._refused(log, aligned, gate)
        return await self._act(log, obs, aligned.thought, aligned.action, log.tips)

    def _plan_input(
        self, obs: Observation, tips: list[ScoredTip], memory: WorkingMemory
    ) -> manager.PlanInput:
        return manager.PlanInput(
            task=self.task,
            observation=obs,
            tips=tips,
            memory_text=memory.render(),
            memory=memory.snapshot(),
            history=[PastStep(e.thought, e.action, e.error) for e in memory.pairs],
            reflection=memory.reflection.text() if memory.reflection else None,
            notes=list(memory.notes),
            last_error=memory.last_error,
        )

    async def _plan(self, log: StepLog, obs: Observation, tips: list[ScoredTip]) -> Asked[Plan]:
        """The Manager stage."""
        asked = await self._timed(
            log,
            "plan",
            manager.plan(
                self.roles.manager, self._plan_input(obs, tips, self.memory), self.settings
            ),
        )
        self._planned(log, asked)
        return asked

    def _planned(self, log: StepLog, asked: Asked[Plan]) -> None:
        self._cost(log, "manager", asked.cost)
        if asked.value is not None:
            plan = asked.value
            log.thought, log.action = plan.thought, plan.action.model_dump(mode="json")
            log.native = plan.native_record()
            self.emit("plan", log.step, thought=plan.thought, action=plan.action)

    # --- speculation ---------------------------------------------------------------------------

    def _speculate(self, after: Observation) -> None:
        """Start the next step's tips and plan now, beside the reflection."""
        s = self.settings.agent
        if not (s.speculate and s.use_sra) or self.steps_done + 1 >= s.max_steps:
            return
        memory = self.memory.without_reflection()
        self.pipeline.start(after, self._think(after, memory))

    async def _think(self, obs: Observation, memory: WorkingMemory) -> Thought:
        """Tips and the Manager's plan for `obs`, off the critical path."""
        timings: dict[str, float] = {}
        started = time.perf_counter()
        found = TipsResult()
        if self.settings.agent.use_tips:
            found = await self.screen_tips.for_screen(obs)
            timings["tips"] = time.perf_counter() - started
        asked = await manager.plan(
            self.roles.manager, self._plan_input(obs, found.tips, memory), self.settings
        )
        timings["plan_call"] = time.perf_counter() - started
        thought = Thought(found.tips, asked, found.error, timings)
        plan = asked.value
        if plan is not None and alignment.needed(plan, self.settings):
            # TAC (and ACA) read no memory: what they say now is what they would say after
            # the reflection, so a kept plan goes straight to the gate.
            tips = [t.tip.text for t in found.tips]
            thought.aligned = await alignment.align(
                self.roles, self.settings, self.task, obs, plan, tips, self._packages
            )
        return thought

    async def _use_speculation(
        self, log: StepLog, spec: Speculation
    ) -> tuple[list[ScoredTip], Asked[Plan], Alignment | None]:
        """The tips, plan and alignment of a kept speculation, or, when the reflection
        disagreed, a fresh plan with the reflection in memory (the speculative calls' costs
        are kept)."""
        log.speculation = spec.record()
        self.emit("speculation", log.step, **log.speculation)
        if spec.outcome == "kept":
            thought = await self._timed(log, "plan", spec.task)
            for stage, took in thought.timings.items():
                log.time(f"speculative_{stage}", took)
            if thought.tips_error:
                log.errors.append(thought.tips_error)
            log.tips = [t.tip.text for t in thought.tips]
            self._planned(log, thought.asked)
            return thought.tips, thought.asked, thought.aligned
        if spec.task.done() and not spec.task.cancelled() and spec.task.exception() is None:
            spent = spec.task.result()  # spent all the same
            self._cost(log, "manager", spent.asked.cost)
            for role, cost in spent.aligned.costs() if spent.aligned else []:
                self._cost(log, role, cost)
        await spec.cancel()
        obs = spec.observation
        tips: list[ScoredTip] = []
        if self.settings.agent.use_tips:
            tips = await self._timed(log, "tips", self._tips(obs, log))
        log.tips = [t.tip.text for t in tips]
        return tips, await self._plan(log, obs, tips), None

    async def _align(
        self,
        log: StepLog,
        obs: Observation,
        plan: Plan,
        tips: list[str],
        done: Alignment | None = None,
    ) -> Plan | None:
        """Pre-execution alignment: TAC, then ACA when TAC objects (or, without TAC, as a
        review); `done` is one already made beside the reflection. Returns the plan to
        execute, or None when TAC rejected it and ACA is off."""
        if not alignment.needed(plan, self.settings):
            return plan
        if done is None:
            done = await alignment.align(
                self.roles, self.settings, self.task, obs, plan, tips, self._packages
            )
            for stage, took in done.timings.items():
                self._stage_time(log, stage, took)
        else:
            for stage, took in done.timings.items():
                log.time(f"speculative_{stage}", took)
        for role, cost in done.costs():
            self._cost(log, role, cost)
        verdict = done.verdict
        if verdict is not None:
            log.tac = verdict.as_dict()
            self.emit("verdict", log.step, **verdict.as_dict())
            if verdict.annotated is not None and self.recorder is not None:
                await self.recorder.screen(f"{log.step:03d}-action", verdict.annotated)
            if done.rejected:
                log.status = "rejected"
                why = f"the check rejected {plan.action.type}: {verdict.reason}"
                self.memory.remember(log.step, plan.thought, plan.action, error=why)
                self.memory.last_error = why
                return None
        fixed = done.fixed
        if fixed is None:
            return plan
        if fixed.value is None:
            log.errors.append(f"aca: {fixed.failure}; the planned action goes ahead")
            return plan
        log.correction = fixed.value.as_dict()
        self.emit("correction", log.step, **log.correction)
        if fixed.value.error_type == "none":
            return plan
        return Plan(fixed.value.thought, fixed.value.action)

    async def _gate(self, log: StepLog, obs: Observation, plan: Plan) -> GateVerdict | None:
        """The safety gate (`EpisodeGate`): the verdict on the action about to run (confirmed
        or not), or None when the gate is off or the action does not reach the device."""

        async def timed(stage: str, call: Awaitable[T]) -> T:
            return await self._timed(log, stage, call)

        ran = [e.action for e in self.memory.pairs if e.error is None]
        judged = await self.gate.judge(self.task, obs, plan, ran, timed)
        if judged is None:
            return None
        if judged.guard_cost is not None:
            self._cost(log, "guard", judged.guard_cost)
        verdict = await self.gate.confirmed(judged, timed)
        log.safety = verdict.as_dict()
        self.emit("safety", log.step, **log.safety)
        return verdict

    def _refused(self, log: StepLog, plan: Plan, gate: GateVerdict) -> StepResult:
        """The gate stopped the action: the Manager hears why at the next step."""
        why = refusal(plan, gate)
        self.memory.remember(log.step, plan.thought, plan.action, error=why, refused=True)
        return self._failed(log, why, status="blocked")

    async def _act(
        self, log: StepLog, obs: Observation, thought: str, action: Action, tips: list[str]
    ) -> StepResult:
        done: ExecResult = await self._timed(
            log,
            "execute",
            execute(
                self.device,
                ExecInput(action, obs),
                timeout_s=self.settings.device.command_timeout_s,
                sleep=self.sleep,
                on_note=self.memory.note,
            ),
        )
        if done.executed is None:
            self.memory.remember(log.step, thought, action, error=done.error)
            return self._failed(log, done.error or "the action failed")
        log.executed = action.model_dump(mode="json")
        self.emit("execute", log.step, action=action)
        self.memory.remember(log.step, thought, action)
        self.memory.last_error = None
        self.consecutive_failures = 0

        if isinstance(action, Finish):
            log.status = "done"
            return StepResult(log, Finished(action.status, action.reason), obs)
        if isinstance(action, Answer):
            log.status = "done"
            return StepResult(log, Finished("answered", answer=action.text), obs)
        if not done.touched_device:
            self.screens.fresh = obs
            return StepResult(log, Continue(), obs)

        try:
            settled = await self._timed(log, "settle", self.settle(obs))
        except TRANSIENT_DEVICE_ERRORS as exc:
            # The action ran; only the reflection is lost. The next step observes afresh.
            log.errors.append(f"device after the action: {exc}")
            return StepResult(log, Continue(), None)
        log.settle = {
            "stable": settled.stable,
            "polls": settled.polls,
            "waited_s": round(settled.waited_s, 3),
            "observed_first": settled.observed_first,
        }
        after = settled.observation
        self.screens.fresh = after
        if self.settings.agent.use_sra:
            self._speculate(after)
            reflected = await self._reflect(
                log,
                reflection.ReflectInput(
                    task=self.task,
                    thought=thought,
                    action=action,
                    before=obs,
                    after=after,
                    tips=tips,
                ),
            )
            await self.pipeline.decide(reflected)
        return StepResult(log, Continue(), after)

    async def _reflect(self, log: StepLog, inp: reflection.ReflectInput) -> Reflection | None:
        """The SRA stage: its reflection replaces the previous one in memory."""
        result = await self._timed(
            log, "reflect", reflection.reflect(self.roles.sra, inp, self.settings)
        )
        self._cost(log, "sra", result.cost)
        log.ui_diff = result.diff
        if result.reflection is None:
            why = result.cost.errors[-1] if result.cost.errors else "no reply"
            log.errors.append(f"sra: {why}")
            return None
        r = result.reflection
        self.memory.reflect(r)
        log.reflection = r.as_dict()
        self.emit("reflection", log.step, **r.as_dict())
        if r.lesson:
            self.lessons.append(Lesson(log.step, inp.before.package, r.lesson))
        return r

    async def _packages(self, action: Action) -> list[str] | None:
        """The device's installed packages, for the pre-check of `open_app` (a device that
        cannot list them, or fails to, leaves it to the model)."""
        listing = getattr(self.device, "packages", None)
        if not isinstance(action, OpenApp) or listing is None:
            return None
        try:
            return list(
                await within(self.settings.device.command_timeout_s, listing(), "list apps")
            )
        except DeviceError:
            return None

    async def _tips(self, obs: Observation, log: StepLog) -> list[ScoredTip]:
        result = await self.screen_tips.for_screen(obs)
        if result.error:
            log.errors.append(result.error)
        return result.tips

    def _failed(
        self, log: StepLog, why: str, *, status: Literal["failed", "blocked"] = "failed"
    ) -> StepResult:
        log.status = status
        log.errors.append(why)
        self.memory.last_error = why
        self.consecutive_failures += 1
        self.emit("failure", log.step, error=why, status=status)
        s = self.settings.agent
        nxt: NextStep = Continue()
        if s.on_step_failure == "stop":
            nxt = Stopped("step_failures", f"step {log.step + 1} failed: {why}")
        elif self.consecutive_failures >= s.max_consecutive_failures:
            nxt = Stopped(
                "step_failures",
                f"{self.consecutive_failures} steps failed in a row; last: {why}",
            )
        return StepResult(log, nxt, None)

    async def _record(self, result: StepResult) -> None:
        if self.recorder is None:
            return
        await self.recorder.step(result.log.record())
        await self.recorder.update(
            usage=self.usage.to_dict(),
            timings={"by_stage": {k: round(v, 4) for k, v in self.stage_totals.items()}},
        )


def _log_step(step: StepLog, seconds: float, *, typed_text: bool) -> None:
    """One line per step at INFO (`artemis -v`): what ran and how it went; typed text only
    when `log_typed_text` allows it."""
    what = step.executed or step.action
    if not what:
        action = "no action"
    elif what.get("type") == "type" and not typed_text:
        action = "type [redacted]"
    else:
        action = describe_action(parse_action(what))
    errors = f"; {step.errors[-1]}" if step.errors else ""
    log.info("step %d: %s, %s in %.1f s%s", step.step, action, step.status, seconds, errors)
