"""Shared helpers for agent tests: settings, replies, and a run with a fake clock."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from artemis.agent import EpisodeResult, RoleModels, run_episode
from artemis.agent.trajectory import read_trajectory
from artemis.config import AgentSettings, DeviceSettings, Settings
from artemis.models.base import ChatModel
from artemis.tips.base import TipStore
from tests.agent.fakes import FakeClock, FakeDevice


def make_settings(**agent: Any) -> Settings:
    device = agent.pop("device", {})
    top = {k: agent.pop(k) for k in ("log_screens", "log_typed_text") if k in agent}
    return Settings(
        agent=AgentSettings(**agent),
        device=DeviceSettings(**{"reconnect_attempts": 2, **device}),
        **top,
    )


def plan(thought: str, action: dict[str, Any]) -> str:
    return json.dumps({"thought": thought, "action": action})


def tap(index: int) -> dict[str, Any]:
    return {"type": "tap", "target": {"index": index}}


def finish(status: str = "success") -> str:
    return plan("The task is done.", {"type": "finish", "status": status})


async def run(
    task: str,
    device: FakeDevice,
    model: ChatModel | RoleModels,
    settings: Settings,
    out: Path,
    *,
    tips: TipStore | None = None,
) -> EpisodeResult:
    roles = model if isinstance(model, RoleModels) else RoleModels.same(model)
    clock = FakeClock()
    return await run_episode(
        task, device, roles, tips, settings, out, clock=clock, sleep=clock.sleep
    )


def steps_of(result: EpisodeResult) -> list[dict[str, Any]]:
    return read_trajectory(result.path)[1]


def episode_of(result: EpisodeResult) -> dict[str, Any]:
    return read_trajectory(result.path)[0]
