"""A blank screen (FLAG_SECURE, an all-black capture) is named in every role's prompt that
shows the screenshot, in the Manager's words, so that no role judges a black picture."""

from __future__ import annotations

from dataclasses import replace

import pytest

from artemis.actions import ElementTarget, Tap
from artemis.agent import correction, manager, reflection, tac
from artemis.config import Settings
from artemis.models.base import Message
from artemis.models.testing import ScriptedModel
from artemis.observation import Observation
from tests.agent.fakes import FakeDevice

#: What the Manager is told about a blank screen (`manager.BLANK_SCREEN_NOTE`).
BLANK = (
    "this screen could not be captured (the app forbids screenshots, as banking and password "
    "screens do, or the capture came back empty). The image is a black placeholder, not what "
    "the screen shows"
)
ACTION = Tap(target=ElementTarget(index=2))


async def _screens() -> tuple[Observation, Observation]:
    device = FakeDevice(current="settings")
    seen = await device.observe()
    return seen, replace(seen, blank=True)


def _user_text(msgs: list[Message]) -> str:
    return " ".join(m.text for m in msgs if m.role == "user")


def _manager(obs: Observation) -> str:
    inp = manager.PlanInput(task="Open Wi-Fi", observation=obs)
    return _user_text(manager.messages(ScriptedModel([]), inp, Settings()))


def _tac(obs: Observation) -> str:
    inp = tac.CheckInput(task="Open Wi-Fi", thought='Tap "Network"', action=ACTION, observation=obs)
    return _user_text(tac.messages(ScriptedModel([]), inp, b"", Settings()))


def _aca(obs: Observation) -> str:
    inp = correction.CorrectInput(
        task="Open Wi-Fi", thought="t", action=ACTION, reason="wrong", observation=obs
    )
    return _user_text(correction.messages(ScriptedModel([]), inp, b"", Settings()))


@pytest.mark.parametrize("role", [_manager, _tac, _aca], ids=["manager", "tac", "aca"])
async def test_a_role_shown_one_screen_is_told_when_it_is_blank(role: object) -> None:
    seen, blank = await _screens()
    assert callable(role)
    assert BLANK not in role(seen)
    assert f"NOTE: {BLANK}" in role(blank)


@pytest.mark.parametrize(
    ("before_blank", "after_blank", "told"),
    [
        (False, False, []),
        (True, False, ["first image (before the action)"]),
        (False, True, ["second image (after the action)"]),
        (True, True, ["first image (before the action)", "second image (after the action)"]),
    ],
)
async def test_the_reflector_is_told_which_of_its_two_screens_is_blank(
    before_blank: bool, after_blank: bool, told: list[str]
) -> None:
    seen, blank = await _screens()
    before = blank if before_blank else seen
    after = blank if after_blank else seen
    inp = reflection.ReflectInput(
        task="Open Wi-Fi", thought="t", action=ACTION, before=before, after=after
    )
    text = _user_text(reflection.messages(inp, reflection.ui_diff(before, after)))
    assert text.count(BLANK) == len(told)
    for image in told:
        assert f"NOTE on the {image}: {BLANK}" in text
