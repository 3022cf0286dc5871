"""The oracle as a model: registered as `oracle`, one answer per agent role, honest failure."""

from __future__ import annotations

from typing import Any

import pytest

from artemis.actions import Finish, Tap
from artemis.agent.correction import CorrectInput
from artemis.agent.manager import PlanInput
from artemis.bench.simworld.oracle import OracleModel, TaskAware
from artemis.bench.simworld.registry import build_suite
from artemis.config import Settings
from artemis.errors import ModelConfigError
from artemis.models.base import Message, ModelRequest, ModelResponse
from artemis.models.registry import resolve_model
from artemis.observation import Observation
from artemis.sim.phone import Phone
from tests.bench.simworld.driver import observe


def _bound() -> tuple[OracleModel, Phone]:
    (case,) = build_suite(["SettingsWifi"])
    task = case.task()
    phone = Phone(case.phone_seed)
    task.initialize(phone)
    return OracleModel(task), phone


def test_the_spec_oracle_resolves_to_an_unbound_oracle() -> None:
    model = resolve_model("oracle", Settings())
    assert isinstance(model, OracleModel) and isinstance(model, TaskAware)
    assert model.name == "oracle"
    with pytest.raises(ModelConfigError, match="unknown dialect 'gpt'"):
        resolve_model("oracle:gpt", Settings())


async def test_an_unbound_oracle_refuses_to_plan() -> None:
    obs = Observation(b"", 1080, 2400, ())
    with pytest.raises(ModelConfigError, match="bench sim"):
        await OracleModel().complete([], request=PlanInput(task="t", observation=obs))


async def test_each_role_gets_its_answer() -> None:
    oracle, phone = _bound()
    obs = observe(phone)
    msgs = [Message.user("ignored")]
    plan: ModelResponse[Any] = await oracle.complete(
        msgs, request=PlanInput(task="t", observation=obs)
    )
    assert plan.text and '"open_app"' in plan.text and plan.usage.calls == 1
    assert plan.usage.total_tokens == 0
    tac: ModelResponse[Any] = await oracle.complete(msgs, request=ModelRequest(role="tac"))
    assert '"consistent": true' in tac.text
    action = Tap.model_validate({"target": {"index": 3}})
    aca: ModelResponse[Any] = await oracle.complete(
        msgs,
        request=CorrectInput(task="x", thought="t", action=action, reason="r", observation=obs),
    )
    assert '"error_type": "none"' in aca.text and '"index": 3' in aca.text
    sra: ModelResponse[Any] = await oracle.complete(msgs, request=ModelRequest(role="sra"))
    assert '"success": true' in sra.text


def test_a_missing_target_ends_the_episode_with_a_reason() -> None:
    oracle, phone = _bound()
    obs = observe(phone)  # the launcher, where "Network & internet" is not to be found
    oracle.plan(obs)  # open_app
    move = oracle.plan(obs)
    assert isinstance(move.action, Finish) and move.action.status == "failure"
    assert "Network & internet" in move.action.reason


def _memory(*steps: tuple[int, str | None]) -> dict[str, object]:
    return {"pairs": [{"step": s, "thought": "t", "action": {}, "error": e} for s, e in steps]}


def test_a_move_that_did_not_run_is_asked_for_again() -> None:
    oracle, phone = _bound()
    assert oracle.plan(observe(phone), _memory()).action.type == "open_app"
    phone.launch("com.android.settings")
    settings = observe(phone)
    tap = oracle.plan(settings, _memory((0, None)))
    assert "Network & internet" in tap.thought
    # The step restarted before the action ran (no new step in memory): the same move.
    assert oracle.plan(settings, _memory((0, None))) == tap
    # The action ran and failed: the same move again.
    assert oracle.plan(settings, _memory((0, None), (1, "the device dropped"))) == tap
    # It ran: the next move.
    phone.tap_on("Network & internet")
    nxt = oracle.plan(observe(phone), _memory((0, None), (1, "the device dropped"), (2, None)))
    assert '"Internet"' in nxt.thought
