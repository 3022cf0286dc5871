"""A pool of simulated phones for a SimWorld run, each behind its own ADB server and reached
through the production `AdbDevice`, so episodes drive the phone exactly as they would drive an
emulator.

The phones are served in this process, or, with `separate_process`, by child processes of
their own (`artemis.sim.host`, one per core at most), where drawing their screens does not
compete with the agents for this interpreter's lock. Either way a slot keeps its phone and
device for the whole run, and `run(fn, *args)` calls `fn(phone, *args)` under the phone's
server lock, so no ADB command sees a half-prepared phone: between episodes the phone is reset
to the case's seed (its clock back at the start) and the task set up on it this way. Functions
given to `run` are module-level and their arguments and results picklable, so that they can
cross to the child.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar

from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.connect import connect_adb, open_sim
from artemis.errors import BenchmarkError
from artemis.sim.host import PhoneHost, SimHostError
from artemis.sim.phone import Phone
from artemis.sim.server import SimServer
from artemis.sim.simtime import ManualClock

T = TypeVar("T")


class PhoneRunner(Protocol):
    async def __call__(self, fn: Callable[..., T], *args: Any) -> T: ...


@dataclass
class SimSlot:
    """One simulated phone and the device that drives it over ADB."""

    index: int
    device: AdbDevice
    runner: PhoneRunner

    async def run(self, fn: Callable[..., T], *args: Any) -> T:
        """`fn(phone, *args)` on this slot's phone, under its server's lock."""
        return await self.runner(fn, *args)

    async def reset(self, seed: int) -> None:
        await self.run(reset_phone, seed)


def reset_phone(phone: Phone, seed: int) -> None:
    """The phone as a new one of `seed`, its clock at the start."""
    phone.clock = ManualClock()
    phone.reset(seed)


def _local(phone: Phone, server: SimServer) -> PhoneRunner:
    async def run(fn: Callable[..., T], *args: Any) -> T:
        return await server.ctx.call(fn, phone, *args)

    return run


def _hosted(host: PhoneHost, index: int) -> PhoneRunner:
    async def run(fn: Callable[..., T], *args: Any) -> T:
        value: T = await host.run(index, fn, *args)
        return value

    return run


def hosts(phones: int) -> int:
    """How many processes serve `phones` phones: one per core, at most one per phone."""
    return max(1, min(phones, os.cpu_count() or 1))


class DevicePool:
    """`size` simulated phones; `lease()` lends one out and takes it back."""

    def __init__(self, size: int, settings: Settings, *, separate_process: bool = False) -> None:
        if size < 1:
            raise BenchmarkError("--devices must be at least 1")
        self.size = size
        self.settings = settings
        self.separate_process = separate_process
        self.slots: list[SimSlot] = []
        self._free: asyncio.Queue[SimSlot] = asyncio.Queue()
        self._stack = contextlib.AsyncExitStack()

    async def __aenter__(self) -> DevicePool:
        try:
            if self.separate_process:
                await self._host()
            else:
                for i in range(self.size):
                    phone = Phone(0)
                    sim = await self._stack.enter_async_context(
                        open_sim(self.settings, phone=phone)
                    )
                    self._add(SimSlot(i, sim.device, _local(phone, sim.server)))
        except BaseException:
            await self._stack.aclose()
            raise
        return self

    async def _host(self) -> None:
        """The phones in `hosts()` processes, dealt out in turn, all started at once."""
        count = hosts(self.size)
        shares = [len(range(h, self.size, count)) for h in range(count)]
        started = [PhoneHost(n) for n in shares]
        for host in started:
            self._stack.push_async_callback(host.close)  # closing one never started is harmless
        outcomes = await asyncio.gather(*(h.start() for h in started), return_exceptions=True)
        for outcome in outcomes:
            if isinstance(outcome, SimHostError):
                raise BenchmarkError(f"the simulated phones' process: {outcome}")
            if isinstance(outcome, BaseException):
                raise outcome
        for i in range(self.size):
            host, index = started[i % count], i // count
            device = await connect_adb(host.addresses[index], self.settings, authenticate=False)
            self._stack.push_async_callback(device.close)
            self._add(SimSlot(i, device, _hosted(host, index)))

    def _add(self, slot: SimSlot) -> None:
        self.slots.append(slot)
        self._free.put_nowait(slot)

    async def __aexit__(self, *exc: object) -> None:
        await self._stack.aclose()

    @contextlib.asynccontextmanager
    async def lease(self) -> AsyncIterator[SimSlot]:
        slot = await self._free.get()
        try:
            yield slot
        finally:
            self._free.put_nowait(slot)
