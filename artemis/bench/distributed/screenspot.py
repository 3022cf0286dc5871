"""`artemis bench screenspot --ray`: ScreenSpot's samples in batches on Ray actors.

The driver picks the samples as a local run does (those with an image, not yet done), groups
them into batches that keep the samples of one screenshot together, and sends each batch with
its images to an actor. The actor resolves the model on its own node (so each node may call
its own model server), runs the batch through the local runner (`run_samples`: the same
preparation, prompt, parsing and point mapping) into a scratch store, and sends the records
back. The driver appends them to the run's store, so the folder is a local run's.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from artemis.bench.distributed.actors import ActorPool
from artemis.bench.distributed.cluster import connect, disconnect
from artemis.bench.distributed.scratch import Scratch
from artemis.bench.results import Record, ResultStore
from artemis.bench.screenspot.data import Sample
from artemis.bench.screenspot.runner import (
    RunOptions,
    RunSummary,
    Selection,
    run_samples,
)
from artemis.config import Settings
from artemis.models.base import ChatModel, Usage
from artemis.models.registry import resolve_model

#: Samples per batch: enough to keep an actor's model calls in flight (`--concurrency`),
#: few enough that a lost actor costs little work.
BATCH_SAMPLES = 32


@dataclass
class Batch:
    """Samples and the images they need (file name -> bytes)."""

    number: int
    samples: list[tuple[Sample, str]]
    images: dict[str, bytes]

    def __str__(self) -> str:
        return f"batch {self.number} ({len(self.samples)} samples)"


@dataclass
class BatchDone:
    records: list[Record]
    usage: Usage
    problems: list[str] = field(default_factory=list)


def make_batches(todo: list[tuple[Sample, Path]], size: int = BATCH_SAMPLES) -> list[Batch]:
    """Batches of about `size` samples, never splitting one image's samples (`todo` sorted
    by image). Images are named by their index, so two folders' same names never clash."""
    batches: list[Batch] = []
    names: dict[Path, str] = {}
    current: Batch | None = None
    for sample, path in todo:
        new_image = path not in names
        if current is None or (new_image and len(current.samples) >= size):
            current = Batch(len(batches), [], {})
            batches.append(current)
            names = {}
        if path not in names:
            names[path] = f"{len(names)}{path.suffix}"
            current.images[names[path]] = path.read_bytes()
        current.samples.append((sample, names[path]))
    return batches


@dataclass
class ScreenSpotWorker:
    """One actor's model: `run` grounds one batch (see the module docstring)."""

    spec: str
    settings: Settings
    options: RunOptions
    _model: ChatModel | None = None

    async def start(self) -> None:
        self._model = resolve_model(self.spec, self.settings, use="grounding")

    async def run(self, batch: Batch) -> BatchDone:
        assert self._model is not None
        held = await asyncio.to_thread(Scratch.make, "artemis-ss-")
        scratch = held.path
        try:
            for name, data in batch.images.items():
                await asyncio.to_thread((scratch / name).write_bytes, data)
            selection = Selection(runnable=[(s, scratch / n) for s, n in batch.samples])
            store = ResultStore(scratch / "results.jsonl")
            summary = await run_samples(self._model, selection, store, self.options)
            order = {s.id: i for i, (s, _) in enumerate(batch.samples)}
            records = sorted(store.records.values(), key=lambda r: order[str(r["id"])])
            return BatchDone(records, summary.usage, summary.problems)
        finally:
            await asyncio.to_thread(held.remove)

    async def stop(self) -> None:
        close = getattr(self._model, "aclose", None)  # backends that hold connections
        if close is not None:
            await close()


@dataclass
class RaySamples:
    """Runs pending samples on a cluster: an `Executor` of `run_samples`."""

    address: str
    spec: str
    settings: Settings
    actors: int | None = None  # None: one per node of the cluster
    batch_samples: int = BATCH_SAMPLES

    async def __call__(
        self,
        model: ChatModel,
        todo: list[tuple[Sample, Path]],
        store: ResultStore,
        opts: RunOptions,
        summary: RunSummary,
        on_record: Callable[[Record], None] | None,
    ) -> None:
        """Run `todo` on the cluster (`model` is the driver's; each actor resolves its own)."""
        batches = await asyncio.to_thread(make_batches, todo, self.batch_samples)
        cluster = connect(self.address)
        try:

            async def on_done(batch: Batch, result: BatchDone) -> str | None:
                summary.usage = summary.usage + result.usage
                summary.problems.extend(result.problems)
                for record in result.records:
                    await asyncio.to_thread(store.append, record)
                    summary.finished += 1
                    if on_record is not None:
                        on_record(record)
                return None

            size = self.actors or cluster.nodes()
            pool: ActorPool[Batch, BatchDone] = ActorPool(
                cluster,
                min(size, len(batches)),
                lambda slot: ScreenSpotWorker(self.spec, self.settings, opts),
            )
            report = await pool.run(batches, on_done)
            summary.problems.extend(report.problems)
            summary.unfinished = sum(len(b.samples) for b in report.left)
        finally:
            disconnect(cluster)
