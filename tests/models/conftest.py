"""Fixtures for model tests: the local chat service, in memory (through the backends'
transport seam) or served on a socket, and backends pointed at it."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest
from PIL import Image

from artemis.models.connection import resolve_connection
from artemis.models.fake_server import FakeChatServer
from artemis.models.openai_backend import OpenAIModel
from artemis.models.retry import RetryPolicy


class SleepRecorder:
    """An injected sleep: records the waits instead of waiting."""

    def __init__(self) -> None:
        self.waits: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.waits.append(seconds)


#: The base URL of the in-memory service: any URL will do, nothing is sent on a network.
FAKE_URL = "http://chat.test/v1"


@pytest.fixture
def server() -> FakeChatServer:
    """The service, not started: models reach it through `server.transport()`."""
    return FakeChatServer()


@pytest.fixture
async def live_server() -> AsyncIterator[FakeChatServer]:
    """The service on a loopback socket, for what only real HTTP shows."""
    async with FakeChatServer() as s:
        yield s


@pytest.fixture
def sleeps() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def make_model(
    server: FakeChatServer, sleeps: SleepRecorder
) -> AsyncIterator[Callable[..., OpenAIModel]]:
    made: list[OpenAIModel] = []

    def make(name: str = "fake-model", *, max_retries: int = 3, **kwargs: Any) -> OpenAIModel:
        kwargs.setdefault("connection", resolve_connection(FAKE_URL, "test-key", env={}))
        kwargs.setdefault("transport", server.transport())
        kwargs.setdefault("retry", RetryPolicy(max_retries=max_retries, sleep=sleeps))
        made.append(OpenAIModel(name, **kwargs))
        return made[-1]

    yield make
    for model in made:
        await model.aclose()


def png(width: int, height: int, color: str = "white") -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (width, height), color).save(buf, "PNG")
    return buf.getvalue()
