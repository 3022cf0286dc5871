"""`artemis bench sim --ray`: SimWorld's cases on Ray actors, one simulated phone each.

Each actor starts one phone (the same `DevicePool` slot a local run uses) and runs cases with
the local runner's `run_case`, writing the episode's trajectory in a scratch folder of its
own node. It sends back the case's record and the trajectory's files; the driver writes the
files under `episodes/<case id>/` and then hands the record to the runner, which appends it to
the run's result store as it does for a local case. The record is written last, so a case
with a record has its whole trajectory, and a case cut off before it simply runs again.
"""

from __future__ import annotations

import asyncio
import contextlib
import shutil
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.bench.distributed.actors import ActorPool, PoolReport
from artemis.bench.distributed.cluster import connect, disconnect
from artemis.bench.distributed.files import Files, read_files, write_files
from artemis.bench.distributed.scratch import Scratch
from artemis.bench.distributed.tips import open_shared_tip_store, start_hub
from artemis.bench.results import Record
from artemis.bench.simworld.pool import DevicePool, SimSlot
from artemis.bench.simworld.registry import Case
from artemis.bench.simworld.runner import EPISODES_DIR, run_case
from artemis.config import Settings
from artemis.models.registry import resolve_model
from artemis.models.roles import Resolver
from artemis.tips.base import TipStore


@dataclass
class Finished:
    """What an actor sends back for one case."""

    record: Record
    files: Files = field(default_factory=dict)


@dataclass
class SimWorker:
    """One actor's phone: `run` plays one case on it (see the module docstring)."""

    base: Settings
    hub: Any | None
    resolve: Resolver = resolve_model
    _stack: contextlib.AsyncExitStack | None = None
    _slot: SimSlot | None = None
    _tips: TipStore | None = None
    _scratch: Path | None = None

    async def start(self) -> None:
        stack = contextlib.AsyncExitStack()
        try:
            pool = await stack.enter_async_context(DevicePool(1, self.base))
            self._slot = pool.slots[0]
            self._tips = await open_shared_tip_store(self.base, self.hub)
            stack.push_async_callback(self._tips.aclose)
            scratch = await asyncio.to_thread(Scratch.make, "artemis-sim-")
            stack.push_async_callback(asyncio.to_thread, scratch.remove)
            self._scratch = scratch.path
        except BaseException:
            await stack.aclose()
            raise
        self._stack = stack

    async def run(self, case: Case) -> Finished:
        assert self._slot is not None and self._tips is not None and self._scratch is not None
        record = await run_case(
            case, self._slot, self.base, self._tips, self._scratch, resolve=self.resolve
        )
        folder = self._scratch / EPISODES_DIR / case.id
        files = await asyncio.to_thread(read_files, folder)
        await asyncio.to_thread(shutil.rmtree, folder, ignore_errors=True)
        return Finished(record, files)

    async def stop(self) -> None:
        if self._stack is not None:
            await self._stack.aclose()
            self._stack = None


async def run_cases_on_ray(
    address: str,
    todo: Sequence[Case],
    *,
    actors: int,
    base: Settings,
    out: Path,
    finish: Callable[[Record], Awaitable[None]],
    resolve: Resolver = resolve_model,
) -> PoolReport[Case]:
    """Run `todo` on `actors` actors of the cluster at `address`; `finish` records each
    case in the driver (the runner's own path for a finished case)."""
    # On this thread: ray.init sets signal handlers, which only the main thread may.
    cluster = connect(address)
    hub = None
    try:
        if base.agent.use_tips:
            hub = start_hub(cluster.ray, base, cluster.driver_node)
            await hub.open.remote()

        async def on_done(case: Case, done: Finished) -> str | None:
            await asyncio.to_thread(write_files, out / EPISODES_DIR / case.id, done.files)
            await finish(done.record)
            return None

        pool: ActorPool[Case, Finished] = ActorPool(
            cluster, actors, lambda slot: SimWorker(base, hub, resolve), name=lambda c: c.id
        )
        return await pool.run(todo, on_done)
    finally:
        if hub is not None:
            with contextlib.suppress(Exception):  # the store is the hub's; closing is best effort
                await hub.close.remote()
        disconnect(cluster)
