"""The speculative plan: started beside the reflection, kept when it confirms the step, made
again (with the reflection in memory) when it does not; off with `agent.speculate = false`."""

from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any

from artemis.actions import ElementTarget, OpenApp, Tap
from artemis.agent.manager import PlanInput
from artemis.agent.speculation import follows
from artemis.agent.types import Plan
from artemis.models.testing import Call, FunctionModel
from tests.agent.fakes import FakeDevice, idx, settings_phone
from tests.agent.helpers import episode_of, finish, make_settings, plan, run, steps_of, tap

SCREENS = settings_phone()
NI = idx(SCREENS["settings"], "Network & internet")
BATTERY = idx(SCREENS["settings"], "Battery")


class Roles:
    """A Manager that taps once and then finishes, and an SRA that lets the loop run for a
    few turns before it answers, so that a plan started beside it gets to run."""

    def __init__(self, reflection: dict[str, Any]) -> None:
        self.reflection = reflection
        self.plans: list[PlanInput] = []
        self.manager_calls_when_reflecting: int | None = None

    async def __call__(self, call: Call) -> Any:
        if call.role == "manager":
            self.plans.append(call.input(PlanInput))
            if len(self.plans) == 1:
                return plan('Tap "Network & internet"', tap(NI))
            return finish()
        if call.role == "sra":
            for _ in range(10):  # turns of the event loop, not time
                await asyncio.sleep(0)
            self.manager_calls_when_reflecting = len(self.plans)
            return self.reflection
        raise AssertionError(f"unexpected role {call.role}")


async def test_a_confirmed_step_keeps_the_plan_started_beside_the_reflection(
    tmp_path: Path,
) -> None:
    roles = Roles({"success": True, "analysis": "the network page opened"})
    result = await run(
        "Open network settings",
        FakeDevice(current="settings"),
        FunctionModel(roles),
        make_settings(),
        tmp_path,
    )
    assert result.outcome == "success"
    # The next plan was asked for while SRA was still thinking, and only once.
    assert roles.manager_calls_when_reflecting == 2
    assert len(roles.plans) == 2
    # It was asked without a reflection it could not have yet.
    assert roles.plans[1].reflection is None
    steps = steps_of(result)
    assert steps[0]["speculation"] is None
    assert steps[1]["speculation"]["outcome"] == "kept"
    assert episode_of(result)["speculation"] == {"kept": 1, "replanned": 0, "dropped": 0}
    assert result.speculation["kept"] == 1


async def test_a_reported_failure_replans_with_the_reflection_in_memory(tmp_path: Path) -> None:
    roles = Roles(
        {"success": False, "analysis": "nothing changed", "guidance": "scroll to find it"}
    )
    result = await run(
        "Open network settings",
        FakeDevice(current="settings"),
        FunctionModel(roles),
        make_settings(),
        tmp_path,
    )
    assert result.outcome == "success"
    assert len(roles.plans) == 3  # the first, the speculative one, the re-plan
    assert roles.plans[1].reflection is None
    assert roles.plans[2].reflection is not None and "FAILED" in roles.plans[2].reflection
    assert "scroll to find it" in roles.plans[2].memory_text
    second = steps_of(result)[1]
    assert second["speculation"] == {
        "outcome": "replanned",
        "reason": "the reflection reports a failure",
    }
    assert result.speculation == {"kept": 0, "replanned": 1, "dropped": 0}


async def test_with_speculation_off_the_next_plan_waits_for_the_reflection(
    tmp_path: Path,
) -> None:
    roles = Roles({"success": True, "analysis": "the network page opened"})
    result = await run(
        "Open network settings",
        FakeDevice(current="settings"),
        FunctionModel(roles),
        make_settings(speculate=False),
        tmp_path,
    )
    assert result.outcome == "success"
    assert roles.manager_calls_when_reflecting == 1
    assert all(s["speculation"] is None for s in steps_of(result))
    assert result.speculation == {"kept": 0, "replanned": 0, "dropped": 0}


async def test_guidance_the_plan_follows_keeps_it_and_other_guidance_does_not(
    tmp_path: Path,
) -> None:
    obs = await FakeDevice(current="settings").observe()
    to_network = Plan('Tap "Network & internet"', Tap(target=ElementTarget(index=NI)))
    assert follows('Now tap "Network & internet"', to_network, obs)
    assert not follows('Tap "Battery" next', to_network, obs)
    assert follows("open the Clock app", Plan("Open Clock", OpenApp(app="Clock")), obs)
    assert not follows("open the Clock app", Plan("Open Files", OpenApp(app="Files")), obs)


