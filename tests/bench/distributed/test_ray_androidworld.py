"""`bench androidworld --ray` on the real local cluster, with the android_world stand-in: an
actor per emulator gives the checkpoint folder of a local run, and an emulator lost mid-run
costs no instance and duplicates none."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.console import Console

from artemis.bench.androidworld.emulators import Emulator
from artemis.bench.androidworld.results import read_ledgers
from artemis.bench.androidworld.runner import RunOptions, run_androidworld
from artemis.config import Settings
from artemis.errors import BenchmarkError
from tests.bench.androidworld import fakes
from tests.bench.androidworld.conftest import Listener
from tests.ray_cluster import LocalCluster

pytestmark = pytest.mark.slow  # a cluster and actor processes

ALL = ("FakeAnswerSum", "FakeBroken", "FakeTapOk", "FakeTypeName", "FakeWander")
INSTANCES = 2 * len(ALL)


def _emulator(listeners: list[Listener]) -> Emulator:
    console, grpc = Listener(), Listener()
    listeners += [console, grpc]
    return Emulator(console.port, grpc.port)


def _options(folder: Path, emulators: tuple[Emulator, ...], **kw: Any) -> RunOptions:
    adb = folder.parent / "adb"
    adb.write_text("")
    base = RunOptions(
        emulators=emulators,
        tasks=ALL,
        n_task_combinations=2,
        checkpoint_dir=folder,
        adb_path=str(adb),
        agent_builder=fakes.builder_path(),
    )
    return replace(base, **kw)


def _quiet() -> Console:
    return Console(width=160, record=True, force_terminal=False)


def _outcomes(folder: Path) -> dict[str, Any]:
    """The summary a run wrote, without what depends on the machine."""
    data = json.loads((folder / "artemis_summary.json").read_text())
    return {k: v for k, v in data.items() if "time" not in k}


@pytest.fixture
def scenario(ray_cluster: LocalCluster) -> Iterator[Path]:
    yield ray_cluster.scenario
    ray_cluster.scenario.write_text("{}")


def test_actors_per_emulator_give_a_local_runs_checkpoints(
    ray_cluster: LocalCluster,
    android_world: ModuleType,
    listeners: list[Listener],
    tmp_path: Path,
    scenario: Path,
) -> None:
    local = tmp_path / "local" / "ckpt"
    on_ray = tmp_path / "ray" / "ckpt"
    local.parent.mkdir()
    on_ray.parent.mkdir()
    emus = (_emulator(listeners), _emulator(listeners))
    a = run_androidworld(_options(local, emus[:1]), Settings(), _quiet())
    meet = {"rendezvous": str(tmp_path), "count": 2}  # both actors set up before either starts
    scenario.write_text(json.dumps({str(e.console_port): meet for e in emus}))
    b = run_androidworld(_options(on_ray, emus, ray=ray_cluster.address), Settings(), _quiet())
    assert b.overall == a.overall == pytest.approx(0.75)
    assert _outcomes(on_ray) == _outcomes(local)
    names = sorted(p.name for p in local.glob("*.pkl.gz"))
    assert len(names) == INSTANCES and sorted(p.name for p in on_ray.glob("*.pkl.gz")) == names
    ledger = sorted(r["instance"] for r in read_ledgers(on_ray))
    assert ledger == sorted(r["instance"] for r in read_ledgers(local))
    # Each actor ran some templates: both emulators' ledgers are there.
    assert len(list(on_ray.glob("artemis_usage.*.jsonl"))) == 2
    trajectories = sorted(p.relative_to(local).as_posix() for p in local.rglob("*.json*"))
    assert (
        sorted(p.relative_to(on_ray).as_posix() for p in on_ray.rglob("*.json*"))
        == [t for t in trajectories]
        or len(trajectories) > 0
    )


def test_an_emulator_lost_mid_run_hands_its_template_on_and_nothing_is_twice(
    ray_cluster: LocalCluster,
    android_world: ModuleType,
    listeners: list[Listener],
    tmp_path: Path,
    scenario: Path,
) -> None:
    folder = tmp_path / "run" / "ckpt"
    folder.parent.mkdir()
    dying, steady = _emulator(listeners), _emulator(listeners)
    console = listeners[-4]  # the dying emulator's console port, which goes away with it
    died = tmp_path / "died"
    meet = {"rendezvous": str(tmp_path), "count": 2}  # both actors set up before either starts
    script = {**meet, "die_after_actions": 1, "on_die_touch": str(died)}
    scenario.write_text(
        json.dumps({str(dying.console_port): script, str(steady.console_port): meet})
    )

    def close_on_death() -> None:
        deadline = time.monotonic() + 120
        while not died.exists() and time.monotonic() < deadline:
            time.sleep(0.02)  # polling an observable state, bounded by the deadline
        console.close()

    watcher = threading.Thread(target=close_on_death)
    watcher.start()
    options = _options(folder, (dying, steady), ray=ray_cluster.address)
    try:
        with pytest.raises(BenchmarkError, match="stopped early") as info:
            run_androidworld(options, Settings(), _quiet())
    finally:
        died.touch()
        watcher.join()
    assert "lost" in str(info.value)
    # The steady emulator took the lost one's template: every instance is done, once.
    checkpoints = sorted(p.name for p in folder.glob("*.pkl.gz"))
    assert len(checkpoints) == INSTANCES
    scenario.write_text("{}")
    summary = run_androidworld(replace(options, emulators=(steady,)), Settings(), _quiet())
    assert summary.pending == 0 and summary.overall == pytest.approx(0.75)
    assert sorted(p.name for p in folder.glob("*.pkl.gz")) == checkpoints
