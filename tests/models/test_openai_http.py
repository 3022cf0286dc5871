"""The openai backend over real HTTP to the local server on loopback: what only a socket shows
(a connection refused or dropped, connection pools per event loop, named servers reached by
URL). Every other path is tested in memory (test_openai_backend.py)."""

from __future__ import annotations

import asyncio
import socket
from typing import Any

import pytest

from artemis.config import ModelSettings, ServerSettings, Settings
from artemis.errors import ModelConfigError, RealModelCallError
from artemis.models.base import Message, ModelResponse
from artemis.models.connection import resolve_connection
from artemis.models.fake_server import FakeChatServer, Reply, always, replies
from artemis.models.openai_backend import OpenAIModel
from artemis.models.retry import RetryPolicy
from artemis.models.roles import build_role_models
from tests.models.conftest import SleepRecorder, png


def _model(url: str, sleeps: SleepRecorder, **kwargs: Any) -> OpenAIModel:
    kwargs.setdefault("connection", resolve_connection(url, "test-key", env={}))
    return OpenAIModel("fake-model", retry=RetryPolicy(max_retries=1, sleep=sleeps), **kwargs)


async def test_the_guard_stops_a_real_call_before_any_request(
    live_server: FakeChatServer, sleeps: SleepRecorder
) -> None:
    model = _model(live_server.base_url, sleeps)
    with pytest.raises(RealModelCallError, match="openai:fake-model"):
        await model.complete([Message.user("x")])
    assert live_server.requests == []


@pytest.mark.real_model
async def test_a_call_over_http_carries_images_usage_and_the_key(
    live_server: FakeChatServer, sleeps: SleepRecorder
) -> None:
    live_server.handler = always(Reply(content="hello", usage=(123, 45)))
    model = _model(live_server.base_url, sleeps)
    r: ModelResponse[Any] = await model.complete([Message.user("hi", png(200, 100))])
    assert r.text == "hello" and r.usage.input_tokens == 123
    sent = live_server.chat_requests[0]
    assert sent.api_key == "test-key" and sent.image_sizes() == [(200, 100)]
    await model.aclose()


@pytest.mark.real_model
async def test_a_dropped_connection_is_retried(
    live_server: FakeChatServer, sleeps: SleepRecorder
) -> None:
    live_server.handler = replies(Reply(drop=True), then=always("ok"))
    r: ModelResponse[Any] = await _model(live_server.base_url, sleeps).complete([Message.user("x")])
    assert r.text == "ok" and r.extra["attempts"] == 2


@pytest.mark.real_model
async def test_connection_refused_names_the_url(sleeps: SleepRecorder) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/v1"
    model = _model(url, sleeps, connection=resolve_connection(url, env={}))
    with pytest.raises(ModelConfigError, match=f"cannot reach the model server at {url}"):
        await model.complete([Message.user("x")])


@pytest.mark.real_model
async def test_one_model_serves_several_event_loops(live_server: FakeChatServer) -> None:
    model = OpenAIModel("m", connection=resolve_connection(live_server.base_url, "k", env={}))

    def in_a_new_loop() -> str:
        return asyncio.run(model.complete([Message.user("x")])).text

    assert await asyncio.to_thread(in_a_new_loop) == "ok"
    assert await asyncio.to_thread(in_a_new_loop) == "ok"


@pytest.mark.real_model
async def test_roles_on_different_servers_reach_their_own_server() -> None:
    async with (
        FakeChatServer(always("from the big one"), api_key="remote-key") as remote,
        FakeChatServer(always("from the small one")) as local,
    ):
        settings = Settings(
            model="remote:big-vl",
            models=ModelSettings(
                tac="local:small-vl",
                max_retries=0,
                servers={
                    "remote": ServerSettings(base_url=remote.base_url, api_key="remote-key"),
                    "local": ServerSettings(base_url=local.base_url),
                },
            ),
        )
        roles = build_role_models(settings)
        assert (await roles.manager.complete([Message.user("x")])).text == "from the big one"
        assert (await roles.tac.complete([Message.user("x")])).text == "from the small one"
        await roles.aclose()
    assert [r.model for r in remote.chat_requests] == ["big-vl"]
    assert [r.model for r in local.chat_requests] == ["small-vl"]
