"""The loop end to end on the simulated phone, driven over ADB by the production `AdbDevice`.

Scripted models find their targets in the observed UI tree (they read the typed request), so the
scripts do not depend on element indices. A fake clock drives settling; nothing sleeps.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from artemis.agent import EpisodeResult, HeuristicPolicy, RoleModels, run_episode
from artemis.agent.manager import PlanInput
from artemis.agent.reflection import ReflectInput
from artemis.agent.tac import CheckInput
from artemis.agent.trajectory import read_trajectory
from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.connect import SimSession, open_device, open_sim
from artemis.models.testing import Call, FunctionModel
from artemis.observation import Observation
from artemis.sim.phone import Phone
from artemis.tips.base import InMemoryTipStore, Tip
from tests.agent.fakes import FakeClock
from tests.agent.helpers import finish, plan, tap


async def _no_wait(seconds: float) -> None:
    return None


def _screen(call: Call) -> Observation:
    """The screen a role's call is about (SRA's: the one after the action)."""
    if isinstance(call.request, ReflectInput):
        return call.request.after
    obs = getattr(call.request, "observation", None)
    assert isinstance(obs, Observation), call.request
    return obs


@pytest.fixture
def phone() -> Phone:
    return Phone(seed=0)  # Wi-Fi off, as on every new simulated phone


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.model_validate(
        {
            "data_dir": tmp_path / "data",
            "device": {"connect_timeout_s": 5, "command_timeout_s": 10, "reconnect_attempts": 3},
        }
    )


@pytest.fixture
async def device(phone: Phone, settings: Settings) -> AsyncIterator[AdbDevice]:
    async with open_device(settings, "sim", phone=phone, sleep=_no_wait) as dev:
        yield dev


@pytest.fixture
async def sim(phone: Phone, settings: Settings) -> AsyncIterator[SimSession]:
    async with open_sim(settings, phone=phone, sleep=_no_wait) as opened:
        yield opened


async def _run(
    task: str, device: AdbDevice, roles: RoleModels, settings: Settings, out: Path, **kw: Any
) -> EpisodeResult:
    clock = FakeClock()
    return await run_episode(
        task, device, roles, kw.get("tips"), settings, out, clock=clock, sleep=clock.sleep
    )


def _complete(result: EpisodeResult) -> list[dict[str, Any]]:
    """The trajectory's files agree with each other and with the result."""
    episode, steps = read_trajectory(result.path)
    assert episode["status"] == "done" and episode["steps"] == len(steps) == result.steps
    assert episode["outcome"]["status"] == result.outcome
    for step in steps:
        assert (result.path / step["screen"]).is_file()
    assert (result.path / "screens" / "final.png").is_file()
    return steps


async def test_heuristic_turns_on_wifi_on_the_simulated_phone(
    phone: Phone, device: AdbDevice, settings: Settings, tmp_path: Path
) -> None:
    assert phone.state.settings.wifi is False
    result = await _run(
        "Turn on Wi-Fi", device, RoleModels.same(HeuristicPolicy()), settings, tmp_path
    )
    assert result.success, result.reason
    assert phone.state.settings.wifi is True
    steps = _complete(result)
    assert steps[0]["executed"] == {"type": "open_app", "app": "Settings"}
    assert steps[-1]["executed"]["type"] == "finish"
    # Each action changed the screen, and one UI dump (read on a still screen) settled it.
    settles = [s["settle"] for s in steps if s.get("settle")]
    assert settles and all(s["stable"] and s["polls"] == 1 for s in settles), settles


async def test_heuristic_survives_dropped_connections(
    phone: Phone, settings: Settings, tmp_path: Path
) -> None:
    async with open_sim(settings, phone=phone, sleep=_no_wait) as sim:
        sim.server.faults.drop_randomly(0.15, seed=3)
        result = await _run(
            "Turn on Wi-Fi", sim.device, RoleModels.same(HeuristicPolicy()), settings, tmp_path
        )
    assert sim.server.faults.drops > 0
    assert result.success, result.reason
    assert phone.state.settings.wifi is True
    _complete(result)


def _find(obs: Observation, text: str) -> int:
    assert obs.ui is not None
    for e in obs.ui:
        if e.text == text:
            return e.index
    raise AssertionError(f"{text!r} is not on screen: {obs.text}")


