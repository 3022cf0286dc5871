"""Steps record the UI elements their actions name by index, for viewers to draw them."""

from __future__ import annotations

from pathlib import Path

from artemis.models.testing import Expect, ScriptedModel
from tests.agent.fakes import FakeDevice, idx, settings_phone
from tests.agent.helpers import finish, make_settings, plan, run, steps_of, tap

SCREENS = settings_phone()
NI = idx(SCREENS["settings"], "Network & internet")
BATTERY = idx(SCREENS["settings"], "Battery")


async def test_planned_corrected_and_scroll_anchor_elements_are_recorded(tmp_path: Path) -> None:
    model = ScriptedModel(
        [
            Expect(plan('Tap "Network & internet"', tap(BATTERY)), role="manager"),
            Expect(
                {"error_type": "parameters_or_target", "thought": "fix", "action": tap(NI)},
                role="aca",
            ),
            Expect(
                plan("Scroll", {"type": "scroll", "direction": "down", "anchor": {"index": 0}}),
                role="manager",
            ),
            Expect({"consistent": True}, role="tac"),  # the root has no name to pre-check
            Expect(plan("Back", {"type": "press", "key": "back"}), role="manager"),
            Expect({"consistent": True}, role="tac"),
            Expect(finish(), role="manager"),
        ]
    )
    device = FakeDevice(current="settings")
    result = await run("x", device, model, make_settings(use_sra=False), tmp_path)
    model.assert_exhausted()
    first, scroll, back, _ = steps_of(result)
    assert first["elements"] == {
        str(BATTERY): {"bounds": [0, 300, 270, 350], "class": "TextView", "name": "Battery"},
        str(NI): {
            "bounds": [0, 100, 270, 150],
            "class": "TextView",
            "name": "Network & internet",
        },
    }
    [(index, root)] = scroll["elements"].items()
    assert index == "0" and root["bounds"] == [0, 0, 270, 600] and root["class"] == "FrameLayout"
    assert back["elements"] == {}
