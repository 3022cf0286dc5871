"""Fixtures for model tests: a running local server and backends pointed at it."""

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


@pytest.fixture
async def server() -> AsyncIterator[FakeChatServer]:
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
        kwargs.setdefault("connection", resolve_connection(server.base_url, "test-key", env={}))
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
