"""`artemis bench androidworld --ray`: one actor per emulator, on the node that hosts it.

An emulator is placed by its host (`--emulators HOST:CONSOLE:GRPC`): the actor runs on the
node with that IP and reaches the emulator on its own loopback, as android_world expects; an
emulator on 127.0.0.1 belongs to the driver's node.

Each actor runs the local worker (`run_worker`: android_world's env, suite and checkpointer,
the artemis agent) in a thread, against a checkpoint folder of its own node. The driver hands
it one task template at a time, with the checkpoints of that template's instances the run had
finished when it started, which the actor adds to its folder so android_world skips them as
on a local resume (an actor is sent the checkpoints of the templates it runs, no others). When
the template is done the actor sends back what it wrote (trajectories, usage-ledger lines,
checkpoints), and the driver writes it into the run's checkpoint folder, checkpoints last,
ledger lines through the durable append. An emulator lost mid-template sends what it finished
and gives the template back to the queue.
"""

from __future__ import annotations

import asyncio
import dataclasses
import ipaddress
import json
import queue
import socket
import threading
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.bench.androidworld.emulators import port_open
from artemis.bench.androidworld.results import instance_name
from artemis.bench.androidworld.worker import WorkerJob, WorkerResult, run_worker
from artemis.bench.distributed.actors import ActorPool
from artemis.bench.distributed.cluster import Cluster, connect, disconnect
from artemis.bench.distributed.files import Files, FolderWatch, place, write_files
from artemis.bench.distributed.scratch import Scratch
from artemis.durable import JsonlLog
from artemis.errors import BenchmarkError

CHECKPOINT_SUFFIX = ".pkl.gz"
#: Seconds `stop` waits for android_world to close its env.
STOP_WAIT_S = 60.0


class WorkerEnded(BenchmarkError):
    """An emulator's worker ended before its first template (it could not be set up)."""

    def __init__(self, result: WorkerResult) -> None:
        super().__init__(f"{result.emulator}: {result.status}: {result.message}")
        self.result = result


@dataclass(frozen=True)
class Template:
    """A task template as an actor is handed it: its registry name, and the checkpoints of
    its instances that the run has finished (file name -> bytes)."""

    name: str
    checkpoints: Files = field(default_factory=dict)

    def __str__(self) -> str:
        return self.name


@dataclass
class TemplateDone:
    """What an actor sends back for one template."""

    files: Files = field(default_factory=dict)  # written whole (trajectories, checkpoints)
    appended: Files = field(default_factory=dict)  # lines added to JSON Lines files
    #: The worker ended (its emulator lost): how; the template is not finished.
    ended: WorkerResult | None = None
    slot: int = 0


class _Bridge:
    """The task queue `run_worker` reads, fed by the actor one template at a time.

    `get_nowait` is called when the worker is ready for a template (after setting up, and
    after each template); it waits for the driver's next one. `put` is the worker giving a
    template back (its emulator was lost)."""

    def __init__(self) -> None:
        self.incoming: queue.Queue[str | None] = queue.Queue()
        self.back: queue.Queue[tuple[str, Any]] = queue.Queue()

    def get_nowait(self) -> str:
        self.back.put(("ready", None))
        name = self.incoming.get()
        if name is None:
            raise queue.Empty
        return name

    def put(self, item: str) -> None:
        self.back.put(("returned", item))


@dataclass
class AndroidWorldWorker:
    """One emulator's actor (see the module docstring)."""

    job: WorkerJob
    slot: int = 0
    _bridge: _Bridge | None = None
    _thread: threading.Thread | None = None
    _scratch: Scratch | None = None
    _watch: FolderWatch | None = None
    _result: WorkerResult | None = None

    async def start(self) -> None:
        emu = self.job.emulator
        if not await asyncio.to_thread(port_open, emu.host, emu.console_port):
            why = f"no emulator on console port {emu.console_port} of its node"
            raise WorkerEnded(WorkerResult(emu, "unavailable", why))
        self._scratch = scratch = await asyncio.to_thread(Scratch.make, "artemis-aw-")
        self._watch = FolderWatch(scratch.path)
        job = dataclasses.replace(self.job, checkpoint_dir=str(scratch.path))
        self._bridge = bridge = _Bridge()

        def work() -> None:
            try:
                result = run_worker(job, bridge)
            except Exception as exc:  # boundary: this emulator's failure goes to the driver
                result = WorkerResult(emu, "failed", f"{type(exc).__name__}: {exc}")
            bridge.back.put(("ended", result))

        self._thread = threading.Thread(target=work, name=f"androidworld-{emu.name}")
        self._thread.start()
        kind, value = await asyncio.to_thread(bridge.back.get)
        if kind == "ended":
            self._result = value
            raise WorkerEnded(value)

    async def run(self, template: Template) -> TemplateDone:
        assert self._bridge is not None and self._watch is not None
        if self._result is not None:
            return TemplateDone(ended=self._result, slot=self.slot)
        # The worker waits for its next template: its folder is still, and the finished
        # checkpoints added now are known to the watch, never sent back.
        await asyncio.to_thread(self._watch.add, template.checkpoints)
        self._bridge.incoming.put(template.name)
        kind, value = await asyncio.to_thread(self._bridge.back.get)
        if kind == "returned":  # the emulator was lost: the worker ends next
            kind, value = await asyncio.to_thread(self._bridge.back.get)
        if kind == "ended":
            self._result = value
        whole, appended = await asyncio.to_thread(self._watch.changes)
        return TemplateDone(whole, appended, self._result, self.slot)

    async def stop(self) -> None:
        if self._bridge is not None and self._result is None:
            self._bridge.incoming.put(None)
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, STOP_WAIT_S)
        if self._scratch is not None:
            await asyncio.to_thread(self._scratch.remove)


