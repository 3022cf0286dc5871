"""App tips: the TipStore contract, the ChromaDB store, embeddings, the YAML corpus.

The agent loop opens its store with `await open_tip_store(settings)` and calls `retrieve` and
`propose` on it (the `TipStore` protocol in `artemis.tips.base`). Names that need ChromaDB
are imported on first use, so `artemis.tips.base` stays cheap to import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from artemis.tips.base import GENERAL_APP, InMemoryTipStore, ScoredTip, Tip, TipSource, TipStore

if TYPE_CHECKING:
    from artemis.tips.database import TipDatabase
    from artemis.tips.factory import NoTipStore, TolerantTipStore, open_tip_store
    from artemis.tips.store import ChromaTipStore

_LAZY = {
    "ChromaTipStore": "artemis.tips.store",
    "TipDatabase": "artemis.tips.database",
    "NoTipStore": "artemis.tips.factory",
    "TolerantTipStore": "artemis.tips.factory",
    "open_tip_store": "artemis.tips.factory",
}


def __getattr__(name: str) -> Any:
    if name in _LAZY:
        import importlib

        return getattr(importlib.import_module(_LAZY[name]), name)
    raise AttributeError(f"module 'artemis.tips' has no attribute {name!r}")


__all__ = [
    "GENERAL_APP",
    "ChromaTipStore",
    "InMemoryTipStore",
    "NoTipStore",
    "ScoredTip",
    "Tip",
    "TipDatabase",
    "TipSource",
    "TipStore",
    "TolerantTipStore",
    "open_tip_store",
]
