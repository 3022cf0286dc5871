"""ScreenTips: a screen's tips asked for when it arrives, and taken by the plan for it."""

from __future__ import annotations

import asyncio

from artemis.agent.screen_tips import ScreenTips
from artemis.observation import Observation
from artemis.tips.base import InMemoryTipStore, ScoredTip, Tip
from tests.agent.helpers import make_settings


class HeldTips(InMemoryTipStore):
    """Answers each query only when `release` is set; counts the queries by app."""

    def __init__(self) -> None:
        super().__init__([Tip(app="com.android.settings", text="Wi-Fi is under Network")])
        self.asked: list[str | None] = []
        self.release = asyncio.Event()

    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        self.asked.append(app)
        await self.release.wait()
        return await super().retrieve(app=app, task=task, screen_text=screen_text, k=k)


def screen(package: str) -> Observation:
    return Observation(screenshot=b"", width=1080, height=2400, package=package)


async def test_the_retrieval_started_for_a_screen_is_the_one_its_plan_takes() -> None:
    store = HeldTips()
    tips = ScreenTips(store, "turn on wi-fi", make_settings())
    shown = screen("com.android.settings")
    tips.soon(shown)
    await asyncio.sleep(0)  # the retrieval is under way before anyone asks
    assert store.asked == ["com.android.settings"]
    store.release.set()
    found = await tips.for_screen(shown)
    assert [t.tip.text for t in found.tips] == ["Wi-Fi is under Network"]
    assert store.asked == ["com.android.settings"]  # taken, not asked again
    await tips.for_screen(shown)  # taken once: a second plan asks afresh
    assert store.asked == ["com.android.settings"] * 2


async def test_a_newer_screen_cancels_the_retrieval_nobody_will_take() -> None:
    store = HeldTips()
    tips = ScreenTips(store, "turn on wi-fi", make_settings())
    old, new = screen("com.android.launcher3"), screen("com.android.settings")
    tips.soon(old)
    await asyncio.sleep(0)
    in_flight = tips._soon
    assert in_flight is not None
    tips.soon(new)
    await asyncio.sleep(0)
    assert in_flight[1].cancelled()
    store.release.set()
    assert (await tips.for_screen(new)).tips
    assert store.asked == ["com.android.launcher3", "com.android.settings"]
    tips.soon(old)
    await asyncio.sleep(0)
    tips.forget()  # the episode ends
    await asyncio.sleep(0)
    assert tips._soon is None


async def test_nothing_is_asked_without_a_store_or_with_tips_off() -> None:
    store = HeldTips()
    for tips in (
        ScreenTips(None, "t", make_settings()),
        ScreenTips(store, "t", make_settings(use_tips=False)),
    ):
        tips.soon(screen("com.android.settings"))
        assert tips._soon is None
    assert (await ScreenTips(None, "t", make_settings()).for_screen(screen("x"))).tips == []
    assert store.asked == []
