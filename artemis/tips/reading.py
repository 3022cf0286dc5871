"""Reading tips: retrieval for the agent, search and listing for people.

Retrieval embeds the task and the screen text, combines them (the task weighs more), asks
the app's collection and the general collection for their best k each, multiplies general
scores by `general_weight`, and returns the best k overall. Candidates live in their own
collection, so they never come back from `retrieve` until accepted.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from artemis.tips.base import GENERAL_APP, ScoredTip, Tip
from artemis.tips.chroma import TipCollections
from artemis.tips.records import CANDIDATES_COLLECTION, collection_name, tip_from_record

_SCREEN_CHARS = 4000


class TipReader:
    """Queries over a store's collections."""

    def __init__(
        self, cols: TipCollections, *, general_weight: float = 0.5, screen_weight: float = 0.35
    ) -> None:
        self.cols = cols
        self.general_weight = general_weight
        self.screen_weight = screen_weight

    def query_vector(self, task: str, screen_text: str) -> np.ndarray:
        screen = " ".join(screen_text.split())[:_SCREEN_CHARS]
        if not screen:
            return self.cols.embed([task])[0]
        t, s = self.cols.embed([task, screen])
        q = t + self.screen_weight * s
        norm = float(np.linalg.norm(q))
        return q / norm if norm else t

    def nearest(
        self, col: Any, vec: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[Tip, float]]:
        if k <= 0:
            return []
        # ChromaDB returns fewer than n_results when the collection is smaller; no count().
        res = self.cols.guard(
            col.query,
            query_embeddings=[vec],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        return [
            (tip_from_record(tid, doc, meta), max(0.0, min(1.0, 1.0 - float(dist))))
            for tid, doc, meta, dist in zip(
                res["ids"][0],
                res["documents"][0],
                res["metadatas"][0],
                res["distances"][0],
                strict=True,
            )
        ]

    def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        """The best accepted tips for `app` (general ones weighted lower), best first."""
        if k <= 0:
            return []
        vec = self.query_vector(task, screen_text)
        scored: list[ScoredTip] = []
        if app and app != GENERAL_APP:
            col = self.cols.of_app(app)
            if col is not None:
                scored += [ScoredTip(t, s) for t, s in self.nearest(col, vec, k)]
        general = self.cols.of_app(GENERAL_APP)
        if general is not None:
            scored += [
                ScoredTip(t, s * self.general_weight) for t, s in self.nearest(general, vec, k)
            ]
        scored.sort(key=lambda st: -st.score)
        return scored[:k]

    def search(self, query: str, *, app: str | None = None, k: int = 5) -> list[ScoredTip]:
        """With an app: what `retrieve` returns. Without: the best tips of every app."""
        if app is not None:
            return self.retrieve(app=app, task=query, k=k)
        vec = self.query_vector(query, "")
        scored: list[ScoredTip] = []
        for col in self.cols.tip_collections():
            if col.name == CANDIDATES_COLLECTION:
                continue
            mine = self.cols.get(col.name, (col.metadata or {}).get("app", ""), create=False)
            if mine is not None:
                scored += [ScoredTip(t, s) for t, s in self.nearest(mine, vec, k)]
        scored.sort(key=lambda st: -st.score)
        return scored[:k]

    def list_tips(
        self, *, app: str | None = None, status: str | None = None, origin: str | None = None
    ) -> list[Tip]:
        """Stored tips, general first, then by app, status and text."""
        tips: list[Tip] = []
        for col in self.cols.tip_collections():
            if app is not None and col.name not in (collection_name(app), CANDIDATES_COLLECTION):
                continue
            conds = [{k: v} for k, v in (("app", app), ("origin", origin)) if v is not None]
            where: dict[str, Any] | None = None
            if len(conds) == 1:
                where = conds[0]
            elif conds:
                where = {"$and": conds}
            res = self.cols.guard(col.get, where=where, include=["documents", "metadatas"])
            tips += [
                tip_from_record(i, d, m)
                for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
            ]
        if status is not None:
            tips = [t for t in tips if t.status == status]
        return sorted(tips, key=lambda t: (t.app != GENERAL_APP, t.app, t.status, t.text))

    def find(self, tip_id: str) -> tuple[Any, Tip] | None:
        """The collection holding `tip_id`, and the tip."""
        for col in self.cols.tip_collections():
            res = self.cols.guard(col.get, ids=[tip_id], include=["documents", "metadatas"])
            if res["ids"]:
                return col, tip_from_record(res["ids"][0], res["documents"][0], res["metadatas"][0])
        return None

    def get(self, tip_id: str) -> Tip | None:
        found = self.find(tip_id)
        return found[1] if found else None
