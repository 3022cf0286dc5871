"""Whole-store work: importing the corpus, and rebuilding every collection with another
embedding, atomically.

**Seeding** imports the corpus when its fingerprint differs from the one last imported:
corpus tips are upserted, corpus tips that left the corpus are dropped, tips added by users
or learnt are kept.

**Rebuilding** re-embeds every stored tip. It never deletes a collection before its
replacement is complete:

1. every tip is read and written, with the new embedding, into *staging* collections
   (`staging-<token>-<n>`, marked `artemis: staging`, invisible to everything else); a
   failure here (an embedding model that is not there, a full disk) drops the staging
   collections and leaves the store as it was;
2. one metadata write on the staged bookkeeping collection commits the rebuild;
3. each staged collection replaces its target (the old one deleted, the staged one renamed),
   old collections that no tip needs any more are dropped, and the bookkeeping collection is
   swapped last, which removes the commit mark.

`recover` runs whenever a store is opened: a rebuild interrupted after its commit is
finished, one interrupted before it is dropped. Either way no tip is lost.
"""

from __future__ import annotations

import json
import logging
import secrets
from pathlib import Path
from typing import Any

from artemis.errors import TipStoreError
from artemis.tips.base import Tip
from artemis.tips.chroma import TIPS_MARK, TipCollections, cosine
from artemis.tips.corpus import CorpusLoad, corpus_files, fingerprint, load_corpus
from artemis.tips.records import CANDIDATES_COLLECTION, META_COLLECTION, Origin, tip_from_record
from artemis.tips.writing import TipWriter, target_collection, upsert

log = logging.getLogger(__name__)

STAGING_MARK = "staging"
# Keys a staged collection carries besides the metadata it will have once swapped in.
_STAGING_KEYS = ("artemis", "rebuild", "target", "committed", "drop")


def seed(
    cols: TipCollections, writer: TipWriter, corpus: Path, *, force: bool, log_problems: bool
) -> CorpusLoad | None:
    """Import `corpus` when it changed since the last import (see the module docstring);
    returns what was loaded, or None when nothing needed doing."""
    fp = fingerprint(corpus_files(corpus))
    meta_col = cols.create(META_COLLECTION, "")
    meta = dict(meta_col.metadata or {})
    if not force and meta.get("corpus") == fp:
        return None
    load = load_corpus(corpus)
    if log_problems:
        for problem in (*load.errors, *load.warnings):
            log.warning("tip corpus: %s", problem)
    new_ids = {t.id for t in load.tips}
    for col in cols.tip_collections():
        old = cols.guard(col.get, where={"origin": "corpus"}, include=[])["ids"]
        stale = [i for i in old if i not in new_ids]
        if stale:
            cols.guard(col.delete, ids=stale)
    writer.write(load.tips, "corpus")
    meta.update({"corpus": fp, "corpus_tips": len(load.tips)})
    cols.guard(meta_col.modify, metadata=meta)
    log.info("imported %d tips from %s", len(load.tips), corpus)
    return load


# --- rebuilding ----------------------------------------------------------------------------


def _read_everything(cols: TipCollections) -> tuple[list[tuple[Tip, Origin]], dict[str, Any]]:
    """Every stored tip with its origin, and the bookkeeping metadata."""
    records: list[tuple[Tip, Origin]] = []
    meta: dict[str, Any] = {}
    for col in cols.ours():
        if col.name == META_COLLECTION:
            meta = dict(col.metadata or {})
            continue
        # Read without an embedding function: the stored one may be the other embedding.
        raw = cols.guard(cols.client.get_collection, col.name)
        res = cols.guard(raw.get, include=["documents", "metadatas"])
        for i, d, m in zip(res["ids"], res["documents"], res["metadatas"], strict=True):
            records.append((tip_from_record(i, d, m), m.get("origin", "user")))
    return records, meta


