"""`ChromaTipStore`: the agent's `TipStore` on ChromaDB, embedded or on a `chroma run` server.

It is the async face of `artemis.tips.database.TipDatabase`: the three calls of the contract
(`retrieve`, `propose`, `aclose`) run the database's in a worker thread, off the event loop.
Everything else (listing, adding, accepting, rebuilding) is the database's, reached through
`store.db` or by opening a `TipDatabase` directly.
"""

from __future__ import annotations

import asyncio
from typing import Any

from artemis.config import Settings
from artemis.tips.base import ScoredTip, Tip
from artemis.tips.database import TipDatabase
from artemis.tips.records import GENERAL_COLLECTION, collection_name, embed_text, make_client
from artemis.tips.writing import DEDUP_THRESHOLD


class ChromaTipStore:
    """The TipStore on ChromaDB. Open it with `ChromaTipStore.connect(settings)` (blocking)
    or `await artemis.tips.open_tip_store(settings)`; close it with `await store.aclose()`."""

    def __init__(self, db: TipDatabase) -> None:
        self.db = db

    @classmethod
    def connect(cls, settings: Settings, **options: Any) -> ChromaTipStore:
        """Open the store the settings name (blocking); `options` as `TipDatabase.connect`."""
        return cls(TipDatabase.connect(settings, **options))

    @property
    def closed(self) -> bool:
        return self.db.closed

    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        """The best accepted tips for `app` (general ones weighted lower), best first."""
        return await asyncio.to_thread(
            self.db.retrieve, app=app, task=task, screen_text=screen_text, k=k
        )

    async def propose(self, tip: Tip) -> Tip | None:
        """Store a learnt tip as a candidate (accepted at once when `auto_accept` is set);
        None when it duplicates a stored tip (same text, or similarity ≥ dedup_threshold)."""
        return await asyncio.to_thread(self.db.propose, tip)

    def close(self) -> None:
        self.db.close()

    async def aclose(self) -> None:
        await asyncio.to_thread(self.db.close)

    def __enter__(self) -> ChromaTipStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


__all__ = [
    "DEDUP_THRESHOLD",
    "GENERAL_COLLECTION",
    "ChromaTipStore",
    "TipDatabase",
    "collection_name",
    "embed_text",
    "make_client",
]
