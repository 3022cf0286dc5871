"""`bench sim --ray` on a real local Ray cluster: the same records as a local run, and no
case lost or recorded twice when an actor's process or a whole node is killed mid-run."""

from __future__ import annotations

import json
import os
import signal
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from artemis.bench.results import read_records
from artemis.bench.simworld.runner import RunResult, SimRunOptions, run_simworld
from artemis.config import Settings
from tests.bench.distributed.conftest import LocalCluster

pytestmark = pytest.mark.slow  # a cluster start and actor processes cost seconds

FEW = ("SettingsWifi", "ContactsDelete", "MessagesReply", "ExpenseMonthTotal")
#: What differs between two runs of the same case: how long it took.
TIMING = {"duration_s"}


def _settings(tmp_path: Path) -> Settings:
    s = Settings(data_dir=tmp_path / "data", runs_dir=tmp_path / "runs")
    s.device.settle_timeout_s = 0
    return s


def _comparable(path: Path) -> dict[str, dict[str, Any]]:
    records = read_records(path).records
    return {i: {k: v for k, v in r.items() if k not in TIMING} for i, r in records.items()}


def _files(folder: Path) -> list[str]:
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*") if p.is_file())


def _lines_per_id(path: Path) -> Counter[str]:
    return Counter(json.loads(line)["id"] for line in path.read_text().splitlines())


async def test_a_ray_run_writes_the_same_results_folder_as_a_local_run(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    # The full agent (tips, checks, reflection): the tip store is the embedded one in the
    # driver's data folder, served to the actors by the run's tips hub.
    local = SimRunOptions(out=tmp_path / "local", tasks=FEW, devices=2, model="oracle")
    on_ray = SimRunOptions(
        **{**local.__dict__, "out": tmp_path / "ray", "ray": ray_cluster.address}
    )
    a = await run_simworld(local, _settings(tmp_path))
    b = await run_simworld(on_ray, _settings(tmp_path))

    assert b.ran == a.ran == len(FEW) and b.unfinished == 0 and not b.problems
    assert _comparable(b.out / "results.jsonl") == _comparable(a.out / "results.jsonl")
    assert all(
        r["status"] == "done" for r in read_records(b.out / "results.jsonl").records.values()
    )
    assert _files(b.out) == _files(a.out)  # every trajectory file, screenshots included
    assert (b.out / "run.json").read_text() == (a.out / "run.json").read_text()
    for case in b.cases:
        steps_a = (a.out / "episodes" / case.id / "steps.jsonl").read_text().splitlines()
        steps_b = (b.out / "episodes" / case.id / "steps.jsonl").read_text().splitlines()
        actions = [json.loads(s)["action"] for s in steps_a]
        assert [json.loads(s)["action"] for s in steps_b] == actions

    # Each folder resumes the other's run: nothing is left to do.
    again = await run_simworld(
        SimRunOptions(**{**on_ray.__dict__, "out": a.out}), _settings(tmp_path)
    )
    assert again.ran == 0 and again.skipped == len(FEW)


async def _run_killing(
    cluster: LocalCluster, options: SimRunOptions, settings: Settings, kill: Any
) -> RunResult:
    """Run `options`, calling `kill()` once, when the first case is recorded."""
    killed: list[bool] = []

    def on_case(record: dict[str, Any]) -> None:
        if not killed:
            killed.append(True)
            kill()

    return await run_simworld(options, settings, on_case=on_case)


async def test_killing_an_actor_mid_run_then_rerunning_does_every_case_once(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    options = SimRunOptions(
        out=tmp_path / "run",
        tasks=FEW,
        combinations=2,
        devices=2,
        model="oracle",
        ablation="manager",
        ray=ray_cluster.address,
    )
    victims: list[int] = []

    def kill() -> None:
        pids = ray_cluster.processes("ray::WorkerHost")
        assert pids, "no actor process found"
        victims.append(pids[0])
        os.kill(pids[0], signal.SIGKILL)

    first = await _run_killing(ray_cluster, options, _settings(tmp_path), kill)
    assert victims
    # The run went on: the killed actor's case ran again on a new actor.
    assert any("died" in p for p in first.problems), first.problems
    again = await run_simworld(options, _settings(tmp_path))

    results = options.out / "results.jsonl"
    wanted = {c.id for c in again.cases}
    assert len(wanted) == 2 * len(FEW)
    assert _lines_per_id(results) == Counter(dict.fromkeys(wanted, 1))  # each exactly once
    assert first.ran + again.ran == len(wanted)
    records = read_records(results).records
    assert all(r["status"] == "done" and r["score"] == 1.0 for r in records.values())
    assert all((options.out / r["trajectory"] / "episode.json").is_file() for r in records.values())


async def test_a_node_lost_mid_run_costs_no_case(ray_cluster: LocalCluster, tmp_path: Path) -> None:
    node = ray_cluster.add_node()
    options = SimRunOptions(
        out=tmp_path / "run",
        tasks=FEW,
        combinations=2,
        devices=3,
        model="oracle",
        ablation="manager",
        ray=ray_cluster.address,
    )
    lost: list[int] = []

    def kill() -> None:
        # The actors are spread over the nodes: take down a worker node that hosts one.
        hosting = [i for i in (node, 1) if ray_cluster.processes("ray::WorkerHost", i)]
        assert hosting, "no worker node hosts an actor"
        lost.append(hosting[0])
        ray_cluster.kill_node(hosting[0])

    first = await _run_killing(ray_cluster, options, _settings(tmp_path), kill)
    assert lost
    again = await run_simworld(options, _settings(tmp_path))
    wanted = {c.id for c in again.cases}
    assert _lines_per_id(options.out / "results.jsonl") == Counter(dict.fromkeys(wanted, 1))
    assert first.ran + again.ran == len(wanted)
    assert again.summary.success_rate == 1.0
