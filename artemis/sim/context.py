"""What the ADB side of the simulated phone shares between connections: the phone, a lock
that serialises access to it, the faults, the sleep function, and the little device state that
lives outside the phone's apps (display size override, reboot count, the window manager's
secure windows and last ANR).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import ParamSpec, TypeVar

from artemis.sim.contract import PhoneLike
from artemis.sim.faults import Faults
from artemis.sim.windows import WindowManager

P = ParamSpec("P")
T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]


@dataclass
class SimContext:
    phone: PhoneLike
    faults: Faults = field(default_factory=Faults)
    sleep: Sleep = asyncio.sleep
    size_override: tuple[int, int] | None = None
    reboots: int = 0
    windows: WindowManager = field(default_factory=WindowManager)
    _lock: asyncio.Lock | None = None

    @property
    def lock(self) -> asyncio.Lock:
        # Created on first use so that the context can be built outside the server's loop.
        if self._lock is None:
            self._lock = asyncio.Lock()
        return self._lock

    async def call(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a cheap phone call under the lock, on the loop."""
        async with self.lock:
            return fn(*args, **kwargs)

    async def call_heavy(self, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
        """Run a CPU-heavy phone call (rendering, XML) under the lock, off the loop."""
        async with self.lock:
            return await asyncio.to_thread(fn, *args, **kwargs)
