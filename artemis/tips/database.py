"""`TipDatabase`: the tip store on ChromaDB, embedded or on a `chroma run` server, for callers
without an event loop (the CLI, benchmarks). The agent uses it through the async
`artemis.tips.store.ChromaTipStore`.

Layout. One collection per app (`tips.<package>`), one for general tips (`tips-general`), one
for learnt candidates awaiting acceptance (`tips-candidates`) and one for bookkeeping
(`tips-meta`: the fingerprint of the corpus last imported). Each tip is a document (its text)
with metadata `app`, `status`, `origin` (corpus | user | learnt), `tags`, `task_kinds` and
`source` (JSON). One collection per app, rather than one collection filtered on `app`, keeps
a retrieval at the cost of a small index: benchmarks/tips_speed.py measures both.

The work is split along its seams: `TipCollections` (the client, checks, the cache),
`TipReader` (retrieval, search, listing), `TipWriter` (adding, proposing, accepting,
removing) and `artemis.tips.maintenance` (corpus import, atomic rebuild, recovery). This
class opens them together and runs each operation under the store's lock
(`artemis.tips.lock`), so several processes can share an embedded store.

An open store holds files, threads and connections (an embedded client about a hundred file
descriptors) until `close()`; whoever opens a store closes it.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable, Iterator
from pathlib import Path

from artemis.config import Settings
from artemis.tips import maintenance
from artemis.tips.base import ScoredTip, Tip
from artemis.tips.chroma import TipCollections
from artemis.tips.corpus import CorpusLoad
from artemis.tips.embeddings import TipEmbedding, make_embedding
from artemis.tips.lock import StoreLock
from artemis.tips.reading import TipReader
from artemis.tips.records import Origin, make_client
from artemis.tips.writing import TipWriter

log = logging.getLogger(__name__)


class TipDatabase:
    """The tip store, synchronous (see the module docstring). Open it with `connect`."""

    def __init__(
        self,
        cols: TipCollections,
        *,
        lock: StoreLock | None = None,
        general_weight: float = 0.5,
        auto_accept: bool = False,
        dedup_threshold: float | None = None,
        screen_weight: float = 0.35,
    ) -> None:
        self.cols = cols
        self.lock = lock or StoreLock(None)
        self.reader = TipReader(cols, general_weight=general_weight, screen_weight=screen_weight)
        self.writer = TipWriter(
            cols, self.reader, auto_accept=auto_accept, dedup_threshold=dedup_threshold
        )
        self.seed_report: CorpusLoad | None = None
        self.embedding: TipEmbedding = cols.embedding
        self.location: str = cols.location

    @classmethod
    def connect(
        cls,
        settings: Settings,
        *,
        seed: bool = True,
        check_embedding: bool = True,
        log_problems: bool = True,
        embedding: TipEmbedding | None = None,
    ) -> TipDatabase:
        """Open the store the settings name (blocking), finish or drop an interrupted
        rebuild, check its embedding, and import the corpus when it is new or changed.
        Problems in the corpus are logged as warnings unless `log_problems` is false (the
        caller reports `seed_report` itself then). `embedding` replaces the one
        `tips.embedding` names (it must be of that setting: a test's, through a fake
        transport)."""
        ts = settings.tips
        if embedding is None:
            key = settings.models.api_key
            embedding = make_embedding(
                ts.embedding,
                base_url=settings.models.base_url,
                api_key=key.get_secret_value() if key else None,
                timeout_s=settings.models.timeout_s,
                max_retries=settings.models.max_retries,
            )
        lock = StoreLock(None if ts.chroma_url else settings.tips_path)
        # The client is made under the lock, so that its first view of the store is current.
        with lock.held(write=False) as turn:
            client, location = make_client(settings)
            cols = TipCollections(
                client,
                embedding,
                location=location,
                embedding_setting=ts.embedding,
                reconnect=lambda: make_client(settings)[0],
            )
            db = cls(cols, lock=lock, general_weight=ts.general_weight, auto_accept=ts.auto_accept)
            try:
                turn.wrote = maintenance.recover(cols)
                if check_embedding:
                    cols.check_embedding()
                if seed:
                    turn.wrote |= db._seed_bundled(ts.corpus, log_problems)
            except BaseException:
                db.close()
                raise
        return db

    def _seed_bundled(self, corpus: Path | None, log_problems: bool) -> bool:
        """Import the configured (else the bundled) corpus if it changed; True if it did."""
        from artemis.tips.corpus import bundled_corpus_dir

        folder = corpus or bundled_corpus_dir()
        if folder is None:
            log.warning("no tip corpus found: the store starts with the tips it has")
            return False
        return self._seed(folder, force=False, log_problems=log_problems) is not None

    def _seed(self, corpus: Path, *, force: bool, log_problems: bool) -> CorpusLoad | None:
        load = maintenance.seed(
            self.cols, self.writer, corpus, force=force, log_problems=log_problems
        )
        if load is not None:
            self.seed_report = load
        return load

    # --- what a store is -------------------------------------------------------------------

    @property
    def closed(self) -> bool:
        return self.cols.closed

    def close(self) -> None:
        """Release the client (an embedded store's sqlite and index files, its threads; a
        server's connections) and the embedding's. Closing twice is harmless; any other call
        after it raises TipStoreError. Stores opened on the same folder in one process share
        one ChromaDB system, which stops when the last of them closes."""
        self.cols.close()

    def __enter__(self) -> TipDatabase:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # --- operations, each under the lock ---------------------------------------------------

    @contextlib.contextmanager
    def _op(self, *, write: bool = False) -> Iterator[None]:
        """One operation: under the lock, on a client that sees every other process's writes."""
        with self.lock.held(write=write) as turn:
            if turn.changed:
                self.cols.refresh()
            yield

    def check_embedding(self) -> None:
        """Raise EmbeddingMismatchError when any tip collection was built by another embedding."""
        with self._op():
            self.cols.check_embedding()

    def retrieve(
        self, *, app: str | None, task: str, screen_text: str = "", k: int = 3
    ) -> list[ScoredTip]:
        """The best accepted tips for `app` (general ones weighted lower), best first."""
        with self._op():
            return self.reader.retrieve(app=app, task=task, screen_text=screen_text, k=k)

    def search(self, query: str, *, app: str | None = None, k: int = 5) -> list[ScoredTip]:
        """With an app: what `retrieve` returns. Without: the best tips of every app."""
        with self._op():
            return self.reader.search(query, app=app, k=k)

    def list_tips(
        self, *, app: str | None = None, status: str | None = None, origin: str | None = None
    ) -> list[Tip]:
        with self._op():
            return self.reader.list_tips(app=app, status=status, origin=origin)

    def get(self, tip_id: str) -> Tip | None:
        with self._op():
            return self.reader.get(tip_id)

    def propose(self, tip: Tip) -> Tip | None:
        """Store a learnt tip as a candidate; None when it duplicates a stored tip."""
        with self._op(write=True):
            return self.writer.propose(tip)

    def add(self, tips: Iterable[Tip], *, origin: Origin = "user") -> list[Tip]:
        """Store tips (upsert by id); returns those that were not stored already."""
        with self._op(write=True):
            return self.writer.add(tips, origin=origin)

    def accept(self, tip_id: str) -> Tip:
        with self._op(write=True):
            return self.writer.accept(tip_id)

    def remove(self, tip_id: str) -> Tip:
        with self._op(write=True):
            return self.writer.remove(tip_id)

    def seed(
        self, corpus: Path, *, force: bool = False, log_problems: bool = True
    ) -> CorpusLoad | None:
        """Import the corpus when it changed since the last import (`maintenance.seed`)."""
        with self._op(write=True):
            return self._seed(corpus, force=force, log_problems=log_problems)

    def rebuild(self) -> int:
        """Re-embed every stored tip with the configured embedding, atomically; returns the
        number of tips."""
        with self._op(write=True):
            return maintenance.rebuild(self.cols)
