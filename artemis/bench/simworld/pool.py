"""A pool of simulated phones for a SimWorld run: each its own in-process ADB server, reached
through the production `AdbDevice`, so episodes drive the phone exactly as they would drive an
emulator.

A slot keeps its phone, server and device for the whole run; between episodes the phone is
reset to the case's seed (with its clock back at the start) and the task set up on it, under
the server's lock, so no ADB command sees a half-prepared phone.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import TypeVar

from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.connect import open_sim
from artemis.errors import BenchmarkError
from artemis.sim.phone import Phone
from artemis.sim.server import SimServer
from artemis.sim.simtime import ManualClock

T = TypeVar("T")


@dataclass
class SimSlot:
    """One simulated phone, its server, and the device that drives it over ADB."""

    index: int
    phone: Phone
    server: SimServer
    device: AdbDevice

    async def call(self, fn: Callable[[], T]) -> T:
        """Run `fn` on the phone under the server's lock (no ADB command runs meanwhile)."""
        return await self.server.ctx.call(fn)

    async def reset(self, seed: int) -> None:
        def go() -> None:
            self.phone.clock = ManualClock()
            self.phone.reset(seed)

        await self.call(go)


class DevicePool:
    """`size` simulated phones; `lease()` lends one out and takes it back."""

    def __init__(self, size: int, settings: Settings) -> None:
        if size < 1:
            raise BenchmarkError("--devices must be at least 1")
        self.size = size
        self.settings = settings
        self.slots: list[SimSlot] = []
        self._free: asyncio.Queue[SimSlot] = asyncio.Queue()
        self._stack = contextlib.AsyncExitStack()

    async def __aenter__(self) -> DevicePool:
        try:
            for i in range(self.size):
                phone = Phone(0)
                sim = await self._stack.enter_async_context(open_sim(self.settings, phone=phone))
                slot = SimSlot(i, phone, sim.server, sim.device)
                self.slots.append(slot)
                self._free.put_nowait(slot)
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    @contextlib.asynccontextmanager
    async def lease(self) -> AsyncIterator[SimSlot]:
        slot = await self._free.get()
        try:
            yield slot
        finally:
            self._free.put_nowait(slot)