def node_for(cluster: Cluster, host: str) -> str:
    """The id of the live node an emulator's host names (loopback: the driver's node)."""
    try:
        address = ipaddress.ip_address(socket.gethostbyname(host))
    except (OSError, ValueError) as exc:
        raise BenchmarkError(f"cannot resolve the emulator host {host!r}: {exc}") from None
    if address.is_loopback:
        return cluster.driver_node
    for node in cluster.ray.nodes():
        if node.get("Alive") and node.get("NodeManagerAddress") == str(address):
            return str(node["NodeID"])
    raise BenchmarkError(f"no node of the Ray cluster has the address {host} of an emulator")


def finished_checkpoints(folder: Path, recorded: str, instances: int) -> Files:
    """The checkpoints in `folder` of a template's instances: android_world names them
    `{task.name}_{i}.pkl.gz`, `recorded` being the template's `task.name`."""
    out: Files = {}
    for i in range(instances):
        path = folder / f"{instance_name(recorded, i)}{CHECKPOINT_SUFFIX}"
        if path.is_file():
            out[path.name] = path.read_bytes()
    return out


def record_files(folder: Path, done: TemplateDone) -> None:
    """Write what an actor sent into the run's folder: trajectories, then ledger lines (the
    durable append), then checkpoints, which mark instances finished."""
    later = {n: d for n, d in done.files.items() if n.endswith(CHECKPOINT_SUFFIX)}
    write_files(folder, {n: d for n, d in done.files.items() if n not in later}, replace=False)
    for name, data in done.appended.items():
        log = JsonlLog(place(folder, name))
        for line in data.splitlines():
            try:
                record = json.loads(line)
            except ValueError:
                continue  # the actor's own log had a broken line: it stays behind
            if isinstance(record, dict):
                log.append(record)
    write_files(folder, later, replace=False)


async def run_workers_on_ray(
    address: str,
    jobs: Sequence[WorkerJob],
    templates: Mapping[str, str],
    folder: Path,
) -> list[WorkerResult]:
    """Run `templates` (registry name -> the `task.name` its checkpoints are recorded under)
    on one actor per job's emulator; a `WorkerResult` per emulator."""
    from ray.util.scheduling_strategies import NodeAffinitySchedulingStrategy

    instances = jobs[0].n_task_combinations

    def handed() -> list[Template]:
        return [
            Template(name, finished_checkpoints(folder, recorded, instances))
            for name, recorded in templates.items()
        ]

    cluster = connect(address)
    try:
        nodes = [node_for(cluster, job.emulator.host) for job in jobs]
        items = await asyncio.to_thread(handed)
        local = [
            dataclasses.replace(job, emulator=dataclasses.replace(job.emulator, host="127.0.0.1"))
            for job in jobs
        ]

        ended: dict[int, WorkerResult] = {}

        async def on_done(template: Template, done: TemplateDone) -> str | None:
            await asyncio.to_thread(record_files, folder, done)
            if done.ended is None:
                return None
            ended[done.slot] = done.ended
            return f"{done.ended.emulator}: {done.ended.status}: {done.ended.message}"

        pool: ActorPool[Template, TemplateDone] = ActorPool(
            cluster,
            len(jobs),
            lambda slot: AndroidWorldWorker(local[slot], slot),
            placement=lambda slot: {
                "scheduling_strategy": NodeAffinitySchedulingStrategy(nodes[slot], soft=False),
            },
        )
        report = await pool.run(items, on_done)
    finally:
        disconnect(cluster)
    results = []
    for slot, job in enumerate(jobs):
        error = report.start_errors.get(slot)
        if isinstance(error, WorkerEnded):
            results.append(dataclasses.replace(error.result, emulator=job.emulator))
        elif slot in ended:
            results.append(dataclasses.replace(ended[slot], emulator=job.emulator))
        elif slot in report.gave_up:
            results.append(WorkerResult(job.emulator, "failed", report.gave_up[slot]))
        else:
            results.append(WorkerResult(job.emulator, "done"))
    if report.left and all(r.status == "done" for r in results):
        left = ", ".join(t.name for t in report.left)
        results.append(WorkerResult(jobs[0].emulator, "lost", f"actors died; not run: {left}"))
    return results
