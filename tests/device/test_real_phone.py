"""`AdbDevice` driving the simulated phone (`artemis.sim.phone.Phone`) through `open_device`."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from artemis.actions import ElementTarget, OpenApp, Press, Scroll, Tap, TypeText
from artemis.apps import SIM_APPS
from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.connect import SimSession, open_device, open_sim
from artemis.observation import UIElement
from artemis.sim.phone import Phone

#: The phone's apps a user opens by name (the launcher is where they start).
APPS = {label: package for package, label in SIM_APPS.items() if label != "Launcher"}


@pytest.fixture
def pixel() -> Phone:
    return Phone(seed=0)


@pytest.fixture
async def session(settings: Settings, pixel: Phone) -> AsyncIterator[SimSession]:
    async with open_sim(settings, phone=pixel) as opened:
        yield opened


@pytest.fixture
def sim(session: SimSession) -> AdbDevice:
    return session.device


def _by_text(ui: tuple[UIElement, ...] | None, text: str) -> UIElement:
    assert ui is not None
    return next(e for e in ui if e.text == text)


async def test_observe_the_launcher(sim: AdbDevice, pixel: Phone) -> None:
    obs = await sim.observe()
    assert (obs.width, obs.height) == (1080, 2400)
    assert obs.screenshot == pixel.screencap_png()
    assert obs.package == "com.android.launcher3"
    assert obs.ui is not None and {e.text for e in obs.ui} >= set(APPS)


async def test_tap_an_element_by_index_then_back(sim: AdbDevice) -> None:
    ui = (await sim.observe()).ui
    await sim.execute(Tap(target=ElementTarget(index=_by_text(ui, "Settings").index)), ui=ui)
    assert (await sim.current_app()).package == "com.android.settings"
    await sim.execute(Press(key="home"))
    assert (await sim.current_app()).package == "com.android.launcher3"


@pytest.mark.parametrize(("label", "package"), APPS.items())
async def test_open_each_app_by_its_label(sim: AdbDevice, label: str, package: str) -> None:
    await sim.execute(OpenApp(app=label))
    assert (await sim.current_app()).package == package


async def test_scroll_down_reveals_more_contacts(sim: AdbDevice) -> None:
    await sim.open_app("Contacts")
    before = (await sim.observe()).ui
    await sim.execute(Scroll(direction="down"), ui=before)
    after = (await sim.observe()).ui
    assert before is not None and after is not None
    names = lambda ui: [e.text for e in ui if e.text and e.class_name.endswith("TextView")]  # noqa: E731
    assert names(after) != names(before)
    assert names(after)[-1] not in names(before)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    text=st.text(
        alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zl", "Zp")),
        min_size=1,
        max_size=30,
    )
)
@example(text="$(touch /sdcard/pwned); reboot && echo 'x' \"y\" `id` %s 100%")
@example(text="caf\u00e9 \u65e5\u672c\u8a9e \U0001f600")
async def test_typed_text_arrives_in_the_focused_field(
    session: SimSession, sim: AdbDevice, pixel: Phone, text: str
) -> None:
    if pixel.foreground()[0] != "com.android.contacts":
        await sim.open_app("Contacts")
    ui = await sim.ui_tree()
    field = next(e for e in ui or () if e.editable)
    action = TypeText(text=text, target=ElementTarget(index=field.index), clear_first=True)
    await sim.execute(action, ui=ui)
    after = await sim.ui_tree()
    assert after is not None
    typed = next(e for e in after if e.editable)
    assert typed.text == text
    assert not pixel.fs.exists("/sdcard/pwned")
    assert session.server.ctx.reboots == 0


async def test_open_device_sim_builds_the_seeded_phone(settings: Settings) -> None:
    async with open_device(settings, "sim", seed=1) as dev:
        info = await dev.info()
        assert (info.model, info.android_version, info.width, info.height) == (
            "Pixel 6",
            "13",
            1080,
            2400,
        )
    async with open_sim(settings, seed=1) as session:
        assert isinstance(session.server.phone, Phone)
