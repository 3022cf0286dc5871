"""Coordinates from model space to device pixels; waiting for a stable UI; working memory."""

from __future__ import annotations

import pytest

from artemis.actions import ElementTarget, PointTarget, Tap
from artemis.agent.grounding import to_device_action
from artemis.agent.memory import WorkingMemory
from artemis.agent.settle import wait_for_settle
from artemis.agent.types import Reflection
from artemis.errors import ModelResponseError, TargetError
from artemis.models.base import ModelResponse
from artemis.models.coords import ImageFrame
from artemis.observation import Observation
from tests.agent.fakes import FakeClock, FakeDevice

OBS = Observation(b"", 1080, 2400)


HALF = ImageFrame(540, 1200, 1080, 2400)


def _resp(coords: str, frame: ImageFrame | None = HALF) -> ModelResponse:
    return ModelResponse(text="", model="m", frames=[frame] if frame else [], coords=coords)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("coords", "point", "expected"),
    [
        ("pixels", {"x": 270, "y": 600}, (540, 1200)),
        ("norm1000", {"x": 500, "y": 250}, (540, 600)),
        ("norm1", {"x": 0.5, "y": 0.25}, (540, 600)),
    ],
)
def test_points_convert_through_the_response_frame(
    coords: str, point: dict[str, float], expected: tuple[int, int]
) -> None:
    action = to_device_action({"type": "tap", "target": point}, _resp(coords), OBS)
    assert action == Tap(target=PointTarget(x=expected[0], y=expected[1]))


@pytest.mark.parametrize(
    ("coords", "point"),
    [
        ("pixels", {"x": 540, "y": 10}),
        ("norm1000", {"x": 1000, "y": 5}),
        ("norm1", {"x": 1.2, "y": 0}),
    ],
)
def test_points_off_the_screen_in_model_space_are_rejected_not_clamped(
    coords: str, point: dict[str, float]
) -> None:
    with pytest.raises(TargetError, match="off the screen"):
        to_device_action({"type": "tap", "target": point}, _resp(coords), OBS)


@pytest.mark.parametrize("coords", ["pixels", "norm1000", "norm1"])
@pytest.mark.parametrize("frame", [HALF, None])
@pytest.mark.parametrize(
    "value",
    [10**400, -(10**330), 1e308, -1e308, float("nan"), float("inf"), float("-inf")],
    ids=["int-400-digits", "int-331-digits", "1e308", "-1e308", "nan", "inf", "-inf"],
)
def test_absurd_coordinates_go_back_to_the_model(
    coords: str, frame: ImageFrame | None, value: float
) -> None:
    for point in ({"x": value, "y": 5}, {"x": 5, "y": value}):
        with pytest.raises((ModelResponseError, TargetError)) as info:
            to_device_action({"type": "tap", "target": point}, _resp(coords, frame), OBS)
        assert len(str(info.value)) < 300


def test_without_a_frame_points_are_device_pixels() -> None:
    action = to_device_action(
        {"type": "tap", "target": {"x": 1079, "y": 2399}}, _resp("pixels", None), OBS
    )
    assert action == Tap(target=PointTarget(x=1079, y=2399))
    with pytest.raises(TargetError):
        to_device_action({"type": "tap", "target": {"x": 1080, "y": 5}}, _resp("pixels", None), OBS)


async def test_element_indices_are_checked_against_the_observed_tree() -> None:
    obs = await FakeDevice().observe()
    assert obs.ui is not None
    ok = to_device_action({"type": "tap", "target": {"index": 1}}, _resp("pixels"), obs)
    assert ok == Tap(target=ElementTarget(index=1))
    with pytest.raises(TargetError, match="does not exist"):
        to_device_action({"type": "tap", "target": {"index": 99}}, _resp("pixels"), obs)
    with pytest.raises(ModelResponseError, match="not valid"):
        to_device_action({"type": "fly"}, _resp("pixels"), obs)


async def test_settle_returns_once_two_observations_match_without_wall_clock() -> None:
    device = FakeDevice()
    clock = FakeClock()
    settled = await wait_for_settle(
        device, timeout_s=3, interval_s=0.25, observe_timeout_s=5, clock=clock, sleep=clock.sleep
    )
    assert settled.stable and settled.polls == 2 and clock.sleeps == [0.25]


async def test_settle_gives_up_at_the_deadline_when_the_screen_keeps_changing() -> None:
    device = FakeDevice()
    clock = FakeClock()

    def flicker(what: str, n: int) -> None:  # every observation shows another screen
        device.current = "clock" if device.current == "launcher" else "launcher"

    device.fault = flicker
    settled = await wait_for_settle(
        device, timeout_s=1.0, interval_s=0.25, observe_timeout_s=5, clock=clock, sleep=clock.sleep
    )
    assert not settled.stable and settled.polls == 5 and clock.now - 1000.0 == pytest.approx(1.0)


async def test_settle_waits_a_little_for_a_screen_that_has_not_changed_yet() -> None:
    device = FakeDevice()
    before = await device.observe()
    clock = FakeClock()

    def late_start(what: str, n: int) -> None:  # the app shows up at the 4th observation
        if n == 5:
            device.current = "clock"

    device.fault = late_start
    settled = await wait_for_settle(
        device,
        timeout_s=3,
        interval_s=0.25,
        observe_timeout_s=5,
        before=before,
        clock=clock,
        sleep=clock.sleep,
    )
    assert settled.stable and settled.observation.package == "com.android.deskclock"
    assert settled.polls == 5

    device.fault = None
    unchanged = await device.observe()
    clock2 = FakeClock()
    still = await wait_for_settle(
        device,
        timeout_s=3,
        interval_s=0.25,
        observe_timeout_s=5,
        before=unchanged,
        clock=clock2,
        sleep=clock2.sleep,
    )
    assert still.stable and still.waited_s == pytest.approx(0.75)


def test_memory_keeps_the_last_k_pairs_and_only_the_latest_reflection() -> None:
    memory = WorkingMemory(k=2)
    for i in range(4):
        memory.remember(i, f"thought {i}", Tap(target=ElementTarget(index=i)))
    memory.reflect(Reflection(False, "nothing happened", "scroll"))
    memory.reflect(Reflection(True, "it opened"))
    memory.note("the code is 1234")
    text = memory.render()
    assert "thought 0" not in text and "thought 1" not in text
    assert "thought 2" in text and "thought 3" in text
    assert "it opened" in text and "nothing happened" not in text
    assert "the code is 1234" in text
    assert [p["step"] for p in memory.snapshot()["pairs"]] == [2, 3]
