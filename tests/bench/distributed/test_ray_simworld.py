"""`bench sim --ray` on a real local Ray cluster: the same records as a local run, and no
case lost or recorded twice when an actor's process or a whole node is killed mid-run."""

from __future__ import annotations

import json
import os
import queue
import signal
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from pathlib import Path
from typing import Any

import pytest

from artemis.bench.results import read_records
from artemis.bench.simworld.runner import RunResult, SimRunOptions, run_simworld
from artemis.config import Settings
from tests.ray_cluster import LocalCluster

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


def _twice_on_ray(cluster: LocalCluster, out: Path, devices: int) -> SimRunOptions:
    """Two instances of each of FEW on `devices` actors, the oracle as the Manager alone."""
    return SimRunOptions(
        out=out, tasks=FEW, combinations=2, devices=devices, model="oracle",
        ablation="manager", ray=cluster.address,
    )  # fmt: skip


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
    options = _twice_on_ray(ray_cluster, tmp_path / "run", devices=2)
    victims: list[int] = []
    scratch_before = _scratch_folders()

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
    # The killed actor's scratch folder went with the actor that replaced it; the others, with
    # their actors when the runs ended. (Folders of actors killed before this test may have
    # gone too: the new actors sweep them.)
    assert _scratch_folders() <= scratch_before


def _scratch_folders() -> set[Path]:
    return set(Path(tempfile.gettempdir()).glob("artemis-sim-*"))


def _sim_command(cluster: LocalCluster, out: Path) -> list[str]:
    return [
        sys.executable,
        "-m",
        "artemis",
        "bench",
        "sim",
        "--ray",
        cluster.address,
        "-m",
        "oracle",
        "-a",
        "manager",
        "-t",
        ",".join(FEW),
        "-n",
        "2",
        "-d",
        "2",
        "-o",
        str(out),
    ]


def _lines_into(stream: Any, lines: queue.Queue[str | None]) -> None:
    """Each line of `stream` into `lines`, then None at its end."""
    for line in stream:
        lines.put(line)
    lines.put(None)


def test_ctrl_c_on_the_command_keeps_what_finished_and_a_rerun_does_the_rest(
    ray_cluster: LocalCluster, tmp_path: Path
) -> None:
    out = tmp_path / "run"
    env = {
        **os.environ,
        "ARTEMIS_DATA_DIR": str(tmp_path / "data"),
        "ARTEMIS_DEVICE__SETTLE_TIMEOUT_S": "0",
    }
    command = _sim_command(ray_cluster, out)
    proc = subprocess.Popen(
        command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
    )
    # The command prints a progress line (`[1/8] pass ...`) once a case is in results.jsonl.
    got: queue.Queue[str | None] = queue.Queue()
    reader = threading.Thread(target=_lines_into, args=(proc.stderr, got), daemon=True)
    reader.start()
    said: list[str] = []
    while not (said and said[-1].startswith("[1/")):
        line = got.get(timeout=120)
        assert line is not None, "".join(said)  # the command ended before a case finished
        said.append(line)
    proc.send_signal(signal.SIGINT)
    proc.wait(timeout=60)
    reader.join(timeout=10)
    while (line := got.get_nowait()) is not None:
        said.append(line)
    err = "".join(said)
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    results = out / "results.jsonl"
    kept = _lines_per_id(results)
    assert kept

    again = subprocess.run(command, env=env, capture_output=True, text=True, timeout=300)
    assert again.returncode == 0, again.stderr
    assert "success rate 100.0%" in again.stdout and "Traceback" not in again.stderr
    lines = _lines_per_id(results)
    assert len(lines) == 2 * len(FEW) and set(lines.values()) == {1}
    assert set(kept) <= set(lines)


async def test_a_node_lost_mid_run_costs_no_case(ray_cluster: LocalCluster, tmp_path: Path) -> None:
    node = ray_cluster.add_node()
    options = _twice_on_ray(ray_cluster, tmp_path / "run", devices=3)
    lost: list[int] = []

    def kill() -> None:
        # The actors are dealt over the nodes, one each: take down the node just added, once
        # its actor is up (a cold worker takes a while on a new node).
        deadline = time.monotonic() + 60
        while not ray_cluster.processes("ray::WorkerHost", node):
            assert time.monotonic() < deadline, "the new node hosts no actor"
            time.sleep(0.05)  # polling an observable state, bounded by the deadline
        lost.append(node)
        ray_cluster.kill_node(node)

    first = await _run_killing(ray_cluster, options, _settings(tmp_path), kill)
    assert lost
    again = await run_simworld(options, _settings(tmp_path))
    wanted = {c.id for c in again.cases}
    assert _lines_per_id(options.out / "results.jsonl") == Counter(dict.fromkeys(wanted, 1))
    assert first.ran + again.ran == len(wanted)
    assert again.summary.success_rate == 1.0
