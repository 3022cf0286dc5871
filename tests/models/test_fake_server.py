"""The local chat-completions server: real HTTP, canned behaviours, clean start and stop; and
the same answers in memory through its transport. Nothing here calls a model backend, so the
no-real-model guard has nothing to stop."""

from __future__ import annotations

import asyncio
import json
import math
import selectors
import threading
import urllib.error
import urllib.request
from typing import Any

import openai
import pytest

from artemis.models.fake_server import (
    ChatRequest,
    FakeChatServer,
    Reply,
    failing,
    garbage,
    hang,
    hashed_embedding,
    rejecting_response_format,
    replies,
)


def _post(url: str, body: dict[str, Any], key: str | None = None) -> tuple[int, bytes]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"content-type": "application/json"}
    )
    if key:
        request.add_header("authorization", f"Bearer {key}")
    try:
        with urllib.request.urlopen(request, timeout=5) as resp:
            return resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def _chat(text: str = "hi") -> dict[str, Any]:
    return {"model": "m", "messages": [{"role": "user", "content": text}]}


def test_sync_start_serves_chat_and_records_requests() -> None:
    with FakeChatServer(replies("one", {"a": 1})) as server:
        status, body = _post(f"{server.base_url}/chat/completions", _chat("hello"))
        assert status == 200
        reply = json.loads(body)
        assert reply["choices"][0]["message"]["content"] == "one"
        assert reply["usage"]["prompt_tokens"] == len("hello") // 4
        _, body = _post(f"{server.base_url}/chat/completions", _chat())
        assert json.loads(json.loads(body)["choices"][0]["message"]["content"]) == {"a": 1}
        status, body = _post(f"{server.base_url}/chat/completions", _chat())
        assert status == 500 and b"no scripted reply left" in body
        assert [r.text for r in server.chat_requests] == ["hello", "hi", "hi"]
        port = server.port
    with pytest.raises(OSError):  # stopped: nothing listens any more
        urllib.request.urlopen(f"http://127.0.0.1:{port}/v1/models", timeout=2)


async def test_async_start_models_and_unknown_routes() -> None:
    async with FakeChatServer(models=["a", "b"]) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        listed = await client.models.list()
        assert [m.id for m in listed.data] == ["a", "b"]
        with pytest.raises(openai.NotFoundError):
            await client.post("/nowhere", cast_to=object, body={})
        await client.close()


async def test_embeddings_are_deterministic_and_similar_texts_are_close() -> None:
    async with FakeChatServer(embedding_dim=64) as server:
        client = openai.AsyncOpenAI(base_url=server.base_url, api_key="k", max_retries=0)
        texts = ["turn on wifi", "Turn on WiFi now", "delete the alarm"]
        got = await client.embeddings.create(model="e", input=texts)  # SDK default encoding
        floats = await client.embeddings.create(model="e", input=texts, encoding_format="float")
        await client.close()
    vecs = [d.embedding for d in got.data]
    assert len(vecs) == 3 and all(len(v) == 64 for v in vecs)
    for v, f in zip(vecs, floats.data, strict=True):
        assert v == pytest.approx(f.embedding, abs=1e-6)
        assert math.isclose(sum(x * x for x in v), 1.0, rel_tol=1e-5)
    assert vecs[0] == pytest.approx(hashed_embedding("turn on wifi", 64), abs=1e-6)

    def cos(a: list[float], b: list[float]) -> float:
        return sum(x * y for x, y in zip(a, b, strict=True))

    assert cos(vecs[0], vecs[1]) > cos(vecs[0], vecs[2])


def test_api_key_is_enforced_when_set() -> None:
    with FakeChatServer(api_key="right") as server:
        assert _post(f"{server.base_url}/chat/completions", _chat(), key="wrong")[0] == 401
        assert _post(f"{server.base_url}/chat/completions", _chat(), key="right")[0] == 200
        assert server.requests[0].api_key == "wrong"


def test_canned_failures_and_rejections() -> None:
    handler = failing(503, times=1, then=rejecting_response_format(replies("fine")))
    with FakeChatServer(handler) as server:
        url = f"{server.base_url}/chat/completions"
        assert _post(url, _chat())[0] == 503
        status, body = _post(url, {**_chat(), "response_format": {"type": "json_schema"}})
        assert status == 400 and json.loads(body)["error"]["param"] == "response_format"
        assert _post(url, {**_chat(), "response_format": {"type": "json_object"}})[0] == 200
    with FakeChatServer(garbage("body")) as server:
        status, body = _post(f"{server.base_url}/chat/completions", _chat())
        assert status == 200 and not body.startswith(b"{")


def test_a_handler_that_raises_answers_500_with_the_reason() -> None:
    def broken(request: ChatRequest) -> str:
        raise KeyError("oops")

    with FakeChatServer(broken) as server:
        status, body = _post(f"{server.base_url}/chat/completions", _chat())
    assert status == 500 and b"oops" in body


