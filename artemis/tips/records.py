"""How tips live in ChromaDB: collection names, tip records, the client, and its errors."""

from __future__ import annotations

import hashlib
import json
import logging
import re
from typing import Any, Literal
from urllib.parse import urlparse

import httpx

from artemis.config import Settings
from artemis.errors import TipStoreError
from artemis.tips.base import GENERAL_APP, Tip, TipSource, is_app_key

log = logging.getLogger(__name__)

Origin = Literal["corpus", "user", "learnt"]

GENERAL_COLLECTION = "tips-general"
CANDIDATES_COLLECTION = "tips-candidates"
META_COLLECTION = "tips-meta"
_CHROMA_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{1,500}[A-Za-z0-9]$")


def collection_name(app: str) -> str:
    """The collection that holds an app's accepted tips."""
    if app == GENERAL_APP:
        return GENERAL_COLLECTION
    name = f"tips.{app}"
    if _CHROMA_NAME.match(name) and ".." not in name:
        return name
    return "tips.x" + hashlib.sha1(app.encode()).hexdigest()[:16]


def chroma_errors() -> tuple[type[BaseException], ...]:
    """What ChromaDB raises when it fails (its own errors, and those of the layers below)."""
    from chromadb.errors import ChromaError

    return (ChromaError, ValueError, httpx.HTTPError, OSError, RuntimeError)


def make_client(settings: Settings) -> tuple[Any, str]:
    """A ChromaDB client for the settings: a server when `tips.chroma_url` is set, else the
    embedded store at `settings.tips_path`. Telemetry is off."""
    import chromadb
    from chromadb.config import Settings as ChromaSettings

    chroma_settings = ChromaSettings(anonymized_telemetry=False)
    url = settings.tips.chroma_url
    if url:
        parsed = urlparse(url if "://" in url else f"http://{url}")
        if parsed.scheme not in ("http", "https") or not parsed.hostname:
            raise TipStoreError(f"tips.chroma_url {url!r} is not an http(s)://HOST:PORT URL")
        port = parsed.port or (443 if parsed.scheme == "https" else 8000)
        try:
            client = chromadb.HttpClient(
                host=parsed.hostname,
                port=port,
                ssl=parsed.scheme == "https",
                settings=chroma_settings,
            )
        except chroma_errors() as exc:
            raise TipStoreError(
                f"cannot reach the Chroma server at {url} ({exc}). Start one with "
                f"`chroma run --path DIR --host {parsed.hostname} --port {port}`, or unset "
                f"tips.chroma_url to use the embedded store at {settings.tips_path}."
            ) from exc
        return client, url
    path = settings.tips_path
    try:
        path.mkdir(parents=True, exist_ok=True)
        client = chromadb.PersistentClient(path=str(path), settings=chroma_settings)
    except chroma_errors() as exc:
        raise TipStoreError(f"cannot open the tip store at {path}: {exc}") from exc
    return client, str(path)


def close_client(client: Any) -> None:
    """Close a client from `make_client`, releasing what it holds.

    `Client.close()` stops an embedded client's system when it is the last one open on its
    folder, which frees the sqlite and index files and the threads. It leaves an HTTP client's
    connection pool open (chromadb 1.5's HTTP API has no stop of its own), so that is closed
    here; an HTTP client's system is never shared."""
    try:
        client.close()
    except chroma_errors() as exc:
        log.warning("closing the ChromaDB client failed: %s", exc)
    session = getattr(getattr(client, "_server", None), "_session", None)
    if isinstance(session, httpx.Client):
        session.close()


def embed_text(tip: Tip) -> str:
    """What a tip is embedded as: its text, then its tags and task kinds (written to be found)."""
    extra = " ".join((*tip.tags, *tip.task_kinds))
    return f"{tip.text} {extra}" if extra else tip.text


def checked(tip: Tip) -> Tip:
    """The tip, if its app is a package name or '*'."""
    if not is_app_key(tip.app):
        raise TipStoreError(
            f"app {tip.app!r} is not an Android package name (like com.android.settings) or '*'"
        )
    return tip


def tip_metadata(tip: Tip, origin: Origin) -> dict[str, Any]:
    """A tip's ChromaDB metadata (scalars only: lists and the source as JSON)."""
    return {
        "app": tip.app,
        "status": tip.status,
        "origin": origin,
        "tags": json.dumps(list(tip.tags)),
        "task_kinds": json.dumps(list(tip.task_kinds)),
        "source": tip.source.model_dump_json(exclude_none=True),
    }


def tip_from_record(tip_id: str, text: str | None, meta: Any) -> Tip:
    m = dict(meta or {})
    return Tip(
        id=tip_id,
        app=str(m.get("app", GENERAL_APP)),
        text=text or "",
        tags=tuple(json.loads(m.get("tags", "[]"))),
        task_kinds=tuple(json.loads(m.get("task_kinds", "[]"))),
        source=TipSource.model_validate_json(m.get("source", "{}")),
        status=m.get("status", "accepted"),
    )
