"""open_tip_store: what the agent loop calls, and how it degrades."""

from __future__ import annotations

import logging
import socket
from collections.abc import Callable

import pytest

from artemis.config import Settings
from artemis.errors import TipStoreError
from artemis.tips import NoTipStore, TolerantTipStore, open_tip_store
from artemis.tips.base import ScoredTip, Tip, TipStore
from artemis.tips.store import ChromaTipStore


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def test_open_gives_a_working_store(make_settings: Callable[..., Settings]) -> None:
    store = await open_tip_store(make_settings())
    try:
        assert isinstance(store, TolerantTipStore) and isinstance(store.inner, ChromaTipStore)
        got = await store.retrieve(app="com.android.settings", task="turn on wifi", k=1)
        assert "Wi-Fi" in got[0].tip.text
    finally:
        await store.aclose()
    required = await open_tip_store(make_settings(required=True))
    await required.aclose()
    assert isinstance(required, ChromaTipStore) and required.closed


async def test_unreachable_server_degrades_to_no_tips_with_a_warning(
    make_settings: Callable[..., Settings], caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with caplog.at_level(logging.WARNING, logger="artemis.tips"):
        store = await open_tip_store(make_settings(chroma_url=url))
    assert isinstance(store, NoTipStore)
    assert await store.retrieve(app="com.android.settings", task="wifi") == []
    assert await store.propose(Tip(app="org.tasks", text="x")) is None
    assert any("no tips for this run" in r.message and url in r.message for r in caplog.records)


async def test_unreachable_server_is_an_error_when_tips_are_required(
    make_settings: Callable[..., Settings],
) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    with pytest.raises(TipStoreError, match="cannot reach the Chroma server") as info:
        await open_tip_store(make_settings(chroma_url=url, required=True))
    assert "chroma run" in str(info.value)


async def test_bad_url_is_a_clear_error(make_settings: Callable[..., Settings]) -> None:
    with pytest.raises(TipStoreError, match="not an http"):
        await open_tip_store(make_settings(chroma_url="ftp://x", required=True))


async def test_tips_off_means_no_store(tmp_path: object) -> None:
    settings = Settings(agent={"use_tips": False})
    assert isinstance(await open_tip_store(settings), NoTipStore)


class _Flaky:
    def __init__(self) -> None:
        self.fail = True

    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        if self.fail:
            raise TipStoreError("server went away")
        return [ScoredTip(Tip(app="*", text="ok"), 1.0)]

    async def propose(self, tip: Tip) -> Tip | None:
        raise TipStoreError("server went away")

    async def aclose(self) -> None:
        raise TipStoreError("server went away")


async def test_failures_after_opening_cost_tips_not_the_episode(
    caplog: pytest.LogCaptureFixture,
) -> None:
    inner = _Flaky()
    assert isinstance(inner, TipStore)
    store = TolerantTipStore(inner)
    with caplog.at_level(logging.WARNING, logger="artemis.tips"):
        assert await store.retrieve(app=None, task="t") == []
        assert await store.retrieve(app=None, task="t") == []
        assert await store.propose(Tip(app="*", text="x")) is None
        inner.fail = False
        assert len(await store.retrieve(app=None, task="t")) == 1
        await store.aclose()
    messages = [r.message for r in caplog.records]
    assert sum("going on without tips" in m for m in messages) == 1
    assert any("back after 3 failed calls" in m for m in messages)
    assert any("closing the tip store failed: server went away" in m for m in messages)