async def test_stop_releases_a_hanging_request() -> None:
    arrived = threading.Event()
    never = hang()

    def handler(request: ChatRequest) -> Any:
        arrived.set()
        return never(request)

    server = await asyncio.to_thread(FakeChatServer(handler).start)
    client = openai.AsyncOpenAI(base_url=server.base_url, api_key="k", max_retries=0, timeout=30)
    call = asyncio.create_task(client.chat.completions.create(model="m", messages=[]))
    assert await asyncio.to_thread(arrived.wait, 5), "the request never reached the server"
    assert len(server.chat_requests) == 1
    await asyncio.wait_for(asyncio.to_thread(server.stop), timeout=5)
    with pytest.raises(openai.APIConnectionError):
        await asyncio.wait_for(call, timeout=5)
    await client.close()


def test_a_stopped_server_has_let_go_of_its_thread_and_port_and_can_start_again(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Stopping wakes the serving thread at once: no poll to wait for.
    waits: list[tuple[threading.Thread, float | None]] = []
    real = selectors.DefaultSelector.select

    def select(self: Any, timeout: float | None = None) -> Any:
        waits.append((threading.current_thread(), timeout))
        return real(self, timeout)

    monkeypatch.setattr(selectors.DefaultSelector, "select", select)
    server = FakeChatServer(replies("one", "two")).start()
    url = server.base_url
    assert _post(f"{url}/chat/completions", _chat())[0] == 200
    thread = server._thread
    server.stop()
    assert thread is not None and not thread.is_alive()
    with pytest.raises(urllib.error.URLError):
        urllib.request.urlopen(f"{url}/models", timeout=5)
    # It waited on its sockets, never on a clock.
    assert {timeout for waiter, timeout in waits if waiter is thread} == {None}
    server.stop()  # twice is harmless
    with server.start():
        assert _post(f"{server.base_url}/chat/completions", _chat())[0] == 200


def test_shared_reply_objects_are_not_mutated_between_requests() -> None:
    shared = Reply(content="same")
    with FakeChatServer(lambda r: shared, latency_s=0.0) as server:
        first = json.loads(_post(f"{server.base_url}/chat/completions", _chat("a"))[1])
        second = json.loads(_post(f"{server.base_url}/chat/completions", _chat("bbbbbbbb"))[1])
    assert first["usage"]["prompt_tokens"] == 0 and second["usage"]["prompt_tokens"] == 2
    assert shared.body is None


@pytest.mark.parametrize(
    "reply",
    [
        Reply(content="hello", usage=(7, 2)),
        Reply.error(429, "slow down", retry_after=3),
        Reply(body=b"<html>not json</html>"),
    ],
    ids=["chat", "rate-limited", "not-json"],
)
async def test_the_transport_answers_as_the_socket_does(reply: Reply) -> None:
    async def ask(client: openai.AsyncOpenAI) -> tuple[int, dict[str, str], bytes]:
        raw = await client.chat.completions.with_raw_response.create(
            model="m", messages=[{"role": "user", "content": "hi"}]
        )
        return raw.status_code, dict(raw.headers), raw.content

    async def both() -> list[tuple[int, dict[str, str], bytes] | str]:
        out: list[tuple[int, dict[str, str], bytes] | str] = []
        memory = FakeChatServer(lambda r: reply)
        async with FakeChatServer(lambda r: reply) as served:
            http = openai.DefaultAsyncHttpxClient(transport=memory.transport())
            for client in (
                openai.AsyncOpenAI(base_url=served.base_url, api_key="k", max_retries=0),
                openai.AsyncOpenAI(
                    base_url="http://x.test/v1", api_key="k", max_retries=0, http_client=http
                ),
            ):
                try:
                    status, headers, body = await ask(client)
                    out.append((status, {k: headers[k] for k in ("content-type",)}, body))
                except openai.APIStatusError as exc:
                    out.append(f"{exc.status_code} {exc.response.headers.get('retry-after')}")
                await client.close()
        return out

    over_http, in_memory = await both()
    if isinstance(over_http, tuple) and isinstance(in_memory, tuple):
        assert over_http[:2] == in_memory[:2]
        if reply.body is None:  # a completion: its id and time differ, its content does not
            assert json.loads(over_http[2])["choices"] == json.loads(in_memory[2])["choices"]
        else:
            assert over_http[2] == in_memory[2]
    else:
        assert over_http == in_memory


async def test_the_transport_drops_and_hangs_as_the_socket_does() -> None:
    memory = FakeChatServer(replies(Reply(drop=True), Reply(hang=True)))
    client = openai.AsyncOpenAI(
        base_url="http://x.test/v1",
        api_key="k",
        max_retries=0,
        http_client=openai.DefaultAsyncHttpxClient(transport=memory.transport()),
    )
    assert [m.id for m in (await client.models.list()).data] == ["fake-model"]
    with pytest.raises(openai.APIConnectionError):
        await client.chat.completions.create(model="m", messages=[])
    with pytest.raises(openai.APITimeoutError):
        await client.chat.completions.create(model="m", messages=[], timeout=0.05)
    await client.close()
