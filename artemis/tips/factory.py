"""How the agent loop gets its tip store: `await open_tip_store(settings)`.

With `settings.tips.required = False` (the default) a store that cannot be opened, or that
fails later (a Chroma server gone away), costs the agent its tips, not its episode: the
failure is logged as a warning and retrieval returns no tips. With `required = True` the
`TipStoreError` propagates.

The caller owns the store it gets and closes it: `await store.aclose()`, or
`async with contextlib.aclosing(await open_tip_store(settings)) as tips: ...`.
"""

from __future__ import annotations

import asyncio
import logging

from artemis.config import Settings
from artemis.errors import TipStoreError
from artemis.tips.base import ScoredTip, Tip, TipStore
from artemis.tips.store import ChromaTipStore

log = logging.getLogger(__name__)


class NoTipStore:
    """A TipStore with no tips: used when tips are off or the store is out of reach."""

    def __init__(self, reason: str = "tips are off") -> None:
        self.reason = reason

    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        return []

    async def propose(self, tip: Tip) -> Tip | None:
        return None

    async def aclose(self) -> None:
        """Nothing to release."""


class TolerantTipStore:
    """Wraps a store so that its failures become a logged warning and no tips.

    Warns once per kind of failure and run of failures, not on every step.
    """

    def __init__(self, inner: TipStore) -> None:
        self.inner = inner
        self.failures = 0

    def _failed(self, what: str, exc: TipStoreError) -> None:
        self.failures += 1
        if self.failures == 1:
            log.warning("tip store failed (%s), going on without tips: %s", what, exc)

    def _ok(self) -> None:
        if self.failures:
            log.warning("tip store is back after %d failed calls", self.failures)
            self.failures = 0

    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        try:
            tips = await self.inner.retrieve(app=app, task=task, screen_text=screen_text, k=k)
        except TipStoreError as exc:
            self._failed("retrieve", exc)
            return []
        self._ok()
        return tips

    async def propose(self, tip: Tip) -> Tip | None:
        try:
            out = await self.inner.propose(tip)
        except TipStoreError as exc:
            self._failed("propose", exc)
            return None
        self._ok()
        return out

    async def aclose(self) -> None:
        """Close the wrapped store; a failure to close is logged, like any other."""
        try:
            await self.inner.aclose()
        except TipStoreError as exc:
            log.warning("closing the tip store failed: %s", exc)


async def open_tip_store(settings: Settings) -> TipStore:
    """The tip store the settings describe, ready for `retrieve` and `propose`.

    - `agent.use_tips = False`: a store with no tips.
    - Otherwise a `ChromaTipStore` (embedded at `settings.tips_path`, or the server at
      `tips.chroma_url`), seeded from the corpus on first open or when the corpus changed.
    - `tips.required = False`: failures (on opening or later) degrade to no tips, with a warning.

    The caller closes the store (`await store.aclose()`).
    """
    if not settings.agent.use_tips:
        return NoTipStore()
    try:
        store = await asyncio.to_thread(ChromaTipStore.connect, settings)
    except TipStoreError as exc:
        if settings.tips.required:
            raise
        log.warning("no tips for this run: %s", exc)
        return NoTipStore(str(exc))
    if settings.tips.required:
        return store
    return TolerantTipStore(store)