def rebuild(cols: TipCollections) -> int:
    """Re-embed every stored tip with the configured embedding, atomically (see the module
    docstring); returns the number of tips."""
    recover(cols)
    records, meta = _read_everything(cols)
    old_names = [c.name for c in cols.ours()]
    token = secrets.token_hex(4)
    groups: dict[str, list[tuple[Tip, Origin]]] = {}
    for tip, origin in records:
        groups.setdefault(target_collection(tip), []).append((tip, origin))
    try:
        for n, (target, members) in enumerate(sorted(groups.items())):
            app = "" if target == CANDIDATES_COLLECTION else members[0][0].app
            col = _stage(cols, token, n, target, cols.metadata(app))
            upsert(cols, col, [t for t, _ in members], [o for _, o in members])
        final_meta = {**meta, **cols.metadata("")}
        staged_meta = _stage(cols, token, len(groups), META_COLLECTION, final_meta)
        drop = [name for name in old_names if name not in groups and name != META_COLLECTION]
        commit = {**(staged_meta.metadata or {}), "committed": True, "drop": json.dumps(drop)}
        cols.guard(staged_meta.modify, metadata=commit)  # the commit point
    except BaseException:
        _drop_staged(cols, token)
        raise
    _swap(cols, token)
    return len(records)


def _stage(cols: TipCollections, token: str, n: int, target: str, final: dict[str, Any]) -> Any:
    return cols.guard(
        cols.client.create_collection,
        f"{STAGING_MARK}-{token}-{n}",
        embedding_function=cols.embedding,
        metadata={**final, "artemis": STAGING_MARK, "rebuild": token, "target": target},
        configuration=cosine(),
    )


def _staged(cols: TipCollections) -> dict[str, list[Any]]:
    """Staged collections by rebuild token."""
    out: dict[str, list[Any]] = {}
    for col in cols.ours(STAGING_MARK):
        out.setdefault(str((col.metadata or {}).get("rebuild")), []).append(col)
    return out


def _drop_staged(cols: TipCollections, token: str) -> None:
    """Forget a rebuild that did not commit (best effort: `recover` retries)."""
    try:
        for col in _staged(cols).get(token, []):
            cols.guard(cols.client.delete_collection, col.name)
    except TipStoreError as exc:
        log.warning("could not drop the staging collections of rebuild %s: %s", token, exc)


def _swap(cols: TipCollections, token: str) -> None:
    """Put a committed rebuild's collections in place of the old ones (see the docstring)."""
    from chromadb.errors import NotFoundError

    staged = _staged(cols).get(token, [])
    meta = next(c for c in staged if (c.metadata or {}).get("target") == META_COLLECTION)
    drop = json.loads((meta.metadata or {}).get("drop") or "[]")
    for col in [c for c in staged if c is not meta] + [meta]:
        md = dict(col.metadata or {})
        target = str(md["target"])
        final = {k: v for k, v in md.items() if k not in _STAGING_KEYS}
        final["artemis"] = TIPS_MARK
        if col is meta:
            for name in drop:  # the old collections no tip needs any more
                _delete_if_there(cols, name, NotFoundError)
        _delete_if_there(cols, target, NotFoundError)
        cols.guard(col.modify, name=target, metadata=final)
    cols.forget()


def _delete_if_there(cols: TipCollections, name: str, missing: type[Exception]) -> None:
    try:
        cols.guard(cols.client.delete_collection, name)
    except TipStoreError as exc:
        if not isinstance(exc.__cause__, missing):
            raise


def recover(cols: TipCollections) -> bool:
    """Finish a committed rebuild that was interrupted; drop one that was not committed.
    True when there was one."""
    found = _staged(cols)
    for token, staged in found.items():
        committed = any(
            (c.metadata or {}).get("target") == META_COLLECTION
            and (c.metadata or {}).get("committed")
            for c in staged
        )
        if committed:
            log.warning("finishing an interrupted rebuild of the tip store %s", cols.location)
            _swap(cols, token)
        else:
            log.warning("dropping an unfinished rebuild of the tip store %s", cols.location)
            _drop_staged(cols, token)
    return bool(found)
