"""The tip store's collections on one ChromaDB client: opening, checking, embedding, closing.

Every ChromaDB call goes through `guard`, which turns ChromaDB's failures into
`TipStoreError`. Collections are cached by name; a collection found missing is not asked for
again for a while (a retrieval for an app with no tips should not cost a round trip each
step). Every tip collection records the embedding that built it; opening one built by another
embedding raises `EmbeddingMismatchError`.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

import numpy as np

from artemis.errors import ArtemisError, EmbeddingMismatchError, TipStoreError
from artemis.tips.embeddings import TipEmbedding
from artemis.tips.records import (
    CANDIDATES_COLLECTION,
    META_COLLECTION,
    chroma_errors,
    close_client,
    collection_name,
)

T = TypeVar("T")

_MISS_TTL_S = 30.0
#: Marks the collections of the tip store among whatever else the Chroma database holds.
TIPS_MARK = "tips"


def cosine() -> dict[str, Any]:
    """A collection configuration for cosine distance; a fresh dict each time, since ChromaDB
    writes the embedding function into the one it is given."""
    return {"hnsw": {"space": "cosine"}}


@dataclass(eq=False)
class TipCollections:
    """The collections of one store (see the module docstring): on `client`, embedded with
    `embedding` (built from the setting `embedding_setting`), at `location` (a folder or a
    server URL, for messages)."""

    client: Any
    embedding: TipEmbedding
    location: str
    embedding_setting: str = "hash"
    clock: Callable[[], float] = time.monotonic
    #: Makes a new client on the same store, for `refresh`.
    reconnect: Callable[[], Any] | None = None
    closed: bool = field(default=False, init=False)
    _cols: dict[str, Any] = field(default_factory=dict, init=False, repr=False)
    _missing: dict[str, float] = field(default_factory=dict, init=False, repr=False)

    def close(self) -> None:
        """Release the client and the embedding's own resources; closing twice is harmless."""
        if self.closed:
            return
        self.closed = True
        self.forget()
        try:
            close_client(self.client)
        finally:
            close_embedding = getattr(self.embedding, "close", None)
            if callable(close_embedding):
                close_embedding()

    def refresh(self) -> None:
        """Open the client again: another process changed the store, and an embedded client
        does not see that by itself (`artemis.tips.lock`)."""
        if self.reconnect is None or self.closed:
            return
        close_client(self.client)
        self.client = self.reconnect()
        self.forget()

    def guard(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        """Run a ChromaDB call, turning its failures into TipStoreError."""
        if self.closed:
            raise TipStoreError(f"tip store {self.location} is closed")
        try:
            return fn(*args, **kwargs)
        except ArtemisError:
            raise
        except chroma_errors() as exc:
            raise TipStoreError(f"tip store {self.location}: {type(exc).__name__}: {exc}") from exc

    def forget(self) -> None:
        """Drop the cache (after collections were replaced)."""
        self._cols.clear()
        self._missing.clear()

    def ours(self, mark: str = TIPS_MARK) -> list[Any]:
        """The collections of the store (or, with another `mark`, of a rebuild in progress)."""
        return [
            c
            for c in self.guard(self.client.list_collections)
            if (c.metadata or {}).get("artemis") == mark
        ]

    def metadata(self, app: str) -> dict[str, Any]:
        """The metadata a tip collection of `app` is made with."""
        return {
            "artemis": TIPS_MARK,
            "app": app,
            "embedding": self.embedding.spec,
            "embedding_setting": self.embedding_setting,
        }

    def check_embedding(self) -> None:
        """Raise EmbeddingMismatchError when any tip collection was built by another embedding."""
        for col in self.ours():
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

    def get(self, name: str, app: str, *, create: bool) -> Any | None:
        """The collection `name` (made for `app` when missing and `create`), or None."""
        col = self._cols.get(name)
        if col is not None:
            return col
        if not create and self.clock() < self._missing.get(name, float("-inf")):
            return None
        from chromadb.errors import NotFoundError

        try:
            col = self.guard(self.client.get_collection, name, embedding_function=self.embedding)
        except TipStoreError as exc:
            if not isinstance(exc.__cause__, NotFoundError):
                raise
            if not create:
                self._missing[name] = self.clock() + _MISS_TTL_S
                return None
            col = self.guard(
                self.client.get_or_create_collection,
                name,
                embedding_function=self.embedding,
                metadata=self.metadata(app),
                configuration=cosine(),
            )
        self._check_meta(name, col.metadata or {})
        self._missing.pop(name, None)
        self._cols[name] = col
        return col

    def create(self, name: str, app: str) -> Any:
        col = self.get(name, app, create=True)
        assert col is not None  # create=True returns a collection or raises
        return col

    def of_app(self, app: str) -> Any | None:
        """The accepted tips of `app` (`*`: the general ones), when there are any."""
        return self.get(collection_name(app), app, create=False)

    def candidates(self) -> Any | None:
        return self.get(CANDIDATES_COLLECTION, "", create=False)

    def tip_collections(self) -> list[Any]:
        """The collections that hold tips (all but the store's bookkeeping)."""
        return [c for c in self.ours() if c.name != META_COLLECTION]

    def embed(self, texts: Sequence[str]) -> list[np.ndarray]:
        return [np.asarray(v, dtype=np.float32) for v in self.embedding(list(texts))]
