"""`Link.parallel`: calls side by side on a route that opens a stream per call, one at a time
on one that shares a multiplexer; a lost link is re-opened once for every call waiting."""

from __future__ import annotations

import asyncio
from typing import ClassVar

import pytest

from artemis.device.link import Link, LinkLost, Service


class FakeLink(Link):
    """A route whose calls wait for `release`; `lose` makes the next N calls lose the link."""

    route = "fake"

    def __init__(self) -> None:
        super().__init__(reconnect_attempts=2, sleep=lambda _s: asyncio.sleep(0))
        self._up = False
        self.in_flight = 0
        self.most_in_flight = 0
        self.release = asyncio.Event()
        self.lose = 0

    @property
    def address(self) -> str:
        return "fake"

    @property
    def connected(self) -> bool:
        return self._up

    async def _open(self) -> None:
        await asyncio.sleep(0)
        self._up = True

    async def _drop(self) -> None:
        self._up = False

    async def _run(self, service: Service, cmd: str, timeout_s: float) -> bytes:
        self.in_flight += 1
        self.most_in_flight = max(self.most_in_flight, self.in_flight)
        try:
            await self.release.wait()
            if self.lose:
                self.lose -= 1
                raise LinkLost("reset")
            return cmd.encode()
        finally:
            self.in_flight -= 1


class ParallelLink(FakeLink):
    parallel: ClassVar[int] = 3


async def _until(check: object, turns: int = 200) -> None:
    for _ in range(turns):  # turns of the event loop, not time
        if check():  # type: ignore[operator]
            return
        await asyncio.sleep(0)
    raise AssertionError("never happened")


@pytest.mark.parametrize(("cls", "most"), [(FakeLink, 1), (ParallelLink, 3)])
async def test_calls_in_flight_are_bounded_by_parallel(cls: type[FakeLink], most: int) -> None:
    link = cls()
    calls = [asyncio.create_task(link.exec_out(f"c{i}")) for i in range(5)]
    await _until(lambda: link.in_flight == most)
    for _ in range(20):
        await asyncio.sleep(0)
    assert link.in_flight == most  # no more than that, however long they wait
    link.release.set()
    assert await asyncio.gather(*calls) == [f"c{i}".encode() for i in range(5)]
    assert link.most_in_flight == most and link.connects == 1


async def test_a_lost_parallel_link_is_reopened_and_every_call_answered() -> None:
    link = ParallelLink()
    link.lose = 2  # the first two calls to finish find the link gone
    calls = [asyncio.create_task(link.exec_out(f"c{i}")) for i in range(3)]
    await _until(lambda: link.in_flight == 3)
    link.release.set()
    assert await asyncio.gather(*calls) == [b"c0", b"c1", b"c2"]
    # Opened once at first, then again after each loss at most: never once per waiting call.
    assert 2 <= link.connects <= 3
