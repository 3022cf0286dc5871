from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest

from artemis.sim.server import SimServer, ThreadedSimServer
from tests.sim.fake_phone import FakePhone


class FakeSleep:
    """An injected sleep: records what was asked and returns at once."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    async def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def phone() -> FakePhone:
    return FakePhone()


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
async def server(phone: FakePhone, fake_sleep: FakeSleep) -> AsyncIterator[SimServer]:
    async with SimServer(phone, sleep=fake_sleep) as srv:
        yield srv


@pytest.fixture
def threaded(phone: FakePhone, fake_sleep: FakeSleep) -> Iterator[ThreadedSimServer]:
    with ThreadedSimServer(phone, sleep=fake_sleep) as srv:
        yield srv