async def test_scripted_loop_with_a_tac_rejection_an_aca_correction_and_a_failure_caught_by_sra(
    phone: Phone, device: AdbDevice, settings: Settings, tmp_path: Path
) -> None:
    """Step 1 opens Settings. Step 2 taps "Battery" by mistake: SRA catches it and guides.
    Step 3 goes back. Step 4 taps the wrong row while meaning "Network & internet": TAC
    rejects, ACA fixes. Step 5 opens Internet, step 6 flips Wi-Fi, step 7 finishes."""
    manager_steps = iter(["open", "battery", "back", "wrong", "internet", "wifi", "done"])
    seen_guidance: list[str] = []

    def reply(call: Call) -> str | dict[str, Any]:
        obs = _screen(call)
        match call.role:
            case "manager":
                memory = call.input(PlanInput).memory
                if memory["reflection"] and memory["reflection"]["guidance"]:
                    seen_guidance.append(memory["reflection"]["guidance"])
                step = next(manager_steps)
                if step == "open":
                    return plan("Open Settings", {"type": "open_app", "app": "Settings"})
                if step == "battery":
                    return plan('Tap "Battery"', tap(_find(obs, "Battery")))
                if step == "back":
                    return plan("Go back", {"type": "press", "key": "back"})
                if step == "wrong":
                    return plan("Open the network settings", tap(_find(obs, "Display")))
                if step == "internet":
                    return plan('Tap "Internet"', tap(_find(obs, "Internet")))
                if step == "wifi":
                    switch = next(e for e in obs.ui or () if e.checkable)
                    return plan("Turn the Wi-Fi switch on", tap(switch.index))
                return finish()
            case "tac":
                target = getattr(call.input(CheckInput).action, "target", None)
                wrong = "Display" in obs.text and getattr(target, "index", None) == _find(
                    obs, "Display"
                )
                return {
                    "consistent": not wrong,
                    "reason": "the marker is on Display" if wrong else "ok",
                }
            case "aca":
                return {
                    "error_type": "parameters_or_target",
                    "thought": 'Tap "Network & internet"',
                    "action": tap(_find(obs, "Network & internet")),
                }
            case _:
                after = call.input(ReflectInput).after
                if (
                    call.input(ReflectInput).thought == 'Tap "Battery"'
                    and "Network" not in after.text
                ):
                    return {
                        "success": False,
                        "analysis": "this is the Battery page, not the network settings",
                        "guidance": "go back and open Network & internet",
                    }
                return {"success": True, "analysis": "as intended"}

    model = FunctionModel(reply)
    settings.agent.tac_skip_when_confident = False
    result = await _run("Turn on Wi-Fi", device, RoleModels.same(model), settings, tmp_path)
    assert result.success, result.reason
    assert phone.state.settings.wifi is True
    assert seen_guidance and seen_guidance[0] == "go back and open Network & internet"
    steps = _complete(result)
    assert steps[1]["reflection"]["success"] is False
    rejected = steps[3]
    assert rejected["tac"]["consistent"] is False and rejected["tac"]["decided_by"] == "model"
    assert rejected["correction"]["error_type"] == "parameters_or_target"
    assert rejected["executed"] != rejected["action"]
    assert [c.role for c in model.calls].count("aca") == 1


async def test_tips_from_the_store_guide_the_heuristic_and_lessons_come_back(
    phone: Phone, device: AdbDevice, settings: Settings, tmp_path: Path
) -> None:
    store = InMemoryTipStore(
        [Tip(app="com.android.settings", text="Wi-Fi is under Network & internet > Internet.")]
    )

    def sra(call: Call) -> dict[str, Any]:
        on_internet = '"Internet"' in call.input(ReflectInput).thought
        lesson = "The Internet page has the Wi-Fi switch." if on_internet else None
        return {"success": True, "analysis": "ok", "lesson": lesson}

    heuristic = HeuristicPolicy()
    roles = RoleModels(heuristic, heuristic, heuristic, FunctionModel(sra))
    result = await _run("Turn on Wi-Fi", device, roles, settings, tmp_path, tips=store)
    assert result.success
    steps = _complete(result)
    assert any("Network & internet" in t for s in steps for t in s["tips"])
    learnt = [t for t in store.tips.values() if t.source.kind == "learnt"]
    assert len(learnt) == 1 and learnt[0].source.episode == result.episode_id
    assert learnt[0].app == "com.android.settings"
    assert learnt[0].source.step == next(
        i for i, s in enumerate(steps) if '"Internet"' in s["thought"]
    )


async def test_a_secure_screen_is_told_to_the_manager_and_the_trajectory(
    sim: SimSession, settings: Settings, tmp_path: Path
) -> None:
    """The Settings app sets FLAG_SECURE here: its screenshots come back black. The Manager
    hears that the image is a placeholder and acts by element index; the trajectory and the
    live display say which steps were blind."""
    device = sim.device
    sim.server.ctx.windows.secure("com.android.settings")
    texts: list[str] = []
    blank: list[bool] = []

    def reply(call: Call) -> str | dict[str, Any]:
        obs = call.input(PlanInput).observation
        texts.append(call.text)
        blank.append(obs.blank)
        if obs.package != "com.android.settings":
            return plan('Open "Settings"', tap(_find(obs, "Settings")))
        return finish()

    events: list[str] = []
    settings.agent.use_tac = settings.agent.use_aca = settings.agent.use_sra = False
    clock = FakeClock()
    result = await run_episode(
        "Open Settings",
        device,
        RoleModels.same(FunctionModel(reply)),
        None,
        settings,
        tmp_path,
        clock=clock,
        sleep=clock.sleep,
        on_event=lambda e: events.append(e.kind),
    )
    assert result.success, result.reason
    assert blank == [False, True]
    assert "could not be captured" not in texts[0]
    assert "NOTE: this screen could not be captured" in texts[1]
    steps = _complete(result)
    assert [s["screen_blank"] for s in steps] == [False, True]
    assert events.count("blank_screen") == 1
