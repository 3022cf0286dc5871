"""Closing tip stores: an embedded ChromaDB client holds about a hundred file descriptors
(sqlite, index files, threads) until it is closed."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from artemis.config import Settings
from artemis.errors import EmbeddingMismatchError, TipStoreError
from artemis.tips import TolerantTipStore, open_tip_store
from artemis.tips.base import InMemoryTipStore, Tip
from artemis.tips.factory import NoTipStore
from artemis.tips.store import ChromaTipStore

SETTINGS = "com.android.settings"
FD_DIR = Path("/proc/self/fd")
# Descriptors the count may drift by for reasons of its own (a log file, a lazily made pipe).
TOLERANCE = 5

needs_proc = pytest.mark.skipif(not FD_DIR.is_dir(), reason="no /proc/self/fd to count")


def _open_fds() -> int:
    return len(os.listdir(FD_DIR))


@needs_proc
async def test_opening_and_closing_twenty_stores_leaves_the_descriptor_count_flat(
    make_settings: Callable[..., Settings], tmp_path: Path
) -> None:
    async def use_once(i: int) -> None:
        store = await open_tip_store(make_settings(path=tmp_path / f"store{i}"))
        try:
            got = await store.retrieve(app=SETTINGS, task="turn on wifi", k=2)
            assert got and "Wi-Fi" in got[0].tip.text
            assert await store.propose(Tip(app=SETTINGS, text=f"Lesson number {i}.")) is not None
        finally:
            await store.aclose()

    await use_once(-1)  # the first client starts what chromadb keeps for the process
    before = _open_fds()
    for i in range(20):
        await use_once(i)
        # Checked every time, so that a leak fails at once rather than after 2,000 files.
        assert _open_fds() - before <= TOLERANCE, f"after {i + 1} stores"


@needs_proc
def test_a_store_that_fails_to_open_leaves_nothing_open(
    make_settings: Callable[..., Settings],
) -> None:
    ChromaTipStore.connect(make_settings()).close()  # built with the default embedding
    before = _open_fds()
    for _ in range(5):  # a client left open here holds about 6 descriptors
        with pytest.raises(EmbeddingMismatchError):
            ChromaTipStore.connect(make_settings(embedding="hash:256"))
    assert _open_fds() - before <= TOLERANCE


async def test_closing_twice_is_harmless_and_a_closed_store_says_so(
    make_settings: Callable[..., Settings],
) -> None:
    store = ChromaTipStore.connect(make_settings())
    await store.aclose()
    await store.aclose()
    store.close()
    assert store.closed
    with pytest.raises(TipStoreError, match="is closed"):
        await store.retrieve(app=SETTINGS, task="wifi")
    with pytest.raises(TipStoreError, match="is closed"):
        store.db.list_tips()
    # Through the tolerant wrapper, a closed store costs the tips, like any failing store.
    assert await TolerantTipStore(store).retrieve(app=SETTINGS, task="wifi") == []


async def test_the_degrading_wrapper_closes_the_store_it_wraps(
    make_settings: Callable[..., Settings],
) -> None:
    async with contextlib.aclosing(await open_tip_store(make_settings())) as tips:
        assert isinstance(tips, TolerantTipStore) and isinstance(tips.inner, ChromaTipStore)
        assert await tips.retrieve(app=SETTINGS, task="turn on wifi", k=1)
    assert tips.inner.closed
    await tips.aclose()  # again: still harmless


async def test_stores_on_one_folder_share_chroma_until_the_last_one_closes(
    make_settings: Callable[..., Settings],
) -> None:
    with ChromaTipStore.connect(make_settings()) as one:
        two = ChromaTipStore.connect(make_settings())
        try:
            one.close()
            got = await two.retrieve(app=SETTINGS, task="turn on wifi", k=1)
            assert "Wi-Fi" in got[0].tip.text
        finally:
            two.close()
    with ChromaTipStore.connect(make_settings()) as three:  # the folder opens again
        assert "Wi-Fi" in three.db.retrieve(app=SETTINGS, task="wifi", k=1)[0].tip.text


async def test_stores_without_resources_close_too() -> None:
    for store in (InMemoryTipStore(), NoTipStore()):
        await store.aclose()
        await store.aclose()
