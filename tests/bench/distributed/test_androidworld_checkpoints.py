"""`bench androidworld --ray` resumes a run: each actor is sent the finished checkpoints of the
templates it runs and no others, and android_world skips those instances on the actor as on a
local resume. The driver's side runs with a stand-in pool (what would be pickled to each
actor is looked at); the actor's side runs in this process with the android_world stand-in."""

from __future__ import annotations

import asyncio
import io
import pickle
from collections import defaultdict
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.console import Console

from artemis.bench.androidworld.emulators import Emulator
from artemis.bench.androidworld.results import read_ledgers
from artemis.bench.androidworld.runner import RunOptions, run_androidworld
from artemis.bench.androidworld.worker import WorkerJob
from artemis.bench.distributed import androidworld as on_ray
from artemis.bench.distributed.actors import PoolReport
from artemis.config import Settings
from tests.bench.androidworld import fakes
from tests.bench.androidworld.conftest import Listener

#: Registry name -> the name android_world records its checkpoints under.
TEMPLATES = {
    "FakeTapOk": "FakeTapOk",
    "FakeTypeName": "FakeTypeName",
    "FakeWander": "FakeWander",
    "click-button": "MiniWobClickButton",
}
FINISHED = (
    "FakeTapOk_0",
    "FakeTapOk_1",
    "FakeTypeName_1",
    "MiniWobClickButton_0",
    "FakeTapOkay_0",  # another template's, whose name starts like one of the run's
)


def _job(emulator: Emulator, folder: Path, tasks: tuple[str, ...]) -> WorkerJob:
    adb = folder.parent / "adb"
    adb.write_text("")
    return WorkerJob(
        emulator=emulator,
        adb_path=str(adb),
        family="android_world",
        tasks=tasks,
        n_task_combinations=2,
        seed=30,
        checkpoint_dir=str(folder),
        agent_builder=fakes.builder_path(),
    )


def _sent(value: object) -> bytes:
    return pickle.dumps(value)


async def test_each_actor_is_sent_only_the_checkpoints_of_the_templates_it_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    pytest.importorskip("ray", reason='Ray is not installed (pip install "artemis[ray]")')
    folder = tmp_path / "ckpt"
    folder.mkdir()
    for name in FINISHED:
        (folder / f"{name}.pkl.gz").write_bytes(f"checkpoint of {name}".encode())
    sent: dict[int, list[bytes]] = defaultdict(list)
    ran: dict[int, list[str]] = defaultdict(list)

    class Cluster:
        driver_node = "driver"

    class DealingPool:
        """Deals the templates to the actors in turn, as a pool of equal actors would."""

        def __init__(self, cluster: object, size: int, make_worker: Any, **kw: Any) -> None:
            self.size = size
            for slot in range(size):
                sent[slot].append(_sent(make_worker(slot)))

        async def run(self, items: list[Any], on_done: Any) -> PoolReport[Any]:
            for i, item in enumerate(items):
                slot = i % self.size
                sent[slot].append(_sent(item))
                ran[slot].append(str(item))
                await on_done(item, on_ray.TemplateDone(slot=slot))
            return PoolReport(started=self.size)

    monkeypatch.setattr(on_ray, "connect", lambda address: Cluster())
    monkeypatch.setattr(on_ray, "disconnect", lambda cluster: None)
    monkeypatch.setattr(on_ray, "ActorPool", DealingPool)
    jobs = [_job(Emulator(5554 + 2 * i, 8554 + i), folder, tuple(TEMPLATES)) for i in range(2)]
    results = await on_ray.run_workers_on_ray("auto", jobs, TEMPLATES, folder)
    assert [r.status for r in results] == ["done", "done"]
    assert sorted(t for slot in ran.values() for t in slot) == sorted(TEMPLATES)
    for slot, templates in ran.items():
        to_actor = b"".join(sent[slot])
        got = {n for n in FINISHED if f"checkpoint of {n}".encode() in to_actor}
        wanted = {n for n in FINISHED if n.rsplit("_", 1)[0] in {TEMPLATES[t] for t in templates}}
        assert got == wanted, (slot, templates)


def test_an_actor_skips_the_instances_whose_checkpoints_it_is_handed(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    # Not a coroutine: the local run below runs android_world's suite in this thread, and an
    # event loop running here would stop its agent.
    console, grpc = Listener(), Listener()
    listeners += [console, grpc]
    emulator = Emulator(console.port, grpc.port)
    # A finished local run; instance 1 of FakeTapOk is then lost, so it alone is left to do.
    done = tmp_path / "done"
    adb = tmp_path / "adb"
    adb.write_text("")
    options = RunOptions(
        emulators=(emulator,),
        tasks=("FakeTapOk",),
        n_task_combinations=2,
        checkpoint_dir=done,
        adb_path=str(adb),
        agent_builder=fakes.builder_path(),
    )
    run_androidworld(options, Settings(), Console(file=io.StringIO()))
    (done / "FakeTapOk_1.pkl.gz").unlink()
    finished = on_ray.finished_checkpoints(done, "FakeTapOk", 2)
    assert list(finished) == ["FakeTapOk_0.pkl.gz"]

    fakes.DRIVERS.clear()
    worker = on_ray.AndroidWorldWorker(_job(emulator, tmp_path / "unused", ("FakeTapOk",)))

    async def actor() -> on_ray.TemplateDone:
        await worker.start()
        try:
            return await worker.run(on_ray.Template("FakeTapOk", finished))
        finally:
            await worker.stop()

    result = asyncio.run(actor())
    assert result.ended is None
    assert len(fakes.DRIVERS) == 1  # instance 0 was skipped
    assert [n for n in result.files if n.endswith(".pkl.gz")] == ["FakeTapOk_1.pkl.gz"]
    out = tmp_path / "out"
    on_ray.record_files(out, result)
    assert [r["instance"] for r in read_ledgers(out)] == ["FakeTapOk_1"]
