"""A pool of Ray actors, one per device, fed one case at a time by the driver.

Each actor hosts a `Worker` (a benchmark's code for one device: it starts the device, runs a
case, stops). The driver keeps the cases in one queue; each actor takes the next case when it
finishes one, so a fast device takes more of them. A finished case goes to the driver's
`on_done` (which records it durably) before the actor gets another.

A worker that cannot start (its device is not there) leaves its slot empty; the others go
on. When an actor dies (its process killed, its node lost), the case it was running goes back in
the queue and a new actor takes its place, a bounded number of times: a case is tried on at
most `attempts` actors, and each slot replaces its actor at most `attempts` times. Nothing a
dead actor did reaches the results, so no case is recorded twice; cases still queued when
every actor is gone are left for a rerun, which resumes from the results.
"""

from __future__ import annotations

import asyncio
import collections
import contextlib
import logging
import os
import socket
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic, Protocol, TypeVar

from artemis.bench.distributed.cluster import Cluster
from artemis.errors import BenchmarkError

log = logging.getLogger(__name__)

I = TypeVar("I")  # noqa: E741  (a case)
R = TypeVar("R")  # what a worker returns for a case
I_contra = TypeVar("I_contra", contravariant=True)
R_co = TypeVar("R_co", covariant=True)

#: Called in the driver with each finished item and its result; see `ActorPool.run`.
OnDone = Callable[[I, R], Awaitable[str | None]]

#: How long an actor may take to be placed and to start its device.
START_TIMEOUT_S = 120.0
ATTEMPTS = 3


class Worker(Protocol[I_contra, R_co]):
    """A benchmark's code for one device, inside an actor. It is pickled to the actor's node:
    it holds settings and plain data, and builds its device in `start`."""

    async def start(self) -> None: ...

    async def run(self, item: I_contra) -> R_co: ...

    async def stop(self) -> None: ...


class WorkerHost:
    """The actor class (made remote by `ActorPool`): hosts one worker, one case at a time."""

    def __init__(self, worker: Worker[Any, Any]) -> None:
        self.worker = worker

    async def start(self) -> dict[str, Any]:
        """Start the worker's device; where the actor runs (for logs and tests)."""
        await self.worker.start()
        return {"pid": os.getpid(), "host": socket.gethostname()}

    async def run(self, item: Any) -> Any:
        return await self.worker.run(item)

    async def stop(self) -> None:
        await self.worker.stop()


@dataclass
class PoolReport(Generic[I]):
    """How the pool went: actors started and lost, and cases no actor finished."""

    started: int = 0
    lost_actors: int = 0
    left: list[I] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)
    #: Slots that stopped with work still queued, and why (could not start, device gone).
    gave_up: dict[int, str] = field(default_factory=dict)
    #: The exception a slot's worker raised when it could not start.
    start_errors: dict[int, BaseException] = field(default_factory=dict)


