"""`ChromaTipStore`: the TipStore on ChromaDB, embedded or on a `chroma run` server.

Layout. One collection per app (`tips.<package>`), one for general tips (`tips-general`), one
for learnt candidates awaiting acceptance (`tips-candidates`) and one for bookkeeping
(`tips-meta`: the fingerprint of the corpus last imported). Each tip is a document (its text)
with metadata `app`, `status`, `origin` (corpus | user | learnt), `tags`, `task_kinds` and
`source` (JSON). One collection per app, rather than one collection filtered on `app`, keeps
a retrieval at the cost of a small index: benchmarks/tips_speed.py measures both.

Retrieval embeds the task and the screen text, combines them (the task weighs more), asks
the app's collection and the general collection for their best k each, multiplies general
scores by `general_weight`, and returns the best k overall. Candidates live in their own
collection, so they never come back from `retrieve` until accepted.

Every collection records the embedding that built it (`embedding` in its metadata); opening
it with another embedding raises `EmbeddingMismatchError`. Blocking calls run in a worker
thread (`asyncio.to_thread`); the `*_sync` methods are for callers without an event loop.

An open store holds files, threads and connections (an embedded client about a hundred file
descriptors) until `close()` / `await aclose()`; whoever opens a store closes it.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any, Literal, TypeVar

import numpy as np

from artemis.config import Settings
from artemis.errors import ArtemisError, EmbeddingMismatchError, TipStoreError
from artemis.tips.base import GENERAL_APP, ScoredTip, Tip
from artemis.tips.corpus import CorpusLoad, corpus_files, fingerprint, load_corpus
from artemis.tips.embeddings import TipEmbedding, make_embedding
from artemis.tips.records import (
    CANDIDATES_COLLECTION,
    GENERAL_COLLECTION,
    META_COLLECTION,
    Origin,
    checked,
    chroma_errors,
    close_client,
    collection_name,
    embed_text,
    make_client,
    tip_from_record,
    tip_metadata,
)

log = logging.getLogger(__name__)

T = TypeVar("T")

_BATCH = 1000
_SCREEN_CHARS = 4000
_MISS_TTL_S = 30.0

# Cosine similarity at or above which a proposed tip counts as a duplicate of a stored tip of
# the same app (or a general one). A false merge loses a lesson, a missed one costs a person a
# look at one more candidate, so the thresholds only catch repeats nearly word for word. With
# `hash`, such repeats score 0.96-1.00, restatements in other words 0.48-0.84, and different
# tips up to 0.82 (benchmarks/tips_quality.py). minilm and openai are not measured here.
DEDUP_THRESHOLD = {"hash": 0.90, "minilm": 0.90, "openai": 0.90}


class ChromaTipStore:
    """The TipStore on ChromaDB. Open it with `ChromaTipStore.connect(settings)` (blocking)
    or `await artemis.tips.open_tip_store(settings)`."""

    def __init__(
        self,
        client: Any,
        embedding: TipEmbedding,
        *,
        location: str,
        embedding_setting: str = "hash",
        general_weight: float = 0.5,
        auto_accept: bool = False,
        dedup_threshold: float | None = None,
        screen_weight: float = 0.35,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.client = client
        self.embedding = embedding
        self.location = location
        self.embedding_setting = embedding_setting
        self.general_weight = general_weight
        self.auto_accept = auto_accept
        family = embedding_setting.partition(":")[0]
        self.dedup_threshold = (
            dedup_threshold if dedup_threshold is not None else DEDUP_THRESHOLD.get(family, 0.9)
        )
        self.screen_weight = screen_weight
        self.seed_report: CorpusLoad | None = None
        self._clock = clock
        self._cols: dict[str, Any] = {}
        self._missing: dict[str, float] = {}
        self.closed = False

    # --- opening ----------------------------------------------------------------------------

    @classmethod
    def connect(
        cls,
        settings: Settings,
        *,
        seed: bool = True,
        check_embedding: bool = True,
        log_problems: bool = True,
    ) -> ChromaTipStore:
        """Open the store the settings name (blocking), check its embedding, and import the
        corpus when it is new or changed. Problems in the corpus are logged as warnings
        unless `log_problems` is false (the caller reports `seed_report` itself then)."""
        ts = settings.tips
        embedding = make_embedding(
            ts.embedding,
            base_url=settings.models.base_url,
            api_key=settings.models.api_key.get_secret_value() if settings.models.api_key else None,
            timeout_s=settings.models.timeout_s,
            max_retries=settings.models.max_retries,
        )
        client, location = make_client(settings)
        store = cls(
            client,
            embedding,
            location=location,
            embedding_setting=ts.embedding,
            general_weight=ts.general_weight,
            auto_accept=ts.auto_accept,
        )
        try:
            if check_embedding:
                store.check_embedding()
            if seed:
                from artemis.tips.corpus import bundled_corpus_dir

                corpus = ts.corpus or bundled_corpus_dir()
                if corpus is None:
                    log.warning("no tip corpus found: the store starts with the tips it has")
                else:
                    store.seed_sync(corpus, log_problems=log_problems)
        except BaseException:
            store.close()
            raise
        return store

    # --- closing ----------------------------------------------------------------------------

    def close(self) -> None:
        """Release the client (an embedded store's sqlite and index files, its threads; a
        server's connections) and the embedding's. Closing twice is harmless; any other call
        after it raises TipStoreError. Stores opened on the same folder in one process share
        one ChromaDB system, which stops when the last of them closes."""
        if self.closed:
            return
        self.closed = True
        self._cols.clear()
        self._missing.clear()
        try:
            close_client(self.client)
        finally:
            close_embedding = getattr(self.embedding, "close", None)
            if callable(close_embedding):
                close_embedding()

    async def aclose(self) -> None:
        await asyncio.to_thread(self.close)

    def __enter__(self) -> ChromaTipStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _guard(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a ChromaDB call, turning its failures into TipStoreError."""
        if self.closed:
            raise TipStoreError(f"tip store {self.location} is closed")
        try:
            return fn(*args, **kwargs)
        except ArtemisError:
            raise
        except chroma_errors() as exc:
            raise TipStoreError(f"tip store {self.location}: {type(exc).__name__}: {exc}") from exc

    def _ours(self) -> list[Any]:
        return [
            c
            for c in self._guard(self.client.list_collections)
            if (c.metadata or {}).get("artemis") == "tips"
        ]

    def check_embedding(self) -> None:
        """Raise EmbeddingMismatchError when any tip collection was built by another embedding."""
        for col in self._ours():
            self._check_meta(col.name, col.metadata or {})

    def _check_meta(self, name: str, meta: dict[str, Any]) -> None:
        built = meta.get("embedding")
        if built is not None and built != self.embedding.spec:
            setting = meta.get("embedding_setting", built)
            raise EmbeddingMismatchError(
                f"tip collection {name} in {self.location} was built with embedding {built!r} "
                f"(setting {setting!r}), but tips.embedding is {self.embedding_setting!r} "
                f"({self.embedding.spec!r}). Either set tips.embedding = {setting!r} again "
                f"(ARTEMIS_TIPS__EMBEDDING={setting}), or re-embed every tip with the new one: "
                "`artemis tips rebuild`."
            )

    def _collection(self, name: str, app: str, *, create: bool) -> Any | None:
        col = self._cols.get(name)
        if col is not None:
            return col
        if not create and self._clock() < self._missing.get(name, float("-inf")):
            return None
        from chromadb.errors import NotFoundError

        try:
            col = self._guard(self.client.get_collection, name, embedding_function=self.embedding)
        except TipStoreError as exc:
            if not isinstance(exc.__cause__, NotFoundError):
                raise
            if not create:
                self._missing[name] = self._clock() + _MISS_TTL_S
                return None
            col = self._guard(
                self.client.get_or_create_collection,
                name,
                embedding_function=self.embedding,
                metadata={
                    "artemis": "tips",
                    "app": app,
                    "embedding": self.embedding.spec,
                    "embedding_setting": self.embedding_setting,
                },
                configuration={"hnsw": {"space": "cosine"}},
            )
        self._check_meta(name, col.metadata or {})
        self._missing.pop(name, None)
        self._cols[name] = col
        return col

    def _create(self, name: str, app: str) -> Any:
        col = self._collection(name, app, create=True)
        assert col is not None  # create=True returns a collection or raises
        return col

    def _app_col(self, app: str) -> Any | None:
        return self._collection(collection_name(app), app, create=False)

    def _cand_col(self) -> Any | None:
        return self._collection(CANDIDATES_COLLECTION, "", create=False)

    # --- vectors ----------------------------------------------------------------------------

    def _embed(self, texts: Sequence[str]) -> list[np.ndarray]:
        return [np.asarray(v, dtype=np.float32) for v in self.embedding(list(texts))]

    def _query_vector(self, task: str, screen_text: str) -> np.ndarray:
        screen = " ".join(screen_text.split())[:_SCREEN_CHARS]
        if not screen:
            return self._embed([task])[0]
        t, s = self._embed([task, screen])
        q = t + self.screen_weight * s
        norm = float(np.linalg.norm(q))
        return q / norm if norm else t

    def _nearest(
        self, col: Any, vec: np.ndarray, k: int, where: dict[str, Any] | None = None
    ) -> list[tuple[Tip, float]]:
        if k <= 0:
            return []
        # ChromaDB returns fewer than n_results when the collection is smaller; no count().
        res = self._guard(
            col.query,
            query_embeddings=[vec],
            n_results=k,
            where=where,
            include=["documents", "metadatas", "distances"],
        )
        out: list[tuple[Tip, float]] = []
        for tid, doc, meta, dist in zip(
            res["ids"][0],
            res["documents"][0],
            res["metadatas"][0],
            res["distances"][0],
            strict=True,
        ):
            out.append((tip_from_record(tid, doc, meta), max(0.0, min(1.0, 1.0 - float(dist)))))
        return out

    # --- the TipStore contract --------------------------------------------------------------

    def retrieve_sync(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        if k <= 0:
            return []
        vec = self._query_vector(task, screen_text)
        scored: list[ScoredTip] = []
        if app and app != GENERAL_APP:
            col = self._app_col(app)
            if col is not None:
                scored += [ScoredTip(t, s) for t, s in self._nearest(col, vec, k)]
        general = self._app_col(GENERAL_APP)
        if general is not None:
            scored += [
                ScoredTip(t, s * self.general_weight) for t, s in self._nearest(general, vec, k)
            ]
        scored.sort(key=lambda st: -st.score)
        return scored[:k]

    async def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        """The best accepted tips for `app` (general ones weighted lower), best first."""
        return await asyncio.to_thread(
            self.retrieve_sync, app=app, task=task, screen_text=screen_text, k=k
        )

    def propose_sync(self, tip: Tip) -> Tip | None:
        tip = checked(tip).with_id()
        if self._existing([tip.id]):
            return None
        vec = self._embed([embed_text(tip)])[0]
        near: list[tuple[Tip, float]] = []
        for col in (self._app_col(tip.app), self._app_col(GENERAL_APP)):
            if col is not None:
                near += self._nearest(col, vec, 1)
        cand = self._cand_col()
        if cand is not None:
            near += self._nearest(cand, vec, 1, where={"app": tip.app})
        for other, sim in near:
            if sim >= self.dedup_threshold:
                log.info("learnt tip %r duplicates %s (similarity %.2f)", tip.text, other.id, sim)
                return None
        status: Literal["accepted", "candidate"] = "accepted" if self.auto_accept else "candidate"
        tip = tip.model_copy(update={"status": status})
        self._write([tip], "learnt", vectors=[vec])
        return tip

    async def propose(self, tip: Tip) -> Tip | None:
        """Store a learnt tip as a candidate (accepted at once when `auto_accept` is set);
        None when it duplicates a stored tip (same text, or similarity ≥ dedup_threshold)."""
        return await asyncio.to_thread(self.propose_sync, tip)

    # --- administration ---------------------------------------------------------------------

    def _write(
        self,
        tips: Sequence[Tip],
        origin: Origin,
        *,
        vectors: Sequence[np.ndarray] | None = None,
    ) -> None:
        """Upsert tips: accepted ones into their app's collection, candidates apart."""
        groups: dict[str, list[int]] = {}
        for i, t in enumerate(tips):
            key = CANDIDATES_COLLECTION if t.status == "candidate" else collection_name(t.app)
            groups.setdefault(key, []).append(i)
        for key, idx in groups.items():
            app = "" if key == CANDIDATES_COLLECTION else tips[idx[0]].app
            col = self._create(key, app)
            for start in range(0, len(idx), _BATCH):
                part = idx[start : start + _BATCH]
                batch = [tips[i] for i in part]
                vecs = [vectors[i] for i in part] if vectors is not None else None
                if vecs is None:
                    vecs = self._embed([embed_text(t) for t in batch])
                self._guard(
                    col.upsert,
                    ids=[t.id for t in batch],
                    documents=[t.text for t in batch],
                    embeddings=vecs,
                    metadatas=[tip_metadata(t, origin) for t in batch],
                )

    def add_sync(self, tips: Iterable[Tip], *, origin: Origin = "user") -> list[Tip]:
        """Store tips (upsert by id); returns those that were not stored already."""
        unique: dict[str, Tip] = {}
        for tip in tips:
            t = checked(tip).with_id()
            unique.setdefault(t.id, t)
        stored = self._existing(list(unique))
        fresh = [t for i, t in unique.items() if i not in stored]
        self._write(fresh, origin)
        return fresh

    async def add(self, tips: Iterable[Tip], *, origin: Origin = "user") -> list[Tip]:
        return await asyncio.to_thread(self.add_sync, list(tips), origin=origin)

    def _existing(self, ids: Sequence[str]) -> set[str]:
        found: set[str] = set()
        for col in self._ours():
            for start in range(0, len(ids), _BATCH):
                res = self._guard(col.get, ids=list(ids[start : start + _BATCH]), include=[])
                found.update(res["ids"])
        return found

    def _find(self, tip_id: str) -> tuple[Any, Tip] | None:
        for col in self._ours():
            if col.name == META_COLLECTION:
                continue
            res = self._guard(col.get, ids=[tip_id], include=["documents", "metadatas"])
            if res["ids"]:
                return col, tip_from_record(res["ids"][0], res["documents"][0], res["metadatas"][0])
        return None

    def get_sync(self, tip_id: str) -> Tip | None:
        found = self._find(tip_id)
        return found[1] if found else None

    def accept_sync(self, tip_id: str) -> Tip:
        """Move a candidate among the accepted tips of its app; accepting twice is harmless."""
        found = self._find(tip_id)
        if found is None:
            raise TipStoreError(f"no tip with id {tip_id!r} (see `artemis tips list`)")
        col, tip = found
        if tip.status == "accepted":
            return tip
        res = self._guard(col.get, ids=[tip_id], include=["embeddings", "metadatas"])
        origin = res["metadatas"][0].get("origin", "learnt")
        accepted = tip.model_copy(update={"status": "accepted"})
        self._write([accepted], origin, vectors=[np.asarray(res["embeddings"][0])])
        self._guard(col.delete, ids=[tip_id])
        return accepted

    async def accept(self, tip_id: str) -> Tip:
        return await asyncio.to_thread(self.accept_sync, tip_id)

    def remove_sync(self, tip_id: str) -> Tip:
        found = self._find(tip_id)
        if found is None:
            raise TipStoreError(f"no tip with id {tip_id!r} (see `artemis tips list`)")
        self._guard(found[0].delete, ids=[tip_id])
        return found[1]

    def list_sync(
        self, *, app: str | None = None, status: str | None = None, origin: str | None = None
    ) -> list[Tip]:
        tips: list[Tip] = []
        for col in self._ours():
            if col.name == META_COLLECTION:
                continue
            if app is not None and col.name not in (collection_name(app), CANDIDATES_COLLECTION):
                continue
            where: dict[str, Any] | None = None
            conds = [{k: v} for k, v in (("app", app), ("origin", origin)) if v is not None]
            if len(conds) == 1:
                where = conds[0]
            elif conds:
                where = {"$and": conds}
            res = self._guard(col.get, where=where, include=["documents", "metadatas"])
            tips += [
                tip_from_record(i, d, m)
                for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True)
            ]
        if status is not None:
            tips = [t for t in tips if t.status == status]
        return sorted(tips, key=lambda t: (t.app != GENERAL_APP, t.app, t.status, t.text))

    async def list_tips(self, *, app: str | None = None, status: str | None = None) -> list[Tip]:
        return await asyncio.to_thread(self.list_sync, app=app, status=status)

    def search_sync(self, query: str, *, app: str | None = None, k: int = 5) -> list[ScoredTip]:
        """With an app: what `retrieve` returns. Without: the best tips of every app."""
        if app is not None:
            return self.retrieve_sync(app=app, task=query, k=k)
        vec = self._query_vector(query, "")
        scored: list[ScoredTip] = []
        for col in self._ours():
            if col.name in (META_COLLECTION, CANDIDATES_COLLECTION):
                continue
            mine = self._collection(col.name, (col.metadata or {}).get("app", ""), create=False)
            if mine is not None:
                scored += [ScoredTip(t, s) for t, s in self._nearest(mine, vec, k)]
        scored.sort(key=lambda st: -st.score)
        return scored[:k]

    def seed_sync(
        self, corpus: Path, *, force: bool = False, log_problems: bool = True
    ) -> CorpusLoad | None:
        """Import the corpus when its fingerprint differs from the one last imported: upsert
        its tips, drop corpus tips that left it, keep tips added by users or learnt. The
        problems found in it are in `seed_report`, and logged as warnings if `log_problems`."""
        fp = fingerprint(corpus_files(corpus))
        meta_col = self._create(META_COLLECTION, "")
        meta = dict(meta_col.metadata or {})
        if not force and meta.get("corpus") == fp:
            return None
        load = load_corpus(corpus)
        if log_problems:
            for problem in (*load.errors, *load.warnings):
                log.warning("tip corpus: %s", problem)
        new_ids = {t.id for t in load.tips}
        for col in self._ours():
            if col.name == META_COLLECTION:
                continue
            old = self._guard(col.get, where={"origin": "corpus"}, include=[])["ids"]
            stale = [i for i in old if i not in new_ids]
            if stale:
                self._guard(col.delete, ids=stale)
        self._write(load.tips, "corpus")
        meta.update({"corpus": fp, "corpus_tips": len(load.tips)})
        self._guard(meta_col.modify, metadata=meta)
        self.seed_report = load
        log.info("imported %d tips from %s", len(load.tips), corpus)
        return load

    def rebuild_sync(self) -> int:
        """Re-embed every stored tip with the configured embedding; returns the tip count."""
        records: list[tuple[Tip, str]] = []
        meta: dict[str, Any] = {}
        for col in self._ours():
            # Read without an embedding function: the stored one may be the other embedding.
            raw = self._guard(self.client.get_collection, col.name)
            if col.name == META_COLLECTION:
                meta = dict(col.metadata or {})
            else:
                res = self._guard(raw.get, include=["documents", "metadatas"])
                for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True):
                    records.append((tip_from_record(i, d, m), m.get("origin", "user")))
            self._guard(self.client.delete_collection, col.name)
        self._cols.clear()
        self._missing.clear()
        meta_col = self._create(META_COLLECTION, "")
        if meta:
            meta.update(embedding=self.embedding.spec, embedding_setting=self.embedding_setting)
            self._guard(meta_col.modify, metadata=meta)
        origins: tuple[Origin, ...] = ("corpus", "user", "learnt")
        for origin in origins:
            self._write([t for t, o in records if o == origin], origin)
        return len(records)


__all__ = ["GENERAL_COLLECTION", "ChromaTipStore", "collection_name", "embed_text", "make_client"]
