"""An oracle step driver for the AndroidWorld tests: it reads the goal and the screen.

It stands where the artemis pipeline runs in production, to test the adapter, the device and
the runner around it. Importable by spawned workers as `tests.bench.androidworld.fakes`.
"""

from __future__ import annotations

import re
from pathlib import Path

from artemis.actions import (
    Action,
    Answer,
    ElementTarget,
    Finish,
    Scroll,
    Tap,
    TypeText,
)
from artemis.bench.androidworld.agent import DriverFactory, EpisodeUsage, StepDriver, StepReport
from artemis.config import Settings
from artemis.device.base import Device
from artemis.observation import Observation

IN_TOKENS, OUT_TOKENS, COST = 1000, 50, 0.002


def _find(obs: Observation, label: str) -> int:
    assert obs.ui is not None
    return next(e.index for e in obs.ui if e.label == label)


def plan(goal: str, obs: Observation, step: int) -> Action:
    """What an ideal agent does for the stand-in's tasks."""
    if goal.startswith("Tap the OK"):
        return (
            Tap(target=ElementTarget(index=_find(obs, "OK")))
            if step == 0
            else Finish(status="success")
        )
    if m := re.match(r"Type (\w+) into the Name field", goal):
        if step == 0:
            return TypeText(text=m[1], target=ElementTarget(index=_find(obs, "Name")))
        return Finish(status="success")
    if m := re.match(r"Answer: what is (\d+) plus (\d+)\?", goal):
        return Answer(text=str(int(m[1]) + int(m[2])))
    return Scroll(direction="down")  # wanders until the step budget runs out


class OracleDriver:
    def __init__(self, goal: str, device: Device, max_steps: int | None) -> None:
        self.goal, self.device, self.max_steps = goal, device, max_steps
        self.steps = 0
        self.closed = False

    async def step(self) -> StepReport:
        obs = await self.device.observe()
        action = plan(self.goal, obs, self.steps)
        await self.device.execute(action, ui=obs.ui)
        self.steps += 1
        usage = EpisodeUsage(
            steps=1, input_tokens=IN_TOKENS, output_tokens=OUT_TOKENS, calls=1, cost_usd=COST
        )
        done = action.type in ("finish", "answer")
        return StepReport(done=done, action=action, usage=usage, data={"package": obs.package})

    async def aclose(self) -> None:
        self.closed = True


DRIVERS: list[OracleDriver] = []


def build_drivers(settings: Settings | None, out_dir: Path | None = None) -> DriverFactory:
    del settings, out_dir

    async def start(*, goal: str, device: Device, max_steps: int | None) -> StepDriver:
        driver = OracleDriver(goal, device, max_steps)
        DRIVERS.append(driver)
        return driver

    return start


def builder_path() -> str:
    return f"{__name__}:build_drivers"
