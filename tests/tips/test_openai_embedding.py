"""The openai:<model> embedding through the real openai client, against an embeddings endpoint
in memory (the embedding's transport seam, as httpx's MockTransport)."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import httpx2
import pytest

from artemis.config import Settings
from artemis.errors import RealModelCallError, TipStoreError
from artemis.tips.embeddings import HashEmbedding, OpenAIEmbedding
from artemis.tips.store import ChromaTipStore

URL = "http://embeddings.test/v1"


class Endpoint:
    """POST /v1/embeddings answering with hash vectors, so that meaning ranks as offline."""

    def __init__(self) -> None:
        self.calls: list[dict[str, Any]] = []
        self.transport = httpx2.MockTransport(self.handle)

    def handle(self, request: httpx2.Request) -> httpx2.Response:
        body = json.loads(request.read())
        self.calls.append({"path": request.url.path, "auth": request.headers.get("authorization")})
        if body["model"] == "broken":
            error = {"error": {"message": "no such model", "type": "invalid"}}
            return httpx2.Response(400, json=error)
        texts = body["input"] if isinstance(body["input"], list) else [body["input"]]
        vecs = HashEmbedding(64)(texts)
        data = [
            {"object": "embedding", "index": i, "embedding": [float(x) for x in v]}
            for i, v in reversed(list(enumerate(vecs)))  # out of order on purpose
        ]
        usage = {"prompt_tokens": 1, "total_tokens": 1}
        return httpx2.Response(
            200, json={"object": "list", "data": data, "model": body["model"], "usage": usage}
        )


async def test_store_on_openai_embeddings(make_settings: Callable[..., Settings]) -> None:
    endpoint = Endpoint()
    settings = make_settings(embedding="openai:fake-embed")
    embedding = OpenAIEmbedding(
        "fake-embed", base_url=URL, api_key="k", transport=endpoint.transport
    )
    with ChromaTipStore.connect(settings, embedding=embedding) as store:
        got = await store.retrieve(app="com.android.settings", task="turn on wifi", k=1)
        assert "Wi-Fi" in got[0].tip.text
        assert endpoint.calls and all(c["path"] == "/v1/embeddings" for c in endpoint.calls)
        assert store.db.embedding.spec == "openai:fake-embed"
        http = embedding._client
    assert http.is_closed()  # closing the store closes the embedding's HTTP client


def test_endpoint_errors_become_tip_store_errors() -> None:
    endpoint = Endpoint()
    ef = OpenAIEmbedding("broken", base_url=URL, api_key="k", transport=endpoint.transport)
    with pytest.raises(TipStoreError, match="embedding endpoint failed"):
        ef(["x"])
    assert endpoint.calls[-1]["auth"] == "Bearer k"


def test_the_real_call_guard_stops_a_call_to_the_network() -> None:
    ef = OpenAIEmbedding("fake-embed", base_url="http://127.0.0.1:9/v1", api_key="k")
    with pytest.raises(RealModelCallError):
        ef(["x"])
