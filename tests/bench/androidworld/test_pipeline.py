"""The full artemis pipeline as the android_world agent, with scripted models, on the
stand-in env: through android_world's (stand-in) suite runner, and step by step."""

from __future__ import annotations

import json
import re
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from artemis.agent import RoleModels
from artemis.agent.manager import PlanInput
from artemis.agent.trajectory import read_trajectory
from artemis.bench.androidworld.agent import make_agent
from artemis.bench.androidworld.deps import load_android_world
from artemis.bench.androidworld.pipeline import ArtemisDrivers, build_drivers
from artemis.config import AgentSettings, Settings
from artemis.errors import ModelConfigError
from artemis.models.testing import Call, Expect, FunctionModel, ScriptedModel
from artemis.tips.base import InMemoryTipStore, Tip
from tests.agent.fakes import FakeClock

OK = 2  # index of the OK button on the stand-in's screen


def plan(thought: str, action: dict[str, Any]) -> str:
    return json.dumps({"thought": thought, "action": action})


def _settings(**agent: Any) -> Settings:
    return Settings(agent=AgentSettings(**agent))


def _agent(world: ModuleType, roles: RoleModels, tmp_path: Path, **kw: Any) -> Any:
    aw = load_android_world()
    env = world.FakeEnv(5554, 8554)
    clock = FakeClock()
    drivers = ArtemisDrivers(
        kw.pop("settings", _settings()),
        roles,
        tmp_path / "trajectories",
        tips=kw.pop("tips", InMemoryTipStore()),
        clock=clock,
        sleep=clock.sleep,
    )
    return make_agent(env, drivers, android_world=aw)


def test_one_artemis_step_per_call_through_manager_tac_sra(
    android_world: ModuleType, tmp_path: Path
) -> None:
    tips = InMemoryTipStore(
        [Tip(app="com.google.android.apps.nexuslauncher", text="The OK button confirms.")]
    )
    model = ScriptedModel(
        [
            Expect(plan('Tap "OK"', {"type": "tap", "target": {"index": OK}}), role="manager"),
            Expect({"consistent": True, "reason": "the marker is on OK"}, role="tac"),
            Expect({"success": True, "analysis": "OK was tapped"}, role="sra"),
            Expect(plan("Done.", {"type": "finish", "status": "success"}), role="manager"),
        ]
    )
    agent = _agent(
        android_world,
        RoleModels.same(model),
        tmp_path,
        settings=_settings(tac_skip_when_confident=False),
        tips=tips,
    )
    agent.reset(True)
    first = agent.step("Tap the OK button")
    assert not first.done and agent.env.clicked == ["OK"]
    assert first.data["artemis_action"] == f"tap #{OK}"
    assert first.data["tac"]["consistent"] is True
    assert first.data["reflection"]["success"] is True
    assert "The OK button confirms." in model.calls[0].text
    second = agent.step("Tap the OK button")
    assert second.done
    assert agent.env.actions[-1].action_type == "status"
    assert agent.env.actions[-1].goal_status == "complete"
    model.assert_exhausted()
    usage = agent.take_usage()
    assert usage.steps == 2 and usage.calls == 4 and usage.tokens > 0
    assert first.data["tokens"] + second.data["tokens"] == usage.tokens
    agent.reset(True)  # ends the episode: its record is completed
    (folder,) = (tmp_path / "trajectories").iterdir()
    episode, steps = read_trajectory(folder)
    assert episode["status"] == "done" and episode["outcome"]["status"] == "success"
    assert episode["task"] == "Tap the OK button" and len(steps) == 2
    agent.close()


def test_an_answer_reaches_the_env_so_question_tasks_are_graded(
    android_world: ModuleType, tmp_path: Path
) -> None:
    model = ScriptedModel(
        [Expect(plan("2 + 40 = 42", {"type": "answer", "text": "42"}), role="manager")]
    )
    agent = _agent(android_world, RoleModels.same(model), tmp_path)
    agent.reset(True)
    assert agent.step("Answer: what is 2 plus 40?").done
    assert agent.env.interaction_cache == "42"
    agent.close()


def test_a_loop_that_gives_up_never_claims_done(android_world: ModuleType, tmp_path: Path) -> None:
    model = FunctionModel(lambda call: "not json at all")
    settings = _settings(max_consecutive_failures=1, reply_retries=0)
    agent = _agent(android_world, RoleModels.same(model), tmp_path, settings=settings)
    agent.reset(True)
    first = agent.step("Tap the OK button")
    assert not first.done and first.data["stopped"]
    calls = len(model.calls)
    again = agent.step("Tap the OK button")  # android_world goes on until its budget
    assert not again.done and again.data.get("idle") and len(model.calls) == calls
    assert agent.env.actions == [] and not agent.lost
    agent.close()


def test_the_suite_runner_drives_the_pipeline_on_each_task(
    android_world: ModuleType, tmp_path: Path
) -> None:
    def reply(call: Call) -> str | dict[str, object]:
        task = str(getattr(call.request, "task", ""))
        if call.role == "manager":
            if m := re.match(r"Answer: what is (\d+) plus (\d+)\?", task):
                return plan("sum", {"type": "answer", "text": str(int(m[1]) + int(m[2]))})
            if call.input(PlanInput).memory["pairs"]:
                return plan("Done.", {"type": "finish", "status": "success"})
            return plan('Tap "OK"', {"type": "tap", "target": {"index": OK}})
        if call.role == "tac":
            return {"consistent": True, "reason": "ok"}
        return {"success": True, "analysis": "ok"}

    from android_world import checkpointer, registry, suite_utils

    agent = _agent(android_world, RoleModels.same(FunctionModel(reply)), tmp_path)
    suite = suite_utils.create_suite(
        registry.TaskRegistry().get_registry("android_world"),
        seed=30,
        tasks=["FakeTapOk", "FakeAnswerSum"],
    )
    ckpt = checkpointer.IncrementalCheckpointer(str(tmp_path / "ckpt"))
    results = suite_utils.run(suite, agent, checkpointer=ckpt)
    scores = {r["task_template"]: r["is_successful"] for r in results}
    assert scores == {"FakeTapOk": 1.0, "FakeAnswerSum": 1.0}
    agent.close()


def test_no_model_configured_says_how_to_configure_one(tmp_path: Path) -> None:
    with pytest.raises(ModelConfigError, match="--model"):
        build_drivers(Settings(), tmp_path)


class ClosingTips(InMemoryTipStore):
    def __init__(self) -> None:
        super().__init__()
        self.closed = 0

    async def aclose(self) -> None:
        self.closed += 1


async def test_the_drivers_close_the_tip_store_they_opened_only(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from artemis.bench.androidworld import pipeline

    opened = ClosingTips()

    async def fake_open(settings: Settings) -> ClosingTips:
        return opened

    monkeypatch.setattr(pipeline, "open_tip_store", fake_open)
    roles = RoleModels.same(ScriptedModel([]))
    drivers = ArtemisDrivers(_settings(), roles, tmp_path)
    assert await drivers.tips() is opened
    await drivers.aclose()
    await drivers.aclose()
    assert opened.closed == 1

    given = ClosingTips()
    drivers = ArtemisDrivers(_settings(), roles, tmp_path, tips=given)
    assert await drivers.tips() is given
    await drivers.aclose()
    assert given.closed == 0  # the caller's, to close
