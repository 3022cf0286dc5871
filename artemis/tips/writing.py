"""Writing tips: adding, proposing learnt ones, accepting, removing.

Accepted tips go into their app's collection, candidates into a collection of their own.
A proposal that repeats a stored tip of its app (or a general one, or a candidate) nearly
word for word is dropped: see `DEDUP_THRESHOLD`.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import numpy as np

from artemis.errors import TipStoreError
from artemis.tips.base import GENERAL_APP, Tip
from artemis.tips.chroma import TipCollections
from artemis.tips.reading import TipReader
from artemis.tips.records import (
    CANDIDATES_COLLECTION,
    Origin,
    checked,
    collection_name,
    embed_text,
    tip_metadata,
)

log = logging.getLogger(__name__)

BATCH = 1000

# Cosine similarity at or above which a proposed tip counts as a duplicate of a stored tip of
# the same app (or a general one). A false merge loses a lesson, a missed one costs a person a
# look at one more candidate, so the thresholds only catch repeats nearly word for word. With
# `hash`, such repeats score 0.96-1.00, restatements in other words 0.48-0.84, and different
# tips up to 0.82 (benchmarks/tips_quality.py). minilm and openai are not measured here.
DEDUP_THRESHOLD = {"hash": 0.90, "minilm": 0.90, "openai": 0.90}


def target_collection(tip: Tip) -> str:
    """Where a tip lives: its app's collection when accepted, the candidates' otherwise."""
    return CANDIDATES_COLLECTION if tip.status == "candidate" else collection_name(tip.app)


def upsert(
    cols: TipCollections,
    col: Any,
    tips: Sequence[Tip],
    origins: Sequence[Origin],
    vectors: Sequence[np.ndarray] | None = None,
) -> None:
    """Upsert `tips` into `col` in batches, embedding those without a vector."""
    for start in range(0, len(tips), BATCH):
        batch = tips[start : start + BATCH]
        vecs = list(vectors[start : start + BATCH]) if vectors is not None else None
        if vecs is None:
            vecs = cols.embed([embed_text(t) for t in batch])
        cols.guard(
            col.upsert,
            ids=[t.id for t in batch],
            documents=[t.text for t in batch],
            embeddings=vecs,
            metadatas=[
                tip_metadata(t, o)
                for t, o in zip(batch, origins[start : start + BATCH], strict=True)
            ],
        )


class TipWriter:
    """Changes to a store's tips."""

    def __init__(
        self,
        cols: TipCollections,
        reader: TipReader,
        *,
        auto_accept: bool = False,
        dedup_threshold: float | None = None,
    ) -> None:
        self.cols = cols
        self.reader = reader
        self.auto_accept = auto_accept
        family = cols.embedding_setting.partition(":")[0]
        self.dedup_threshold = (
            dedup_threshold if dedup_threshold is not None else DEDUP_THRESHOLD.get(family, 0.9)
        )

    def write(
        self, tips: Sequence[Tip], origin: Origin, *, vectors: Sequence[np.ndarray] | None = None
    ) -> None:
        """Upsert tips: accepted ones into their app's collection, candidates apart."""
        groups: dict[str, list[int]] = {}
        for i, t in enumerate(tips):
            groups.setdefault(target_collection(t), []).append(i)
        for name, idx in groups.items():
            app = "" if name == CANDIDATES_COLLECTION else tips[idx[0]].app
            col = self.cols.create(name, app)
            vecs = [vectors[i] for i in idx] if vectors is not None else None
            upsert(self.cols, col, [tips[i] for i in idx], [origin] * len(idx), vecs)

    def existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for col in self.cols.tip_collections():
            for start in range(0, len(ids), BATCH):
                res = self.cols.guard(col.get, ids=list(ids[start : start + BATCH]), include=[])
                found.update(res["ids"])
        return found

    def add(self, tips: Iterable[Tip], *, origin: Origin = "user") -> list[Tip]:
        """Store tips (upsert by id); returns those that were not stored already."""
        unique: dict[str, Tip] = {}
        for tip in tips:
            t = checked(tip).with_id()
            unique.setdefault(t.id, t)
        stored = self.existing(list(unique))
        fresh = [t for i, t in unique.items() if i not in stored]
        self.write(fresh, origin)
        return fresh

    def propose(self, tip: Tip) -> Tip | None:
        """Store a learnt tip as a candidate (accepted at once when `auto_accept` is set);
        None when it duplicates a stored tip (same text, or similarity ≥ dedup_threshold)."""
        tip = checked(tip).with_id()
        if self.existing([tip.id]):
            return None
        vec = self.cols.embed([embed_text(tip)])[0]
        near: list[tuple[Tip, float]] = []
        for col in (self.cols.of_app(tip.app), self.cols.of_app(GENERAL_APP)):
            if col is not None:
                near += self.reader.nearest(col, vec, 1)
        cand = self.cols.candidates()
        if cand is not None:
            near += self.reader.nearest(cand, vec, 1, where={"app": tip.app})
        for other, sim in near:
            if sim >= self.dedup_threshold:
                log.info("learnt tip %r duplicates %s (similarity %.2f)", tip.text, other.id, sim)
                return None
        status: Literal["accepted", "candidate"] = "accepted" if self.auto_accept else "candidate"
        tip = tip.model_copy(update={"status": status})
        self.write([tip], "learnt", vectors=[vec])
        return tip

    def accept(self, tip_id: str) -> Tip:
        """Move a candidate among the accepted tips of its app; accepting twice is harmless."""
        found = self.reader.find(tip_id)
        if found is None:
            raise TipStoreError(f"no tip with id {tip_id!r} (see `artemis tips list`)")
        col, tip = found
        if tip.status == "accepted":
            return tip
        res = self.cols.guard(col.get, ids=[tip_id], include=["embeddings", "metadatas"])
        origin = res["metadatas"][0].get("origin", "learnt")
        accepted = tip.model_copy(update={"status": "accepted"})
        self.write([accepted], origin, vectors=[np.asarray(res["embeddings"][0])])
        self.cols.guard(col.delete, ids=[tip_id])
        return accepted

    def remove(self, tip_id: str) -> Tip:
        found = self.reader.find(tip_id)
        if found is None:
            raise TipStoreError(f"no tip with id {tip_id!r} (see `artemis tips list`)")
        self.cols.guard(found[0].delete, ids=[tip_id])
        return found[1]
