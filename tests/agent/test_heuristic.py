"""The heuristic baseline on hand-built UI trees, and a whole episode on the fake phone."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from artemis.actions import ElementTarget, Tap
from artemis.agent import RoleModels
from artemis.agent.correction import CorrectInput
from artemis.agent.heuristic import HeuristicPolicy, manage, parse_task
from artemis.agent.manager import PlanInput
from artemis.agent.tac import CheckInput
from artemis.errors import ModelError
from artemis.models.base import Message, ModelResponse
from artemis.observation import Observation, Rect, UIElement
from tests.agent.fakes import FakeDevice, el, idx, settings_phone, switch_index
from tests.agent.helpers import make_settings, run, steps_of


async def _obs(screen: str, **kw: bool) -> Observation:
    return await FakeDevice(screens=settings_phone(**kw), current=screen).observe()


def _memory(*actions: dict[str, Any], thought: str = "") -> dict[str, Any]:
    return {"pairs": [{"step": i, "thought": thought, "action": a} for i, a in enumerate(actions)]}


def test_the_task_is_read_for_app_switch_state_and_text() -> None:
    wifi = parse_task("Turn on Wi-Fi")
    assert wifi.app is not None and wifi.app.package == "com.android.settings"
    assert wifi.toggle is True and wifi.subject == "Wi-Fi"
    bt = parse_task("Please switch Bluetooth off")
    assert bt.toggle is False and bt.subject == "Bluetooth"
    assert parse_task("Disable airplane mode").toggle is False
    note = parse_task("Open Markor and type 'buy milk'")
    assert note.app is not None and note.app.label == "Markor" and note.text == "buy milk"
    assert parse_task("Open the Clock app").only_open
    alarm = parse_task("Set an alarm for 7am")
    assert alarm.app is not None and alarm.app.label == "Clock"


async def test_from_the_launcher_it_opens_the_app_the_task_needs() -> None:
    reply = manage("Turn on Wi-Fi", await _obs("launcher"), [], {})
    assert reply["action"] == {"type": "open_app", "app": "Settings"}
    assert reply["thought"].startswith("[heuristic]")


async def test_it_navigates_by_task_and_tip_words() -> None:
    home = await _obs("settings")
    reply = manage("Turn on Wi-Fi", home, ["Wi-Fi is under Network & internet > Internet."], {})
    assert home.ui is not None
    picked = home.ui[reply["action"]["target"]["index"]].text
    assert picked in ("Network & internet", "Mobile, Wi\u2011Fi, hotspot")
    network = await _obs("network")
    reply = manage("Turn on Wi-Fi", network, ["Wi-Fi is under Network & internet > Internet."], {})
    assert reply["action"]["target"]["index"] == idx(settings_phone()["network"], "Internet")


async def test_it_flips_the_named_switch_toward_the_asked_state_and_then_finishes() -> None:
    page = settings_phone()["internet"]
    off = manage("Turn on Wi-Fi", await _obs("internet"), [], {})
    assert off["action"] == {"type": "tap", "target": {"index": switch_index(page)}}
    on = manage("Turn on Wi-Fi", await _obs("internet", wifi_on=True), [], {})
    assert on["action"]["type"] == "finish" and on["action"]["status"] == "success"
    turn_off = manage("Turn off Wi-Fi", await _obs("internet", wifi_on=True), [], {})
    assert turn_off["action"]["type"] == "tap"


def _tree(*elements: UIElement) -> Observation:
    return Observation(
        b"",
        270,
        600,
        ui=tuple(e.__class__(**{**_fields(e), "index": i}) for i, e in enumerate(elements)),
        package="net.gsantner.markor",
    )


def _fields(e: UIElement) -> dict[str, Any]:
    return {f: getattr(e, f) for f in e.__dataclass_fields__}


def test_it_types_quoted_text_into_the_best_field_and_finishes_when_it_shows() -> None:
    empty = _tree(
        UIElement(0, Rect(0, 0, 270, 600), class_name="android.widget.FrameLayout"),
        el(50, "Title", editable=True, resource_id="app:id/title", hint="Title"),
        el(150, "", editable=True, resource_id="app:id/body", hint="Body"),
    )
    reply = manage("Open Markor and type 'buy milk' in the body", empty, [], {})
    assert reply["action"] == {"type": "type", "text": "buy milk", "target": {"index": 2}}
    filled = _tree(
        UIElement(0, Rect(0, 0, 270, 600)),
        el(150, "buy milk", editable=True, resource_id="app:id/body"),
    )
    done = manage("Open Markor and type 'buy milk'", filled, [], {})
    assert done["action"]["type"] == "finish" and done["action"]["status"] == "success"


async def test_when_nothing_matches_it_scrolls_then_goes_back_then_gives_up() -> None:
    clock = await _obs("clock")
    task = "Turn on the flux capacitor in Clock"
    assert manage(task, clock, [], {})["action"]["type"] == "scroll"
    scrolls = _memory(*[{"type": "scroll", "direction": "down"}] * 3)
    assert manage(task, clock, [], scrolls)["action"] == {"type": "press", "key": "back"}
    back = _memory(*[{"type": "scroll", "direction": "down"}] * 3, {"type": "press", "key": "back"})
    gave_up = manage(task, clock, [], back)["action"]
    assert gave_up["type"] == "finish" and gave_up["status"] == "failure"


async def test_it_finishes_an_open_task_once_the_app_is_in_front() -> None:
    reply = manage("Open the Clock app", await _obs("clock"), [], {})
    assert reply["action"]["type"] == "finish"


async def test_as_a_chat_model_it_is_named_heuristic_and_costs_no_tokens() -> None:
    policy = HeuristicPolicy()
    obs = await _obs("launcher")
    resp: ModelResponse[Any] = await policy.complete(
        [Message.user("ignored", obs.screenshot)],
        request=PlanInput(task="Turn on Wi-Fi", observation=obs),
    )
    assert resp.model == "heuristic" and resp.usage.total_tokens == 0 and resp.usage.calls == 1
    with pytest.raises(ModelError, match="free-form prompt"):
        await policy.complete([Message.user("Turn on Wi-Fi")])


async def test_its_checker_and_corrector_are_honest_and_simple() -> None:
    policy = HeuristicPolicy()
    obs = await _obs("settings")
    battery = Tap(target=ElementTarget(index=idx(settings_phone()["settings"], "Battery")))
    tac: ModelResponse[Any] = await policy.complete(
        [],
        request=CheckInput(
            task="t", observation=obs, thought='Tap "Network & internet"', action=battery
        ),
    )
    assert '"consistent": false' in tac.text
    aca: ModelResponse[Any] = await policy.complete(
        [],
        request=CorrectInput(
            task="t",
            observation=obs,
            thought='Tap "Network & internet"',
            action=battery,
            reason="r",
        ),
    )
    assert f'"index": {idx(settings_phone()["settings"], "Network & internet")}' in aca.text


async def test_heuristic_turns_on_wifi_on_the_fake_phone_end_to_end(tmp_path: Path) -> None:
    device = FakeDevice(current="launcher")
    result = await run(
        "Turn on Wi-Fi", device, RoleModels.same(HeuristicPolicy()), make_settings(), tmp_path
    )
    assert result.success, result.reason
    internet = device.screens["internet"].tree()
    assert internet[switch_index(device.screens["internet"])].checked
    steps = steps_of(result)
    assert [s["executed"]["type"] for s in steps] == ["open_app", "tap", "tap", "tap", "finish"]
    assert all(s["reflection"]["success"] for s in steps[:-1])
    assert result.usage["total"]["input_tokens"] == 0


def test_the_heuristic_spec_resolves_through_the_model_registry() -> None:
    from artemis.config import Settings
    from artemis.errors import ModelConfigError
    from artemis.models.registry import resolve_model

    assert isinstance(resolve_model("heuristic", Settings()), HeuristicPolicy)
    with pytest.raises(ModelConfigError, match="takes no model name"):
        resolve_model("heuristic:gpt-4o", Settings())
