"""A small LRU of async results, where concurrent requests for one key share one computation.

Several ScreenSpot samples share a screenshot: its preparation (or its OCR) runs once, and
samples that ask while it runs wait for the same result. A failure is not cached.
"""

from __future__ import annotations

import asyncio
from collections import OrderedDict
from collections.abc import Awaitable, Callable, Hashable
from typing import Generic, TypeVar

K = TypeVar("K", bound=Hashable)
V = TypeVar("V")


class AsyncLru(Generic[K, V]):
    def __init__(self, size: int) -> None:
        self._size = max(1, size)
        self._items: OrderedDict[K, asyncio.Future[V]] = OrderedDict()

    async def get(self, key: K, compute: Callable[[], Awaitable[V]]) -> V:
        fut = self._items.get(key)
        if fut is not None:
            self._items.move_to_end(key)
            # shield: one waiter's cancellation must not cancel the others' result.
            return await asyncio.shield(fut)
        fut = asyncio.get_running_loop().create_future()
        self._items[key] = fut
        while len(self._items) > self._size:
            self._items.popitem(last=False)
        try:
            value = await compute()
        except asyncio.CancelledError:
            self._forget(key, fut)
            fut.cancel()
            raise
        except Exception as exc:
            self._forget(key, fut)
            fut.set_exception(exc)
            fut.exception()  # marked as retrieved: waiters get it; nobody else must
            raise
        fut.set_result(value)
        return value

    def _forget(self, key: K, fut: asyncio.Future[V]) -> None:
        if self._items.get(key) is fut:
            del self._items[key]
