"""The async LRU that lets samples of one screenshot share its preparation."""

from __future__ import annotations

import asyncio

import pytest

from artemis.bench.screenspot.cache import AsyncLru


async def test_concurrent_requests_for_a_key_share_one_computation() -> None:
    cache: AsyncLru[str, int] = AsyncLru(4)
    started = 0
    gate = asyncio.Event()

    async def compute() -> int:
        nonlocal started
        started += 1
        await gate.wait()
        return 42

    tasks = [asyncio.create_task(cache.get("a", compute)) for _ in range(5)]
    await asyncio.sleep(0)  # let every task reach the cache
    gate.set()
    assert await asyncio.gather(*tasks) == [42] * 5
    assert started == 1


async def test_failures_are_not_cached_and_old_keys_are_evicted() -> None:
    cache: AsyncLru[str, str] = AsyncLru(2)
    calls: list[str] = []

    async def ok(key: str) -> str:
        calls.append(key)
        return key.upper()

    async def boom() -> str:
        raise OSError("unreadable")

    with pytest.raises(OSError):
        await cache.get("x", boom)
    assert await cache.get("x", lambda: ok("x")) == "X"  # computed again after the failure
    await cache.get("y", lambda: ok("y"))
    await cache.get("z", lambda: ok("z"))  # evicts x
    await cache.get("x", lambda: ok("x"))
    assert calls == ["x", "y", "z", "x"]


async def test_a_cancelled_computation_is_forgotten() -> None:
    cache: AsyncLru[str, int] = AsyncLru(2)
    never = asyncio.Event()

    async def stuck() -> int:
        await never.wait()
        return 0

    task = asyncio.create_task(cache.get("k", stuck))
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task

    async def one() -> int:
        return 1

    assert await cache.get("k", one) == 1
