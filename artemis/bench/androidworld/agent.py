"""The android_world agent: one artemis step per `step(goal)` call.

android_world drives agents synchronously: `reset(go_home)` at the start of an episode, then
`step(goal)` until the result says `done` or the step budget (theirs) runs out. The adapter
keeps one artemis episode (a `StepDriver`: tips, manager, TAC, ACA, SRA, memory) per android
world episode, running on our `AndroidWorldDevice`, and an event loop of its own.

The class subclasses android_world's `EnvironmentInteractingAgent`, which cannot be imported
without android_world; `make_agent` builds the subclass when it is called.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from artemis.actions import Action, describe
from artemis.bench.androidworld.device import AndroidWorldDevice, EmulatorLostError
from artemis.device.base import Device


@dataclass(slots=True)
class EpisodeUsage:
    """What one episode cost: steps taken, tokens, model calls and dollars."""

    steps: int = 0
    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    cost_usd: float = 0.0

    @property
    def tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def add(self, other: EpisodeUsage) -> None:
        self.steps += other.steps
        self.input_tokens += other.input_tokens
        self.output_tokens += other.output_tokens
        self.calls += other.calls
        self.cost_usd += other.cost_usd

    def as_dict(self) -> dict[str, Any]:
        return {
            "steps": self.steps,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "calls": self.calls,
            "cost_usd": self.cost_usd,
        }


@dataclass(slots=True)
class StepReport:
    """The outcome of one artemis step.

    `data` is a JSON-friendly record of the step (thought, verdicts, timings...); it is stored
    in android_world's episode data, so it must pickle and should stay small (no images).
    `done` is true only when the agent ended the episode itself; a driver whose loop stopped
    for it puts the reason in `data["stopped"]`.
    """

    done: bool
    action: Action | None = None
    usage: EpisodeUsage = field(default_factory=lambda: EpisodeUsage(steps=1))
    data: dict[str, Any] = field(default_factory=dict)


class StepDriver(Protocol):
    """One artemis episode, advanced one step at a time on a Device."""

    async def step(self) -> StepReport: ...

    async def aclose(self) -> None: ...


class DriverFactory(Protocol):
    """Starts an episode: a fresh driver (fresh working memory) for `goal` on `device`."""

    def __call__(
        self, *, goal: str, device: Device, max_steps: int | None
    ) -> Coroutine[Any, Any, StepDriver]: ...


@functools.cache
def _agent_class(base: type) -> type:
    """The adapter class, subclassing android_world's `EnvironmentInteractingAgent`."""

    class ArtemisAgent(base):
        """artemis as an android_world agent."""

        def __init__(
            self,
            env: Any,
            *,
            device: AndroidWorldDevice,
            drivers: DriverFactory,
            result_type: type,
            name: str = "artemis",
        ) -> None:
            # No fixed pause: the artemis loop polls for a settled screen after each action.
            super().__init__(env, name=name, transition_pause=None)
            self.device = device
            self._drivers = drivers
            self._result_type = result_type
            self._runner = asyncio.Runner()
            self._driver: StepDriver | None = None
            self._goal: str | None = None
            self.usage = EpisodeUsage()  # since the last `take_usage()`

        @property
        def lost(self) -> bool:
            return self.device.lost

        def reset(self, go_home: bool = False) -> None:
            """A new episode: the env resets, and working memory starts empty."""
            self._end_episode()
            super().reset(go_home)

        def step(self, goal: str) -> Any:
            if self._driver is None or goal != self._goal:
                self._end_episode()
                self._driver = self._runner.run(
                    self._drivers(goal=goal, device=self.device, max_steps=self._max_steps)
                )
                self._goal = goal
            try:
                report = self._runner.run(self._driver.step())
            except EmulatorLostError:
                self._end_episode()
                raise
            self.usage.add(report.usage)
            if report.data.get("stopped") and not self.device.check_alive():
                # The loop gave up because the device stopped answering: the emulator is gone.
                self._end_episode()
                raise EmulatorLostError(f"{self.device.name} stopped answering")
            data = dict(report.data)
            data["artemis_action"] = describe(report.action) if report.action else None
            data["env_commands"] = self.device.take_sent()
            data["tokens"] = report.usage.tokens
            data["cost_usd"] = report.usage.cost_usd
            return self._result_type(done=report.done, data=data)

        def take_usage(self) -> EpisodeUsage:
            """The usage since the last call (one finished episode, for the runner)."""
            usage, self.usage = self.usage, EpisodeUsage()
            return usage

        def _end_episode(self) -> None:
            driver, self._driver, self._goal = self._driver, None, None
            if driver is not None:
                with contextlib.suppress(EmulatorLostError):
                    self._runner.run(driver.aclose())

        def close(self) -> None:
            self._end_episode()
            close_drivers = getattr(self._drivers, "aclose", None)
            if close_drivers is not None:
                self._runner.run(close_drivers())
            self._runner.run(self.device.close())
            self._runner.close()

    return ArtemisAgent


def make_agent(
    env: Any,
    drivers: DriverFactory,
    *,
    android_world: Any,
    alive: Callable[[], bool] = lambda: True,
    call_timeout_s: float = 120.0,
    name: str = "artemis",
) -> Any:
    """An android_world `EnvironmentInteractingAgent` that runs artemis on `env`.

    `android_world` is the bundle from `deps.load_android_world()` (or a stand-in with the
    same attributes); `alive` tells whether the emulator still answers.
    """
    cls = _agent_class(android_world.base_agent.EnvironmentInteractingAgent)
    device = AndroidWorldDevice(
        env,
        json_action=android_world.json_action,
        adb_utils=android_world.adb_utils,
        adb_pb2=android_world.adb_pb2,
        alive=alive,
        call_timeout_s=call_timeout_s,
        name=name,
    )
    return cls(
        env,
        device=device,
        drivers=drivers,
        result_type=android_world.base_agent.AgentInteractionResult,
        name=name,
    )
