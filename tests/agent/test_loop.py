"""The loop end to end on the fake phone with scripted models."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from artemis.actions import ElementTarget, PointTarget, Tap
from artemis.agent.manager import PlanInput
from artemis.agent.trajectory import read_trajectory
from artemis.errors import DeviceConnectionError, ModelConfigError
from artemis.models.coords import NATIVE_SIZE
from artemis.models.testing import Call, Expect, FunctionModel, ScriptedModel
from artemis.tips.base import InMemoryTipStore
from tests.agent.fakes import FakeDevice, el, idx, settings_phone
from tests.agent.helpers import episode_of, finish, make_settings, plan, run, steps_of, tap

SCREENS = settings_phone()
NI = idx(SCREENS["settings"], "Network & internet")
BATTERY = idx(SCREENS["settings"], "Battery")


async def test_tac_rejection_then_aca_correction_runs_the_corrected_action(tmp_path: Path) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(
        [
            Expect(plan("Open the network settings", tap(BATTERY)), role="manager"),
            Expect({"consistent": False, "reason": "the marker is on Battery"}, role="tac"),
            Expect(
                {
                    "error_type": "parameters_or_target",
                    "thought": 'Tap "Network & internet"',
                    "action": tap(NI),
                },
                role="aca",
            ),
            Expect({"success": True, "analysis": "the network page opened"}, role="sra"),
            Expect(finish(), role="manager"),
        ]
    )
    settings = make_settings(tac_skip_when_confident=False)
    result = await run("Open network settings", device, model, settings, tmp_path)
    model.assert_exhausted()
    assert result.outcome == "success" and result.success
    assert device.executed == [Tap(target=ElementTarget(index=NI))]
    assert device.current == "network"
    tac_call = model.calls[1]
    assert [i.label for m in tac_call.messages for i in m.images] == ["action drawn"]
    aca_call = model.calls[2]
    assert "the marker is on Battery" in aca_call.text
    first = steps_of(result)[0]
    assert first["tac"]["consistent"] is False and first["tac"]["decided_by"] == "model"
    assert first["correction"]["error_type"] == "parameters_or_target"
    assert first["action"] == tap(BATTERY) | {"type": "tap"}
    assert first["executed"] == tap(NI)
    assert first["reflection"]["success"] is True
    assert (result.path / "screens" / "000-action.png").is_file()


async def test_a_failure_caught_by_sra_puts_its_guidance_in_the_next_prompt(tmp_path: Path) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(
        [
            Expect(plan('Tap "Battery"', tap(BATTERY)), role="manager"),
            Expect(
                {
                    "success": False,
                    "analysis": "the Battery row does not lead to Wi-Fi",
                    "guidance": "Open Network & internet instead",
                },
                role="sra",
            ),
            Expect(finish("failure"), role="manager"),
        ]
    )
    result = await run("Turn on Wi-Fi", device, model, make_settings(), tmp_path)
    model.assert_exhausted()
    second_prompt = model.calls[2].text
    assert "Open Network & internet instead" in second_prompt
    assert "FAILED" in second_prompt
    assert result.outcome == "failure"
    step = steps_of(result)[0]
    assert step["tac"]["decided_by"] == "precheck"  # 'Tap "Battery"' on Battery: sure
    assert step["ui_diff"] == "no visible change in the UI tree"


async def test_malformed_replies_are_retried_with_the_error_then_the_step_fails(
    tmp_path: Path,
) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(
        [
            "I think I should tap the button",
            '{"thought": "tap it"}',
            plan("tap", tap(999)),
        ]
    )
    settings = make_settings(reply_retries=2, max_consecutive_failures=1)
    result = await run("Turn on Wi-Fi", device, model, settings, tmp_path)
    model.assert_exhausted()
    assert result.outcome == "step_failures"
    assert "no JSON" in model.calls[1].text
    assert "action: Field required" in model.calls[2].text
    assert device.executed == []
    [step] = steps_of(result)
    assert step["status"] == "failed"
    assert step["tokens"]["manager"]["attempts"] == 3
    assert "element #999 does not exist" in step["errors"][-1]
    assert episode_of(result)["outcome"]["status"] == "step_failures"


async def test_a_huge_reply_is_not_carried_into_the_next_prompt(tmp_path: Path) -> None:
    model = ScriptedModel(["no json here " * 250_000, finish()])  # 3 MB, then a good reply
    result = await run("x", FakeDevice(), model, make_settings(reply_retries=1), tmp_path)
    assert result.outcome == "success"
    retry = model.calls[1].messages
    assert sum(len(m.text) for m in retry) < 20_000
    assert "more characters not shown" in retry[-2].text
    assert len((result.path / "steps.jsonl").read_text()) < 20_000


async def test_after_a_failed_step_the_episode_goes_on_and_the_manager_hears_why(
    tmp_path: Path,
) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(["garbage", finish()])
    result = await run("x", device, model, make_settings(reply_retries=0), tmp_path)
    assert result.outcome == "success"
    assert "The last step went wrong" in model.calls[1].text
    assert [s["status"] for s in steps_of(result)] == ["failed", "done"]


async def test_an_off_screen_point_goes_back_to_the_model(tmp_path: Path) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(
        [
            plan('Tap "Network & internet"', {"type": "tap", "target": {"x": 5000, "y": 10}}),
            plan('Tap "Network & internet"', {"type": "tap", "target": {"x": 100, "y": 120}}),
            finish(),
        ]
    )
    result = await run("x", device, model, make_settings(use_sra=False), tmp_path)
    model.assert_exhausted()
    assert "off the screen" in model.calls[1].text
    assert device.executed == [Tap(target=PointTarget(x=100, y=120))]
    assert device.current == "network" and result.success


def _ablation_model() -> FunctionModel:
    def reply(call: Call) -> str | dict[str, object]:
        if call.role == "manager":
            if call.input(PlanInput).memory["pairs"]:
                return finish()
            return plan("Go on", {"type": "tap", "target": {"x": 100, "y": 120}})
        if call.role == "tac":
            return {"consistent": False, "reason": "unsure"}
        if call.role == "aca":
            return {
                "error_type": "parameters_or_target",
                "thought": "Go on",
                "action": {"type": "tap", "target": {"x": 100, "y": 121}},
            }
        return {"success": True, "analysis": "ok"}

    return FunctionModel(reply)


class CountingTips(InMemoryTipStore):
    def __init__(self) -> None:
        super().__init__()
        self.queries: list[str | None] = []

    async def retrieve(self, *, app: str | None, task: str, screen_text: str = "", k: int = 3):  # type: ignore[no-untyped-def]
        self.queries.append(app)
        return await super().retrieve(app=app, task=task, screen_text=screen_text, k=k)


class PolledDevice(FakeDevice):
    """A phone with a cheap fingerprint (its screen's name) that logs polls and observations
    into `log`, beside the tips asked for."""

    def __init__(self, log: list[str], **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.log = log

    async def screen_signal(self) -> str:
        self.log.append("poll")
        return self.current

    async def observe(self, *, with_ui: bool = True) -> Any:
        self.log.append("observe")
        return await super().observe(with_ui=with_ui)


class LoggedTips(InMemoryTipStore):
    def __init__(self, log: list[str]) -> None:
        super().__init__()
        self.log = log

    async def retrieve(self, *, app: str | None, task: str, screen_text: str = "", k: int = 3):  # type: ignore[no-untyped-def]
        self.log.append(f"tips {app}")
        return await super().retrieve(app=app, task=task, screen_text=screen_text, k=k)


async def test_a_new_screens_tips_are_asked_for_as_soon_as_it_arrives(tmp_path: Path) -> None:
    """The screen after the tap arrives beside the first settling poll: its tips are asked
    for then, while the next poll still has to confirm it, and only once."""
    log: list[str] = []
    device = PolledDevice(log, current="launcher")
    model = ScriptedModel(
        [
            Expect(
                plan("Open Settings", tap(idx(SCREENS["launcher"], "Settings"))), role="manager"
            ),
            Expect({"success": True, "analysis": "Settings opened"}, role="sra"),
            Expect(finish(), role="manager"),
        ]
    )
    result = await run("x", device, model, make_settings(), tmp_path, tips=LoggedTips(log))
    assert result.success
    after_tap = log[log.index("tips com.android.launcher3") + 1 :]
    assert after_tap == ["poll", "observe", "tips com.android.settings", "poll"]


@pytest.mark.parametrize(
    ("switches", "roles", "executed"),
    [
        ({}, ["manager", "tac", "aca", "sra", "manager"], 121),
        ({"use_tac": False}, ["manager", "aca", "sra", "manager"], 121),
        ({"use_aca": False}, ["manager", "tac", "manager"], None),
        ({"use_sra": False}, ["manager", "tac", "aca", "manager"], 121),
        (
            {"use_tac": False, "use_aca": False, "use_sra": False, "use_tips": False},
            ["manager", "manager"],
            120,
        ),
    ],
)
async def test_ablation_switches_decide_which_roles_are_called(
    tmp_path: Path, switches: dict[str, bool], roles: list[str], executed: int | None
) -> None:
    device = FakeDevice(current="settings")
    model = _ablation_model()
    tips = CountingTips()
    result = await run("x", device, model, make_settings(**switches), tmp_path, tips=tips)
    assert result.success
    assert [c.role for c in model.calls] == roles
    assert [a.target.y for a in device.executed] == ([] if executed is None else [executed])  # type: ignore[union-attr]
    assert tips.queries == (
        [] if switches.get("use_tips") is False else ["com.android.settings"] * 2
    )


async def test_a_confident_precheck_skips_the_tac_model_either_way(tmp_path: Path) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(
        [
            Expect(plan('Tap "Network & internet"', tap(BATTERY)), role="manager"),
            # no TAC call: the pre-check sees the thought names another element
            Expect(
                {"error_type": "parameters_or_target", "thought": "fix", "action": tap(NI)},
                role="aca",
            ),
            Expect(
                plan('Tap "Internet"', tap(idx(SCREENS["network"], "Internet"))), role="manager"
            ),
            # no TAC call: the pre-check sees the thought names the target
            Expect(finish(), role="manager"),
        ]
    )
    result = await run("x", device, model, make_settings(use_sra=False), tmp_path)
    model.assert_exhausted()
    first, second, _ = steps_of(result)
    assert first["tac"]["decided_by"] == "precheck" and first["tac"]["consistent"] is False
    assert 'names "Network & internet"' in first["tac"]["reason"]
    assert second["tac"]["decided_by"] == "precheck" and second["tac"]["consistent"] is True
    assert "tac" not in first["tokens"] and device.current == "internet"


async def test_without_permission_to_skip_the_model_checks_even_when_the_precheck_is_sure(
    tmp_path: Path,
) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(
        [
            plan('Tap "Network & internet"', tap(NI)),
            Expect({"consistent": True, "reason": "fine"}, role="tac"),
            finish(),
        ]
    )
    settings = make_settings(use_sra=False, tac_skip_when_confident=False)
    result = await run("x", device, model, settings, tmp_path)
    model.assert_exhausted()
    tac = steps_of(result)[0]["tac"]
    assert tac["decided_by"] == "model" and tac["precheck"]["consistent"] is True


async def test_memory_holds_the_last_k_thought_action_pairs(tmp_path: Path) -> None:
    device = FakeDevice(current="settings")

    def reply(call: Call) -> str:
        n = len(model.calls) - 1
        if n == 4:
            return finish()
        return plan(f'Tap "Battery" mark-{n}', tap(BATTERY))

    model = FunctionModel(reply)
    result = await run("x", device, model, make_settings(memory_k=2, use_sra=False), tmp_path)
    assert result.success and len(model.calls) == 5
    last = model.calls[-1].text
    assert "mark-2" in last and "mark-3" in last
    assert "mark-0" not in last and "mark-1" not in last


async def test_a_crash_mid_episode_leaves_complete_valid_trajectory_files(tmp_path: Path) -> None:
    executes = 0

    def fault(what: str, n: int) -> None:
        nonlocal executes
        if what == "execute":
            executes += 1
            if executes == 3:
                raise RuntimeError("the device exploded")

    device = FakeDevice(current="settings", fault=fault)
    model = FunctionModel(lambda call: plan('Tap "Battery"', tap(BATTERY)))
    with pytest.raises(RuntimeError, match="exploded"):
        await run("x", device, model, make_settings(use_sra=False), tmp_path)
    [folder] = await asyncio.to_thread(lambda: list(tmp_path.iterdir()))
    episode, steps = read_trajectory(folder)
    assert episode["status"] == "crashed"
    assert "the device exploded" in episode["errors"][0]
    assert episode["steps"] == 2 and [s["step"] for s in steps] == [0, 1]
    assert all(s["status"] == "ok" and s["executed"] == tap(BATTERY) for s in steps)
    assert {p.name for p in (folder / "screens").iterdir()} == {"000.png", "001.png", "002.png"}
    assert episode["usage"]["by_role"]["manager"]["calls"] == 3


async def test_a_device_drop_is_followed_by_a_fresh_observation_and_a_retried_step(
    tmp_path: Path,
) -> None:
    drops = 0

    def fault(what: str, n: int) -> None:
        nonlocal drops
        if what == "execute" and drops == 0:
            drops += 1
            raise DeviceConnectionError("connection reset by peer")

    device = FakeDevice(current="settings", fault=fault)
    model = ScriptedModel([plan('Tap "Network & internet"', tap(NI))] * 2 + [finish()])
    result = await run("x", device, model, make_settings(use_sra=False), tmp_path)
    model.assert_exhausted()
    assert result.success and device.current == "network"
    first = steps_of(result)[0]
    assert first["device_retries"] == 1 and "connection reset" in first["errors"][0]
    assert first["tokens"]["manager"]["attempts"] == 2
    assert device.observes >= 2


async def test_a_device_that_stays_gone_ends_the_episode_cleanly(tmp_path: Path) -> None:
    def fault(what: str, n: int) -> None:
        if n > 1:
            raise DeviceConnectionError("gone")

    device = FakeDevice(current="settings", fault=fault)
    result = await run(
        "x",
        device,
        FunctionModel(lambda c: plan('Tap "Network & internet"', tap(NI))),
        make_settings(device={"reconnect_attempts": 1}),
        tmp_path,
    )
    assert result.outcome == "error" and "unreachable" in result.reason
    assert episode_of(result)["status"] == "done"
    [step] = steps_of(result)
    assert step["status"] == "failed" and step["device_retries"] == 1


async def test_an_unusable_model_configuration_ends_the_episode_with_its_message(
    tmp_path: Path,
) -> None:
    model = ScriptedModel([ModelConfigError("OPENAI_API_KEY is not set")])
    result = await run("x", FakeDevice(), model, make_settings(), tmp_path)
    assert result.outcome == "error" and "OPENAI_API_KEY" in result.reason
    assert "ModelConfigError" in episode_of(result)["errors"][0]


async def test_a_model_that_answers_only_garbage_ends_without_an_exception(tmp_path: Path) -> None:
    model = FunctionModel(lambda call: "<html>502 Bad Gateway</html>")
    result = await run(
        "x", FakeDevice(), model, make_settings(max_consecutive_failures=2), tmp_path
    )
    assert result.outcome == "step_failures" and result.steps == 2
    assert len(model.calls) == 2 * 3  # reply_retries=2 by default


async def test_lessons_become_candidate_tips_with_their_source(tmp_path: Path) -> None:
    device = FakeDevice(current="settings")
    store = InMemoryTipStore()
    model = ScriptedModel(
        [
            plan('Tap "Network & internet"', tap(NI)),
            {"success": True, "analysis": "ok", "lesson": "Wi-Fi lives under Network & internet."},
            finish(),
        ]
    )
    result = await run("Turn on Wi-Fi", device, model, make_settings(), tmp_path, tips=store)
    [tip] = store.tips.values()
    assert tip.status == "candidate" and tip.app == "com.android.settings"
    assert tip.source.kind == "learnt" and tip.source.episode == result.episode_id
    assert tip.source.step == 0 and tip.source.date is not None
    assert episode_of(result)["lessons"][0]["text"] == "Wi-Fi lives under Network & internet."


async def test_a_note_is_kept_in_memory_and_shown_to_the_manager(tmp_path: Path) -> None:
    model = ScriptedModel([plan("Keep the code", {"type": "note", "text": "code 4711"}), finish()])
    result = await run("x", FakeDevice(), model, make_settings(), tmp_path)
    model.assert_exhausted()
    assert "code 4711" in model.calls[1].text and result.success


async def test_the_trajectory_records_usage_timings_and_every_stage(tmp_path: Path) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(
        [
            plan("Go on", {"type": "tap", "target": {"x": 100, "y": 120}}),
            {"consistent": True, "reason": "ok"},
            {"success": True, "analysis": "ok"},
            finish(),
        ]
    )
    result = await run("x", device, model, make_settings(), tmp_path)
    episode = episode_of(result)
    assert episode["status"] == "done" and episode["steps"] == 2
    assert episode["outcome"] == {"status": "success", "reason": "", "answer": None}
    assert episode["config"]["models"] == dict.fromkeys(
        ("manager", "tac", "aca", "sra", "guard"), "scripted"
    )
    assert set(episode["usage"]["by_role"]) == {"manager", "tac", "sra"}
    assert episode["usage"]["total"]["calls"] == 4
    assert set(episode["timings"]["by_stage"]) >= {
        "observe",
        "plan",
        "check",
        "execute",
        "settle",
        "reflect",
    }
    first = steps_of(result)[0]
    assert set(first["timings"]) == {
        "observe",
        "tips",
        "plan",
        "check",
        "gate",
        "execute",
        "settle",
        "reflect",
    }
    assert first["tokens"]["manager"]["input_tokens"] > 0
    assert first["settle"]["stable"] is True
    assert first["screen"] == "screens/000.png"
    assert (result.path / "screens" / "final.png").is_file()


async def test_typed_text_is_kept_out_of_records_when_asked(tmp_path: Path) -> None:
    screens = settings_phone()
    screens["settings"].elements.insert(
        0, el(500, "", editable=True, resource_id="app:id/pw", clickable=True)
    )
    device = FakeDevice(screens=screens, current="settings")
    field = next(e.index for e in device.screen.tree() if e.editable)
    model = ScriptedModel(
        [
            plan(
                'Type "hunter2" into the password field',
                {"type": "type", "text": "hunter2", "target": {"index": field}},
            ),
            finish(),
        ]
    )
    settings = make_settings(use_sra=False, log_typed_text=False, use_tac=False, use_aca=False)
    result = await run("x", device, model, settings, tmp_path)
    assert result.success and device.screen.tree()[field].text == "hunter2"
    raw = (result.path / "steps.jsonl").read_text() + (result.path / "episode.json").read_text()
    assert "hunter2" not in raw and "[redacted]" in raw


async def test_a_model_in_another_coordinate_space_is_converted_in_one_place(
    tmp_path: Path,
) -> None:
    device = FakeDevice(current="settings")
    model = ScriptedModel(
        [
            plan('Tap "Network & internet"', {"type": "tap", "target": {"x": 500, "y": 200}}),
            finish(),
        ],
        coords="norm1000",
    )
    result = await run("x", device, model, make_settings(use_sra=False), tmp_path)
    assert result.success
    assert device.executed == [Tap(target=PointTarget(x=135, y=120))]
    assert "x and y are integers in [0, 1000]" in model.calls[0].text
    assert '"Network & internet" (clickable) @(501,209)' in model.calls[0].text


async def test_a_model_that_never_answers_fails_the_step_at_its_deadline(tmp_path: Path) -> None:
    never = asyncio.Event()

    async def hang(call: Call) -> str:
        await never.wait()
        return finish()

    settings = make_settings(max_consecutive_failures=1)
    settings.models.timeout_s = 0.01
    settings.models.max_retries = 0
    result = await run("x", FakeDevice(), FunctionModel(hang), settings, tmp_path)
    assert result.outcome == "step_failures"
    assert "did not answer within 0.01s" in steps_of(result)[0]["errors"][-1]


def _only_child(folder: Path) -> Path:
    [child] = list(folder.iterdir())
    return child


def _hanging_model() -> FunctionModel:
    never = asyncio.Event()

    async def hang(call: Call) -> str:
        await never.wait()
        return finish()

    return FunctionModel(hang)


async def test_a_hung_model_costs_one_step_at_the_step_deadline(tmp_path: Path) -> None:
    # The model's own deadline (120 s, retried) is far off: the step's cuts it short.
    settings = make_settings(max_consecutive_failures=2, step_timeout_s=0.05)
    async with asyncio.timeout(10):
        result = await run("x", FakeDevice(), _hanging_model(), settings, tmp_path)
    assert result.outcome == "step_failures"
    steps = steps_of(result)
    assert [s["status"] for s in steps] == ["failed", "failed"]
    assert "the step took longer than 0.05 s (agent.step_timeout_s)" in steps[0]["errors"][-1]


async def test_the_episode_ends_at_its_deadline(tmp_path: Path) -> None:
    settings = make_settings(step_timeout_s=60, episode_timeout_s=0.05)
    async with asyncio.timeout(10):
        result = await run("x", FakeDevice(), _hanging_model(), settings, tmp_path)
    assert result.outcome == "time_budget"
    assert "agent.episode_timeout_s" in result.reason
    [step] = steps_of(result)
    assert "the time left to the episode" in step["errors"][-1]
    assert episode_of(result)["outcome"]["status"] == "time_budget"


async def test_an_interrupted_episode_says_interrupted_and_keeps_its_steps(
    tmp_path: Path,
) -> None:
    model = FunctionModel(lambda call: plan("note it", {"type": "note", "text": "first"}))
    second_plan = asyncio.Event()
    never = asyncio.Event()

    async def second_step_hangs(call: Call) -> str:
        if len(model.calls) > 1:
            second_plan.set()
            await never.wait()
        return plan("note it", {"type": "note", "text": "first step"})

    model = FunctionModel(second_step_hangs)
    episode = asyncio.create_task(run("x", FakeDevice(), model, make_settings(), tmp_path))
    async with asyncio.timeout(10):
        await second_plan.wait()
    episode.cancel()  # what Ctrl-C does to the task under asyncio.run
    with pytest.raises(asyncio.CancelledError):
        await episode
    data, steps = read_trajectory(_only_child(tmp_path))
    assert data["status"] == "interrupted" and data["ended"]
    assert data["errors"] == ["interrupted during step 1"]
    assert len(steps) == 1 and steps[0]["status"] == "ok"


async def test_tips_for_the_app_on_screen_reach_the_manager(tmp_path: Path) -> None:
    from artemis.tips.base import Tip

    store = InMemoryTipStore(
        [
            Tip(app="com.android.settings", text="Wi-Fi is under Network & internet > Internet."),
            Tip(app="com.android.deskclock", text="Alarms are on the first tab."),
        ]
    )
    model = ScriptedModel([finish()])
    result = await run(
        "Turn on Wi-Fi",
        FakeDevice(current="settings"),
        model,
        make_settings(),
        tmp_path,
        tips=store,
    )
    prompt = model.calls[0].text
    assert "Wi-Fi is under Network & internet > Internet." in prompt
    assert "Alarms" not in prompt
    assert model.calls[0].input(PlanInput).tip_texts == [
        "Wi-Fi is under Network & internet > Internet."
    ]
    assert steps_of(result)[0]["tips"] == ["Wi-Fi is under Network & internet > Internet."]


class BrokenTips(InMemoryTipStore):
    async def retrieve(self, *, app: str | None, task: str, screen_text: str = "", k: int = 3):  # type: ignore[no-untyped-def]
        from artemis.errors import TipStoreError

        raise TipStoreError("the Chroma server at http://127.0.0.1:1 is unreachable")


async def test_an_unreachable_tip_store_is_recorded_and_skipped_unless_required(
    tmp_path: Path,
) -> None:
    result = await run(
        "x",
        FakeDevice(),
        ScriptedModel([finish()]),
        make_settings(),
        tmp_path / "a",
        tips=BrokenTips(),
    )
    assert result.success
    assert "tips unavailable" in steps_of(result)[0]["errors"][0]

    settings = make_settings()
    settings.tips.required = True
    strict = await run(
        "x", FakeDevice(), ScriptedModel([]), settings, tmp_path / "b", tips=BrokenTips()
    )
    assert strict.outcome == "error" and "unreachable" in strict.reason


class SpendsOnBadReplies:
    """A model whose first reply does not fit, with the tokens it spent attached."""

    name = "spender"
    coords = "pixels"
    image_rule = NATIVE_SIZE
    dialect = None

    def __init__(self) -> None:
        self.n = 0

    async def complete(  # type: ignore[no-untyped-def]
        self, messages, *, output_schema=None, tools=None, timeout_s=None, request=None
    ):
        from artemis.errors import ModelResponseError
        from artemis.models.base import ModelResponse, Usage
        from artemis.models.parsing import parse_reply

        self.n += 1
        if self.n == 1:
            spent: ModelResponse[Any] = ModelResponse(
                text="nope", model=self.name, usage=Usage(100, 7, 1)
            )
            raise ModelResponseError("no JSON", raw="nope", response=spent)
        text = finish()
        return ModelResponse(
            text=text,
            model=self.name,
            parsed=parse_reply(text, output_schema),
            usage=Usage(50, 5, 1),
        )


async def test_tokens_of_rejected_replies_are_counted_per_call(tmp_path: Path) -> None:
    result = await run("x", FakeDevice(), SpendsOnBadReplies(), make_settings(), tmp_path)  # type: ignore[arg-type]
    assert result.success
    manager = result.usage["by_role"]["manager"]
    assert (manager["input_tokens"], manager["output_tokens"], manager["calls"]) == (150, 12, 2)
    assert steps_of(result)[0]["tokens"]["manager"]["attempts"] == 2


async def test_a_failing_scripted_episode_counts_the_tokens_of_its_rejected_replies(
    tmp_path: Path,
) -> None:
    garbage = "<html>502 Bad Gateway</html>" * 2  # 56 characters: 14 output tokens a reply
    model = ScriptedModel([garbage] * 3)
    settings = make_settings(reply_retries=2, max_consecutive_failures=1)
    result = await run("x", FakeDevice(), model, settings, tmp_path)
    model.assert_exhausted()
    assert result.outcome == "step_failures"
    manager = result.usage["by_role"]["manager"]
    assert (manager["calls"], manager["output_tokens"]) == (3, 3 * 14)
    assert manager["input_tokens"] > 0
    assert result.usage["total"]["total_tokens"] == manager["total_tokens"]
    [step] = steps_of(result)
    assert step["tokens"]["manager"]["attempts"] == 3
    assert step["tokens"]["manager"]["output_tokens"] == 3 * 14
    assert episode_of(result)["usage"] == result.usage


async def test_on_step_failure_stop_ends_the_episode_at_the_first_failed_step(
    tmp_path: Path,
) -> None:
    model = ScriptedModel(["garbage"])
    settings = make_settings(reply_retries=0, on_step_failure="stop")
    result = await run("x", FakeDevice(), model, settings, tmp_path)
    model.assert_exhausted()
    assert result.outcome == "step_failures" and result.steps == 1
    assert "step 1 failed" in result.reason


async def test_screens_are_kept_out_of_the_trajectory_when_asked(tmp_path: Path) -> None:
    model = ScriptedModel([plan('Tap "Battery"', tap(BATTERY)), finish()])
    settings = make_settings(use_sra=False, log_screens=False)
    result = await run("x", FakeDevice(current="settings"), model, settings, tmp_path)
    assert result.success
    assert not list((result.path / "screens").iterdir())
    assert all(s["screen"] is None for s in steps_of(result))