class ActorPool(Generic[I, R]):
    """`size` actors, each made by `make_worker(slot)` and placed by `placement(slot)` (Ray
    actor options, e.g. a node to run on; by default `spread_over_nodes`). `name` names a
    case in messages."""

    def __init__(
        self,
        cluster: Cluster,
        size: int,
        make_worker: Callable[[int], Worker[I, R]],
        *,
        placement: Callable[[int], dict[str, Any]] | None = None,
        name: Callable[[I], str] = str,
        attempts: int = ATTEMPTS,
        start_timeout_s: float = START_TIMEOUT_S,
    ) -> None:
        if size < 1:
            raise BenchmarkError("a Ray run needs at least one actor (--devices)")
        self.cluster = cluster
        self.size = size
        self.make_worker = make_worker
        self.placement = placement or spread_over_nodes(cluster)
        self.name = name
        self.attempts = attempts
        self.start_timeout_s = start_timeout_s
        ray = cluster.ray
        self._remote = ray.remote(max_concurrency=1, max_restarts=0)(WorkerHost)
        self._died: tuple[type[BaseException], ...] = (
            ray.exceptions.RayActorError,
            ray.exceptions.ObjectLostError,
        )
        #: Where each live actor runs, by slot (pid and host).
        self.where: dict[int, dict[str, Any]] = {}

    async def run(self, items: Sequence[I], on_done: OnDone[I, R]) -> PoolReport[I]:
        """Run every item on the actors, calling `on_done(item, result)` in the driver as
        each finishes; see the module docstring for what happens when actors die.

        `on_done` returns None, or why the item is not finished because the actor's device
        is gone (an emulator lost): the item goes back in the queue and the slot stops."""
        report: PoolReport[I] = PoolReport()
        work: _Work[I] = _Work([(item, 0) for item in items])
        async with asyncio.TaskGroup() as tg:
            for slot in range(min(self.size, len(items))):
                tg.create_task(self._slot(slot, work, on_done, report))
        report.left += [item for item, _ in work.queue]
        return report

    async def _spawn(self, slot: int, report: PoolReport[I]) -> Any | None:
        actor = self._remote.options(**self.placement(slot)).remote(self.make_worker(slot))
        try:
            where = await asyncio.wait_for(_awaitable(actor.start.remote()), self.start_timeout_s)
        except TimeoutError:
            report.problems.append(
                f"actor {slot} was not placed within {self.start_timeout_s:g} s (does the "
                "cluster have a free CPU for it?); the other actors go on"
            )
        except self._died as exc:
            report.problems.append(f"actor {slot} died while starting: {_first_line(exc)}")
        except self.cluster.ray.exceptions.RayTaskError as exc:
            report.gave_up[slot] = _cause(exc)
            if isinstance(getattr(exc, "cause", None), BaseException):
                report.start_errors[slot] = exc.cause
            report.problems.append(f"actor {slot} could not start: {_cause(exc)}")
        else:
            self.where[slot] = where
            report.started += 1
            return actor
        self._kill(actor)
        return None

    async def _slot(
        self, slot: int, work: _Work[I], on_done: OnDone[I, R], report: PoolReport[I]
    ) -> None:
        actor = await self._spawn(slot, report)
        replaced = 0
        try:
            while actor is not None and (taken := await work.take()) is not None:
                item, tries = taken
                try:
                    result = await _awaitable(actor.run.remote(item))
                except self._died as exc:
                    self._lost(slot, item, tries, exc, work, report)
                    self._kill(actor)
                    actor = None
                    replaced += 1
                    if replaced <= self.attempts:
                        actor = await self._spawn(slot, report)
                    continue
                except self.cluster.ray.exceptions.RayTaskError as exc:
                    work.put_back(item, tries)  # not its fault: kept for a rerun
                    raise BenchmarkError(f"actor {slot} failed: {_cause(exc)}") from None
                try:
                    gone = await on_done(item, result)
                except BaseException:
                    work.put_back(item, tries)
                    raise
                if gone is None:
                    work.done()
                    continue
                work.put_back(item, tries)
                report.gave_up[slot] = gone
                report.problems.append(f"actor {slot} stopped: {gone}")
                break
        finally:
            if actor is not None:
                with contextlib.suppress(*self._died):
                    await _awaitable(actor.stop.remote())
                self._kill(actor)

    def _lost(
        self,
        slot: int,
        item: I,
        tries: int,
        exc: BaseException,
        work: _Work[I],
        report: PoolReport[I],
    ) -> None:
        """An actor died running `item`: it runs again elsewhere, or is left for a rerun."""
        report.lost_actors += 1
        self.where.pop(slot, None)
        log.info("actor %d died: %s", slot, _first_line(exc))
        if tries + 1 < self.attempts:
            report.problems.append(
                f"actor {slot} died during {self.name(item)}; the case runs again"
            )
            work.put_back(item, tries + 1)
            return
        work.done()
        report.left.append(item)
        report.problems.append(
            f"{self.name(item)}: its actor died {self.attempts} times; left for a rerun"
        )

    def _kill(self, actor: Any) -> None:
        with contextlib.suppress(Exception):  # already gone: nothing to end
            self.cluster.ray.kill(actor, no_restart=True)


class _Work(Generic[I]):
    """The queue of items and how many are out on actors. A slot waits for more while any
    is out, since an item whose actor dies comes back."""

    def __init__(self, items: list[tuple[I, int]]) -> None:
        self.queue: collections.deque[tuple[I, int]] = collections.deque(items)
        self.out = 0
        self._changed = asyncio.Event()

    async def take(self) -> tuple[I, int] | None:
        """The next item and its tries so far; None when none is queued or out."""
        while not self.queue and self.out:
            self._changed.clear()
            await self._changed.wait()
        if not self.queue:
            return None
        self.out += 1
        return self.queue.popleft()

    def done(self) -> None:
        self.out -= 1
        self._changed.set()

    def put_back(self, item: I, tries: int) -> None:
        self.queue.append((item, tries))
        self.done()


def spread_over_nodes(cluster: Cluster) -> Callable[[int], dict[str, Any]]:
    """Actors dealt over the live nodes in turn (slot i on node i mod n), so a run's devices
    are spread evenly and predictably; a node without room passes its actor on to another
    (soft affinity)."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    nodes = sorted(
        str(n["NodeID"])
        for n in cluster.ray.nodes()
        if n.get("Alive") and n.get("Resources", {}).get("CPU", 0) > 0
    )
    if not nodes:
        raise BenchmarkError(f"the Ray cluster at {cluster.address} has no node with a CPU")

    def place(slot: int) -> dict[str, Any]:
        node = nodes[slot % len(nodes)]
        return {"scheduling_strategy": NodeAffinitySchedulingStrategy(node, soft=True)}

    return place


async def _awaitable(ref: Any) -> Any:
    """Await a Ray object ref (refs are awaitable in asyncio)."""
    return await ref


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


def _cause(exc: Any) -> str:
    """The exception a remote call raised, as `Type: message` (not Ray's whole traceback)."""
    cause = getattr(exc, "cause", None)
    if isinstance(cause, BaseException):
        return f"{type(cause).__name__}: {cause}"
    return _first_line(exc)
