"""The openai:<model> embedding through the real openai client against a loopback server."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from artemis.config import Settings
from artemis.errors import RealModelCallError, TipStoreError
from artemis.tips.embeddings import HashEmbedding, OpenAIEmbedding
from artemis.tips.store import ChromaTipStore


class _Embeddings(BaseHTTPRequestHandler):
    """POST /v1/embeddings answering with hash vectors, so that meaning ranks as offline."""

    calls: list[dict[str, Any]] = []  # noqa: RUF012 - shared by the handler instances

    def do_POST(self) -> None:
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        type(self).calls.append({"path": self.path, "auth": self.headers.get("Authorization")})
        if body["model"] == "broken":
            self.send_response(400)
            payload: dict[str, Any] = {"error": {"message": "no such model", "type": "invalid"}}
        else:
            texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
            vecs = HashEmbedding(64)(texts)
            data = [
                {"object": "embedding", "index": i, "embedding": [float(x) for x in v]}
                for i, v in reversed(list(enumerate(vecs)))  # out of order on purpose
            ]
            payload = {
                "object": "list",
                "data": data,
                "model": body["model"],
                "usage": {"prompt_tokens": 1, "total_tokens": 1},
            }
            self.send_response(200)
        raw = json.dumps(payload).encode()
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(raw)))
        self.end_headers()
        self.wfile.write(raw)

    def log_message(self, format: str, *args: Any) -> None:
        pass


@pytest.fixture
def server() -> Iterator[str]:
    _Embeddings.calls = []
    httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Embeddings)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_address[1]}/v1"
    httpd.shutdown()
    httpd.server_close()
    thread.join(timeout=5)


@pytest.mark.real_model
async def test_store_on_openai_embeddings(
    server: str, make_settings: Callable[..., Settings], tmp_path: Any
) -> None:
    settings = make_settings(embedding="openai:fake-embed")
    settings = settings.model_copy(
        update={"models": settings.models.model_copy(update={"base_url": server})}
    )
    with ChromaTipStore.connect(settings) as store:
        got = await store.retrieve(app="com.android.settings", task="turn on wifi", k=1)
        assert "Wi-Fi" in got[0].tip.text
        assert all(c["path"] == "/v1/embeddings" for c in _Embeddings.calls)
        assert store.db.embedding.spec == "openai:fake-embed"
        assert isinstance(store.db.embedding, OpenAIEmbedding)
        http = store.db.embedding._client
    assert http.is_closed()  # closing the store closes the embedding's HTTP client


@pytest.mark.real_model
def test_endpoint_errors_become_tip_store_errors(server: str) -> None:
    ef = OpenAIEmbedding("broken", base_url=server, api_key="k", max_retries=0)
    with pytest.raises(TipStoreError, match="embedding endpoint failed"):
        ef(["x"])
    assert _Embeddings.calls[-1]["auth"] == "Bearer k"


def test_the_real_call_guard_stops_it_in_ordinary_tests(server: str) -> None:
    ef = OpenAIEmbedding("fake-embed", base_url=server, api_key="k")
    with pytest.raises(RealModelCallError):
        ef(["x"])
    assert _Embeddings.calls == []