def test_the_precheck_decides_open_app_by_the_installed_packages() -> None:
    from artemis.agent.tac import precheck
    from artemis.observation import Observation

    obs = Observation(b"", 1080, 2400)
    installed = ["com.android.deskclock", "com.android.settings"]
    sure = precheck("Open the Clock app", OpenApp(app="Clock"), obs, installed)
    assert sure.consistent is True
    missing = precheck("Open Spotify", OpenApp(app="Spotify"), obs, installed)
    assert missing.consistent is False and "Spotify" in missing.reason
    assert precheck("Open the Clock app", OpenApp(app="Clock"), obs).consistent is None
    unsure = precheck("Check the time", OpenApp(app="Clock"), obs, installed)
    assert unsure.consistent is None


def test_the_precheck_decides_typing_into_the_focused_field_by_the_text() -> None:
    from artemis.actions import TypeText
    from artemis.agent.tac import precheck
    from artemis.observation import Observation, Rect, UIElement

    field = UIElement(0, Rect(0, 0, 100, 50), hint="Search", editable=True, focused=True)
    obs = Observation(b"", 1080, 2400, (field,))
    typed = TypeText(text="alarm")
    assert precheck('Type "alarm" into the search box', typed, obs).consistent is True
    assert precheck("Search for it", typed, obs).consistent is None
    unfocused = Observation(b"", 1080, 2400, (UIElement(0, Rect(0, 0, 9, 9), editable=True),))
    assert precheck('Type "alarm"', typed, unfocused).consistent is None


INTERNET = idx(SCREENS["network"], "Internet")


class CheckedRoles:
    """Two taps and a finish, with TAC asked every time (no pre-check shortcut); each TAC
    call notes how many reflections had come back. With `wait`, the first reflection waits
    (up to a deadline) for a second check to start, as a slow SRA would."""

    def __init__(self, reflection: dict[str, Any], *, wait: bool = False) -> None:
        self.reflection = reflection
        self.wait = wait
        self.plans = 0
        self.reflections_done = 0
        self.tac_seen: list[int] = []
        self.checked_twice = asyncio.Event()

    async def __call__(self, call: Call) -> Any:
        if call.role == "manager":
            self.plans += 1
            if self.plans == 1:
                return plan('Tap "Network & internet"', tap(NI))
            if self.plans == 2:
                return plan('Tap "Internet"', tap(INTERNET))
            return finish()
        if call.role == "tac":
            self.tac_seen.append(self.reflections_done)
            if len(self.tac_seen) == 2:
                self.checked_twice.set()
            return {"consistent": True, "reason": "the marker is on the element"}
        if call.role == "sra":
            if self.wait and not self.reflections_done:
                with contextlib.suppress(TimeoutError):  # no second check: the test says so
                    async with asyncio.timeout(10):
                        await self.checked_twice.wait()
            else:
                await asyncio.sleep(0)
            self.reflections_done += 1
            return self.reflection
        raise AssertionError(f"unexpected role {call.role}")


async def test_a_kept_plan_was_checked_beside_the_reflection(tmp_path: Path) -> None:
    roles = CheckedRoles({"success": True, "analysis": "it opened"}, wait=True)
    result = await run(
        "Open internet settings",
        FakeDevice(current="settings"),
        FunctionModel(roles),
        make_settings(tac_skip_when_confident=False),
        tmp_path,
    )
    assert result.outcome == "success"
    # The second tap's check ran before the first step's reflection came back.
    assert roles.tac_seen == [0, 0]
    second = steps_of(result)[1]
    assert second["speculation"]["outcome"] == "kept"
    assert second["tac"]["consistent"] is True and second["tac"]["decided_by"] == "model"
    assert "speculative_check" in second["timings"] and "check" not in second["timings"]
    assert second["executed"]["type"] == "tap"


async def test_a_replanned_step_drops_the_early_check_and_speculation_off_checks_after(
    tmp_path: Path,
) -> None:
    failed = CheckedRoles({"success": False, "analysis": "no", "guidance": "try again"})
    result = await run(
        "Open internet settings",
        FakeDevice(current="settings"),
        FunctionModel(failed),
        make_settings(tac_skip_when_confident=False, max_steps=4),
        tmp_path / "replanned",
    )
    second = steps_of(result)[1]
    assert second["speculation"]["outcome"] == "replanned"
    # The plan made again (a finish here) carries nothing of the check made beside SRA.
    assert second["executed"]["type"] == "finish"
    assert second["tac"] is None and "speculative_check" not in second["timings"]
    strict = CheckedRoles({"success": True, "analysis": "it opened"})
    await run(
        "Open internet settings",
        FakeDevice(current="settings"),
        FunctionModel(strict),
        make_settings(tac_skip_when_confident=False, speculate=False),
        tmp_path / "strict",
    )
    assert strict.tac_seen == [0, 1]  # each check after the reflection before it
