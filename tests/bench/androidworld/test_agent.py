"""The android_world agent adapter and the device under it, on the stand-in env."""

from __future__ import annotations

import threading
from types import ModuleType
from typing import Any

import pytest

from artemis.actions import ElementTarget, LongPress, Press, Tap, TypeText
from artemis.bench.androidworld.agent import make_agent
from artemis.bench.androidworld.deps import load_android_world
from artemis.bench.androidworld.device import AndroidWorldDevice, EmulatorLostError
from artemis.device.base import Device
from artemis.errors import ActionError, DeviceCommandError
from tests.bench.androidworld import fakes


def _agent(world: ModuleType, alive: bool = True, **kw: Any) -> Any:
    aw = load_android_world()
    env = world.FakeEnv(5554, 8554)
    fakes.DRIVERS.clear()
    return make_agent(
        env,
        fakes.build_drivers(None),
        android_world=aw,
        alive=lambda: alive,
        **kw,
    )


def test_the_adapter_is_their_agent_and_steps_until_done(android_world: ModuleType) -> None:
    from android_world.agents.base_agent import AgentInteractionResult, EnvironmentInteractingAgent

    agent = _agent(android_world)
    # issubclass, not isinstance: the adapter's own attributes stay visible to the checker.
    assert issubclass(type(agent), EnvironmentInteractingAgent)
    assert isinstance(agent.device, Device)
    agent.reset(True)
    first = agent.step("Tap the OK button")
    assert isinstance(first, AgentInteractionResult) and first.done is False
    assert agent.env.clicked == ["OK"]
    assert first.data["artemis_action"] == "tap #2"
    assert first.data["env_commands"] == ["click(index=2)"]
    assert first.data["package"] == "com.google.android.apps.nexuslauncher"
    second = agent.step("Tap the OK button")
    assert second.done is True
    assert agent.env.actions[-1].action_type == "status"
    assert agent.env.actions[-1].goal_status == "complete"
    usage = agent.take_usage()
    assert (usage.steps, usage.input_tokens, usage.output_tokens) == (2, 2000, 100)
    assert usage.cost_usd == pytest.approx(2 * fakes.COST)
    assert agent.take_usage().steps == 0
    agent.close()


def test_reset_starts_a_fresh_episode_with_empty_memory(android_world: ModuleType) -> None:
    agent = _agent(android_world)
    agent.reset(True)
    agent.step("Tap the OK button")
    old = fakes.DRIVERS[-1]
    agent.reset(False)
    assert old.closed and agent.env.resets == 2
    agent.step("Tap the OK button")
    assert fakes.DRIVERS[-1] is not old and fakes.DRIVERS[-1].steps == 1
    agent.close()


def test_answer_reaches_their_interaction_cache(android_world: ModuleType) -> None:
    agent = _agent(android_world)
    agent.reset(True)
    result = agent.step("Answer: what is 2 plus 40?")
    assert result.done and agent.env.interaction_cache == "42"
    agent.close()


def test_a_failing_env_call_is_a_device_error_while_the_emulator_lives(
    android_world: ModuleType,
) -> None:
    android_world.SCENARIO["5554"] = {"action_error_on": "Broken"}
    agent = _agent(android_world)
    agent.env.current_task = "FakeBroken"
    agent.reset(True)
    with pytest.raises(DeviceCommandError, match="device offline") as info:
        agent.step("Tap the OK button")
    assert not isinstance(info.value, EmulatorLostError) and not agent.lost
    agent.close()


def test_a_dead_emulator_is_lost_and_refused_from_then_on(android_world: ModuleType) -> None:
    android_world.SCENARIO["5554"] = {"die_after_actions": 0}
    agent = _agent(android_world, alive=False)
    agent.reset(True)
    with pytest.raises(EmulatorLostError, match="is gone"):
        agent.step("Tap the OK button")
    assert agent.lost
    with pytest.raises(EmulatorLostError, match="lost earlier"):
        agent.step("Tap the OK button")
    agent.close()


class _HangingEnv:
    def __init__(self) -> None:
        self.release = threading.Event()

    def get_state(self, wait_to_stabilize: bool = False) -> Any:
        self.release.wait(30)
        raise RuntimeError("released")


