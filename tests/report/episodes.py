"""Real trajectories for the viewer's tests: the agent loop (`run_episode`) driving the agent
tests' fake phone with scripted models. Nothing here writes trajectory files by hand, except
where a test then damages them on purpose."""

from __future__ import annotations

import asyncio
from dataclasses import replace
from pathlib import Path

from artemis.agent import EpisodeResult, HeuristicPolicy, RoleModels, run_episode
from artemis.config import Settings
from artemis.device.connect import open_device
from artemis.models.testing import Call, Expect, FunctionModel, ScriptedModel
from artemis.sim.phone import Phone
from tests.agent.fakes import (
    FakeClock,
    FakeDevice,
    Screen,
    W,
    el,
    idx,
    settings_phone,
    switch_index,
)
from tests.agent.helpers import finish, make_settings, plan, tap

SCREENS = settings_phone()
NI = idx(SCREENS["settings"], "Network & internet")
INTERNET = idx(SCREENS["network"], "Internet")
BATTERY = idx(SCREENS["settings"], "Battery")
#: A thought that would run script if a page did not escape it.
EVIL = (
    'Tap "Network & internet" <script>window.__pwned = 1</script>'
    '<img src=x onerror="window.__pwned = 2">'
)
SECRET = "hunter2 <b>bold</b>"
#: The episode folders `record_run` writes, in order.
NAMES = [
    "01-wifi",
    "02-scroll",
    "03-redacted",
    "04-failing",
    "05-crashed",
    "06-no-screens",
    "07-sim-wifi",
]


def point(x: int, y: int) -> dict[str, object]:
    return {"type": "tap", "target": {"x": x, "y": y}}


async def _run(
    task: str,
    device: FakeDevice,
    model: ScriptedModel | FunctionModel,
    out: Path,
    episode_id: str,
    **settings: object,
) -> EpisodeResult:
    clock = FakeClock()
    return await run_episode(
        task,
        device,
        RoleModels.same(model),
        None,
        make_settings(**settings),
        out,
        episode_id=episode_id,
        clock=clock,
        sleep=clock.sleep,
    )


async def checked_and_corrected(out: Path, episode_id: str = "01-wifi") -> EpisodeResult:
    """TAC (the model) rejects a tap on Battery, ACA corrects it; then element taps that the
    model checks, an SRA lesson, and finish. The first thought carries markup."""
    internet = settings_phone()["internet"]
    model = ScriptedModel(
        [
            Expect(plan(EVIL, point(100, 320)), role="manager"),
            Expect({"consistent": False, "reason": "the marker is on <Battery>"}, role="tac"),
            Expect(
                {
                    "error_type": "parameters_or_target",
                    "thought": 'Tap "Network & internet" instead',
                    "action": point(100, 120),
                },
                role="aca",
            ),
            Expect({"success": True, "analysis": "the network page opened"}, role="sra"),
            Expect(plan('Tap "Internet"', tap(INTERNET)), role="manager"),
            Expect({"consistent": True, "reason": "the box is on Internet"}, role="tac"),
            Expect(
                {
                    "success": True,
                    "analysis": "the Internet page opened",
                    "lesson": "Wi-Fi lives under Network & internet > Internet",
                },
                role="sra",
            ),
            Expect(plan("Flip the Wi-Fi switch", tap(switch_index(internet))), role="manager"),
            Expect({"consistent": True, "reason": "the switch"}, role="tac"),
            Expect({"success": True, "analysis": "Wi-Fi is on"}, role="sra"),
            Expect(finish(), role="manager"),
        ]
    )
    result = await _run(
        "Turn on Wi-Fi",
        FakeDevice(current="settings"),
        model,
        out,
        episode_id,
        tac_skip_when_confident=False,
    )
    model.assert_exhausted()
    return result


async def drawn_by_the_viewer(out: Path, episode_id: str = "02-scroll") -> EpisodeResult:
    """TAC off: no action images are recorded, so the viewer draws taps and a scroll."""
    model = ScriptedModel(
        [
            plan("Scroll to see more", {"type": "scroll", "direction": "down"}),
            plan('Tap "Network & internet"', point(100, 120)),
            plan("Go back", {"type": "press", "key": "back"}),
            finish("failure"),
        ]
    )
    result = await _run(
        "Look around Settings",
        FakeDevice(current="settings"),
        model,
        out,
        episode_id,
        use_tac=False,
        use_aca=False,
        use_sra=False,
    )
    model.assert_exhausted()
    return result


