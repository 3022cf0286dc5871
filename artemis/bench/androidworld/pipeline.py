"""The artemis pipeline as AndroidWorld step drivers: one `Agent` (tips, manager, TAC, ACA,
SRA, working memory) per android_world episode, one agent step per `step(goal)` call.

Each episode is recorded like any artemis episode (`episode.json`, `steps.jsonl`, screens) in
`<checkpoint folder>/trajectories/`, and its lessons are offered to the tip store at the end,
as `artemis run` does.

The agent ends an episode with `finish` or `answer` without touching the device; here the
driver then sends it to the env (`answer` stores the text, which question tasks are graded
on). `done` goes back to android_world only when the agent ended the episode itself. When the
loop stops it (too many failed steps, an unrecoverable error) the driver does nothing more:
android_world runs out its step budget and scores 0, as for any agent that never says done.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

from artemis.actions import Action, Answer, Finish, parse_action
from artemis.agent import Agent, Finished, Stopped, propose_lessons
from artemis.agent.episode import episode_config
from artemis.agent.trajectory import TrajectoryWriter, now_iso
from artemis.bench.androidworld.agent import EpisodeUsage, StepDriver, StepReport
from artemis.config import Settings
from artemis.device.base import Device
from artemis.errors import ArtemisError
from artemis.models.roles import RoleModels, build_role_models
from artemis.safety.modes import with_gate
from artemis.tips.base import TipStore
from artemis.tips.factory import open_tip_store


class ArtemisDriver:
    """Advances one artemis `Agent` a step at a time and reports each step's usage."""

    def __init__(self, agent: Agent, writer: TrajectoryWriter, tips: TipStore | None) -> None:
        self.agent = agent
        self.writer = writer
        self.tips = tips
        self.outcome: dict[str, Any] | None = None  # set once the episode has ended
        self.errors: list[str] = []

    async def step(self) -> StepReport:
        if self.outcome is not None:
            return StepReport(done=False, usage=EpisodeUsage(steps=0), data={"idle": True})
        seen = len(self.agent.usage.calls)
        try:
            result = await self.agent.step()
        except ArtemisError as exc:
            self.outcome = {"status": "error", "reason": str(exc)}
            self.errors.append(f"{type(exc).__name__}: {exc}")
            raise
        calls = self.agent.usage.calls[seen:]
        usage = EpisodeUsage(
            steps=1,
            input_tokens=sum(c.input_tokens for c in calls),
            output_tokens=sum(c.output_tokens for c in calls),
            calls=len(calls),
            cost_usd=sum(c.cost_usd for c in calls),
        )
        log, nxt = result.log, result.next
        action = _action(log.executed)
        done = False
        if isinstance(nxt, Finished):
            self.outcome = {"status": nxt.outcome, "reason": nxt.reason, "answer": nxt.answer}
            terminal: Action
            if nxt.outcome == "answered":
                terminal = Answer(text=nxt.answer or "")
            else:
                terminal = Finish(status=nxt.outcome, reason=nxt.reason)
            await self.agent.device.execute(terminal)
            action, done = terminal, True
        elif isinstance(nxt, Stopped):
            self.outcome = {"status": nxt.outcome, "reason": nxt.reason}
        data = {
            "episode": self.writer.id,
            "thought": log.thought,
            "status": log.status,
            "tac": log.tac,
            "correction": log.correction,
            "reflection": log.reflection,
            "errors": list(log.errors),
            "timings": dict(log.timings),
            "stopped": nxt.reason if isinstance(nxt, Stopped) else None,
        }
        return StepReport(done=done, action=action, usage=usage, data=data)

    async def aclose(self) -> None:
        agent, writer = self.agent, self.writer
        await agent.aclose()
        if agent.last_observation is not None:
            await writer.screen("final", agent.last_observation.screenshot)
        lessons = await propose_lessons(self.tips, agent.lessons, writer.id, self.errors)
        outcome = self.outcome or {
            "status": "step_budget",
            "reason": "android_world's step budget ran out",
        }
        await writer.update(
            status="done",
            ended=now_iso(),
            outcome=outcome,
            usage=agent.usage.to_dict(),
            timings={"by_stage": {k: round(v, 4) for k, v in agent.stage_totals.items()}},
            lessons=lessons,
            errors=self.errors,
            speculation=dict(agent.speculation),
        )


def _action(record: dict[str, Any] | None) -> Action | None:
    if not record:
        return None
    try:
        return parse_action(record)
    except ValueError:
        return None


class ArtemisDrivers:
    """Starts a driver per episode; the models and the tip store are shared by all.

    The tip store opens on first use from settings (`open_tip_store`) unless one is given;
    `aclose` closes the models and the store it opened (a store given is its owner's to
    close). `clock` and `sleep` go to the agent (tests pass a fake clock).
    """

    def __init__(
        self,
        settings: Settings,
        roles: RoleModels,
        out_dir: Path,
        *,
        tips: TipStore | None = None,
        clock: Callable[[], float] = time.monotonic,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        self.settings = settings
        self.roles = roles
        self.out_dir = out_dir
        self.clock = clock
        self.sleep = sleep
        self._tips = tips
        self._tips_open = tips is not None
        self._owned_tips: TipStore | None = None

    async def tips(self) -> TipStore | None:
        if not self._tips_open:
            self._tips = self._owned_tips = await open_tip_store(self.settings)
            self._tips_open = True
        return self._tips

    async def __call__(self, *, goal: str, device: Device, max_steps: int | None) -> StepDriver:
        tips = await self.tips()
        config = episode_config(self.settings, self.roles) | {
            "benchmark": "androidworld",
            "step_budget": max_steps,
        }
        writer = await TrajectoryWriter.create(
            self.out_dir,
            task=goal,
            config=config,
            log_screens=self.settings.log_screens,
            log_typed_text=self.settings.log_typed_text,
        )
        agent = Agent(
            goal,
            device,
            self.roles,
            settings=self.settings,
            tips=tips,
            recorder=writer,
            clock=self.clock,
            sleep=self.sleep,
        )
        return ArtemisDriver(agent, writer, tips)

    async def aclose(self) -> None:
        owned, self._owned_tips = self._owned_tips, None
        try:
            await self.roles.aclose()
        finally:
            if owned is not None:
                await owned.aclose()


def build_drivers(settings: Settings, out_dir: Path) -> ArtemisDrivers:
    """The full pipeline's driver factory, with the gate of a benchmark run
    (`artemis.safety.modes`: AndroidWorld's own tasks are never stopped). `ModelConfigError`
    (saying how to configure a model) when no model is set."""
    settings = with_gate(settings, "benchmark")
    return ArtemisDrivers(settings, build_role_models(settings), Path(out_dir))