async def test_an_env_call_past_its_deadline_means_the_emulator_is_lost(
    android_world: ModuleType,
) -> None:
    aw = load_android_world()
    env = _HangingEnv()
    device = AndroidWorldDevice(
        env,
        json_action=aw.json_action,
        adb_utils=aw.adb_utils,
        adb_pb2=aw.adb_pb2,
        call_timeout_s=0.2,
    )
    try:
        with pytest.raises(EmulatorLostError, match=r"did not answer within 0\.2 s"):
            await device.observe()
        assert device.lost
    finally:
        env.release.set()
        await device.close()


async def test_device_actions_reach_the_env_as_json_actions_and_key_events(
    android_world: ModuleType,
) -> None:
    env = android_world.FakeEnv(5554, 8554)
    device = _device(env)
    obs = await device.observe()
    assert obs.package == "com.google.android.apps.nexuslauncher" and obs.size == (270, 600)
    await device.execute(TypeText(text="Ada", target=ElementTarget(index=3)), ui=obs.ui)
    assert env.typed == {"Name": "Ada"}
    await device.press("delete")
    assert env.controller.adb_calls == [["shell", "input", "keyevent", "67"]]
    await device.swipe(100, 500, 100, 100)
    assert env.actions[-1].action_type == "swipe" and env.actions[-1].direction == "up"
    assert await device.open_app("Fake") == "com.example.fake"
    assert (await device.current_app()).package == "com.example.fake"
    assert await device.screen_size() == (270, 600)
    await device.execute(Press(key="back"))
    assert env.actions[-1].action_type == "navigate_back"
    with pytest.raises(ActionError, match="Invalid element index"):
        await device.execute(Tap(target=ElementTarget(index=40)))  # no tree given: env refuses
    await device.close()


async def test_foreground_falls_back_to_the_elements(android_world: ModuleType) -> None:
    aw = load_android_world()

    class NoActivity(android_world.FakeEnv):  # type: ignore[name-defined]
        @property
        def foreground_activity_name(self) -> str:
            raise RuntimeError("dumpsys failed")

    device = AndroidWorldDevice(
        NoActivity(5554, 8554),
        json_action=aw.json_action,
        adb_utils=aw.adb_utils,
        adb_pb2=aw.adb_pb2,
    )
    obs = await device.observe()
    assert obs.package == "com.example.fake" and obs.activity is None
    await device.close()


def _device(env: Any) -> AndroidWorldDevice:
    aw = load_android_world()
    return AndroidWorldDevice(
        env, json_action=aw.json_action, adb_utils=aw.adb_utils, adb_pb2=aw.adb_pb2
    )


async def test_an_adb_request_that_fails_is_a_failed_action(android_world: ModuleType) -> None:
    # Their `issue_generic_request` does not raise: the failure is in the response's status.
    env = android_world.FakeEnv(5554, 8554)
    env.script["adb_error_on"] = "keyevent 67"
    device = _device(env)
    with pytest.raises(DeviceCommandError, match="input keyevent 67 failed: error: closed"):
        await device.press("delete")
    await device.press("menu")  # others still go through
    assert env.controller.adb_calls[-1] == ["shell", "input", "keyevent", "82"]
    await device.close()


async def test_long_presses_keep_their_duration(android_world: ModuleType) -> None:
    env = android_world.FakeEnv(5554, 8554)
    device = _device(env)
    obs = await device.observe()
    ok = ElementTarget(index=2)
    await device.execute(LongPress(target=ok, duration_ms=1000), ui=obs.ui)
    assert env.actions[-1].action_type == "long_press" and env.actions[-1].index == 2
    await device.execute(LongPress(target=ok, duration_ms=2500), ui=obs.ui)
    assert env.controller.adb_calls[-1] == ["shell", "input", "swipe", "70", "120", "70", "120",
                                             "2500"]  # fmt: skip
    await device.close()


async def test_a_secure_screen_is_a_blank_observation(android_world: ModuleType) -> None:
    env = android_world.FakeEnv(5554, 8554)
    device = _device(env)
    assert not (await device.observe()).blank
    env.script["secure"] = True
    obs = await device.observe()
    assert obs.blank and obs.ui  # the tree is still there
    await device.close()