def _form_phone() -> dict[str, Screen]:
    screens = settings_phone()
    screens["form"] = Screen(
        "form",
        "com.android.contacts",
        [
            el(40, "Name", clickable=False),
            replace(
                el(100, "", x2=W, editable=True, focusable=True, focused=True),
                resource_id="com.android.contacts:id/name",
                class_name="android.widget.EditText",
            ),
            el(300, "Save"),
        ],
    )
    return screens


async def redacted(out: Path, episode_id: str = "03-redacted") -> EpisodeResult:
    """Typed text kept out of the records (`log_typed_text` off)."""
    model = ScriptedModel(
        [
            plan(f'Type "{SECRET}" into the name field', {"type": "type", "text": SECRET}),
            finish(),
        ]
    )
    result = await _run(
        f"Save a contact called {SECRET}",
        FakeDevice(screens=_form_phone(), current="form"),
        model,
        out,
        episode_id,
        use_tac=False,
        use_aca=False,
        use_sra=False,
        log_typed_text=False,
    )
    model.assert_exhausted()
    return result


async def failing(out: Path, episode_id: str = "04-failing") -> EpisodeResult:
    """Replies that never parse: failed steps, then the loop gives up."""
    model = FunctionModel(lambda call: "I think I should tap the button")
    return await _run(
        "Open Battery",
        FakeDevice(current="settings"),
        model,
        out,
        episode_id,
        reply_retries=1,
        max_consecutive_failures=2,
    )


async def crashed(out: Path, episode_id: str = "05-crashed") -> Path:
    """A bug in the device mid-episode: `run_episode` records the crash and re-raises."""
    executes = 0

    def fault(what: str, n: int) -> None:
        nonlocal executes
        if what == "execute":
            executes += 1
            if executes == 2:
                raise RuntimeError("the device exploded")

    def reply(call: Call) -> str | dict[str, object]:
        if call.role == "sra":
            return {"success": False, "analysis": "nothing changed", "guidance": "try again"}
        # an element target that the pre-check confirms: no checker image is recorded
        return plan('Tap "Battery"', tap(BATTERY))

    try:
        await _run(
            "Open Battery",
            FakeDevice(current="settings", fault=fault),
            FunctionModel(reply),
            out,
            episode_id,
        )
    except RuntimeError:
        pass
    else:  # pragma: no cover - the fault always fires
        raise AssertionError("the episode did not crash")
    return out / episode_id


async def no_screens(out: Path, episode_id: str = "06-no-screens") -> EpisodeResult:
    """Screenshots not kept (`log_screens` off)."""
    model = ScriptedModel([plan('Tap "Network & internet"', point(100, 120)), finish()])
    result = await _run(
        "Open network settings",
        FakeDevice(current="settings"),
        model,
        out,
        episode_id,
        use_tac=False,
        use_aca=False,
        use_sra=False,
        log_screens=False,
    )
    model.assert_exhausted()
    return result


async def _no_wait(seconds: float) -> None:
    return None


async def on_the_simulated_phone(out: Path, episode_id: str = "07-sim-wifi") -> EpisodeResult:
    """The heuristic baseline turns Wi-Fi on, on the simulated phone over ADB (`AdbDevice`)."""
    phone = Phone(seed=0)
    phone.set_wifi(False)
    settings = Settings.model_validate(
        {"data_dir": out.parent / "data", "device": {"connect_timeout_s": 5}}
    )
    clock = FakeClock()
    async with open_device(settings, "sim", phone=phone, sleep=_no_wait) as device:
        result = await run_episode(
            "Turn on Wi-Fi",
            device,
            RoleModels.same(HeuristicPolicy()),
            None,
            settings,
            out,
            episode_id=episode_id,
            clock=clock,
            sleep=clock.sleep,
        )
    assert result.success and phone.state.settings.wifi is True
    return result


async def record_run(out: Path) -> list[Path]:
    """One of each kind of episode under `out`, as a benchmark's --out would hold them."""
    made = [
        (await checked_and_corrected(out)).path,
        (await drawn_by_the_viewer(out)).path,
        (await redacted(out)).path,
        (await failing(out)).path,
        await crashed(out),
        (await no_screens(out)).path,
        (await on_the_simulated_phone(out)).path,
    ]
    return made


def record_run_sync(out: Path) -> list[Path]:
    return asyncio.run(record_run(out))
