"""The AndroidWorld runner on the stand-in: results, resume, failures, several emulators."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from rich.console import Console

from artemis.agent.trajectory import read_trajectory
from artemis.bench.androidworld.emulators import Emulator
from artemis.bench.androidworld.results import read_ledgers
from artemis.bench.androidworld.runner import RunOptions, run_androidworld
from artemis.bench.androidworld.worker import DEFAULT_AGENT_BUILDER
from artemis.config import Settings
from artemis.errors import BenchmarkError
from tests.bench.androidworld import fakes
from tests.bench.androidworld.conftest import Listener

ALL = ("FakeAnswerSum", "FakeBroken", "FakeTapOk", "FakeTypeName", "FakeWander")


def _emulator(listeners: list[Listener]) -> Emulator:
    console, grpc = Listener(), Listener()
    listeners += [console, grpc]
    return Emulator(console.port, grpc.port)


def _options(tmp_path: Path, emulators: tuple[Emulator, ...], **kw: object) -> RunOptions:
    adb = tmp_path / "adb"
    adb.write_text("")
    base = RunOptions(
        emulators=emulators,
        tasks=ALL,
        n_task_combinations=2,
        checkpoint_dir=tmp_path / "ckpt",
        adb_path=str(adb),
        agent_builder=fakes.builder_path(),
    )
    return replace(base, **kw)  # type: ignore[arg-type]


def _console() -> Console:
    return Console(width=160, record=True, force_terminal=False)


def test_a_run_reports_success_per_task_and_overall_with_usage(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    options = _options(tmp_path, (_emulator(listeners),))
    console = _console()
    summary = run_androidworld(options, Settings(), console)
    rows = {r.task: r for r in summary.rows}
    assert rows["FakeTapOk"].success == 1.0 and rows["FakeTapOk"].steps == 2
    assert rows["FakeTypeName"].success == 1.0
    assert rows["FakeAnswerSum"].success == 1.0 and rows["FakeAnswerSum"].steps == 1
    # Never says done: their budget int(10 * 0.3) = 3 steps, and it scores 0.
    assert rows["FakeWander"].success == 0.0 and rows["FakeWander"].steps == 3
    # A task that raises is recorded as failed; the run went on.
    assert rows["FakeBroken"].errored == 2 and rows["FakeBroken"].success is None
    assert summary.overall == pytest.approx(0.75)  # mean over the 4 scored templates
    assert summary.overall_errors_as_failures == pytest.approx(0.6)
    assert rows["FakeTapOk"].usage.tokens == 2 * 2 * (fakes.IN_TOKENS + fakes.OUT_TOKENS)
    assert rows["FakeWander"].usage.cost_usd == pytest.approx(2 * 3 * fakes.COST)
    text = console.export_text()
    assert "FakeTapOk" in text and "100.0%" in text and "75.0%" in text
    assert "2 instance(s) errored" in text
    saved = json.loads((tmp_path / "ckpt" / "artemis_summary.json").read_text())
    assert saved["overall_success"] == pytest.approx(0.75)
    assert len(read_ledgers(tmp_path / "ckpt")) == 10


def test_a_rerun_resumes_skipping_finished_instances(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    options = _options(tmp_path, (_emulator(listeners),))
    run_androidworld(options, Settings(), _console())
    fakes.DRIVERS.clear()
    summary = run_androidworld(options, Settings(), _console())
    # Only the errored instances ran again (and failed again, before any agent step).
    assert fakes.DRIVERS == []
    ledger = read_ledgers(tmp_path / "ckpt")
    assert len(ledger) == 12 and [r["instance"] for r in ledger[-2:]] == [
        "FakeBroken_0",
        "FakeBroken_1",
    ]
    assert summary.overall == pytest.approx(0.75)


def test_a_checkpoint_folder_only_resumes_its_own_run(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    emu = _emulator(listeners)
    run_androidworld(_options(tmp_path, (emu,), tasks=("FakeTapOk",)), Settings(), _console())
    with pytest.raises(BenchmarkError, match="task_random_seed=30"):
        run_androidworld(_options(tmp_path, (emu,), task_random_seed=7), Settings(), _console())


def test_unknown_task_names_are_refused_with_a_suggestion(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    options = _options(tmp_path, (_emulator(listeners),), tasks=("FakeTapOK",))
    with pytest.raises(BenchmarkError, match="did you mean FakeTapOk"):
        run_androidworld(options, Settings(), _console())


def test_no_emulator_is_a_clear_error(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    gone = Listener()
    grpc = Listener()  # bound before `gone` closes, so the system cannot hand it that port
    listeners.append(grpc)
    gone.close()
    options = _options(tmp_path, (Emulator(gone.port, grpc.port),))
    with pytest.raises(BenchmarkError, match=f"no emulator found on console port {gone.port}"):
        run_androidworld(options, Settings(), _console())
    up = _emulator(listeners)
    no_grpc = Listener()
    no_grpc.close()
    with pytest.raises(BenchmarkError, match=f"does not serve gRPC on port {no_grpc.port}"):
        run_androidworld(
            _options(tmp_path, (Emulator(up.console_port, no_grpc.port),)),
            Settings(),
            _console(),
        )


def test_an_emulator_lost_mid_run_stops_cleanly_and_the_run_resumes(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    emu = _emulator(listeners)
    console_listener = listeners[-2]
    android_world.SCENARIO[str(emu.console_port)] = {"die_after_actions": 3}
    android_world.ON_DIE[emu.console_port] = console_listener.close
    options = _options(tmp_path, (emu,))
    console = _console()
    with pytest.raises(BenchmarkError, match="stopped early") as info:
        run_androidworld(options, Settings(), console)
    assert "lost" in str(info.value) and "--checkpoint-dir" in str(info.value)
    assert "pending" in console.export_text()
    first = read_ledgers(tmp_path / "ckpt")
    finished = {r["instance"] for r in first if not r["error"]}
    assert finished and len(finished) < 10

    # The emulator comes back on the same port; the same command resumes.
    android_world.SCENARIO.clear()
    back = Listener.__new__(Listener)
    import socket

    back.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    back.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    back.sock.bind(("127.0.0.1", emu.console_port))
    back.sock.listen(4)
    back.port = emu.console_port
    listeners.append(back)
    summary = run_androidworld(options, Settings(), _console())
    assert summary.pending == 0 and summary.overall == pytest.approx(0.75)
    rerun = [r["instance"] for r in read_ledgers(tmp_path / "ckpt")[len(first) :]]
    assert not finished & set(rerun)  # nothing that had finished ran again


def test_an_emulator_that_cannot_be_set_up_is_reported(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    emu = _emulator(listeners)
    android_world.SCENARIO[str(emu.console_port)] = {"setup_fails": True}
    with pytest.raises(BenchmarkError, match="unavailable: cannot set up"):
        run_androidworld(_options(tmp_path, (emu,)), Settings(), _console())


def test_two_emulators_split_the_tasks_and_the_results_merge(
    android_world: ModuleType,
    listeners: list[Listener],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    a, b = _emulator(listeners), _emulator(listeners)
    scenario = tmp_path / "scenario.json"
    meet = {"rendezvous": str(tmp_path), "count": 2}  # both workers set up before either starts
    scenario.write_text(json.dumps({str(a.console_port): meet, str(b.console_port): meet}))
    monkeypatch.setenv("ANDROID_WORLD_STANDIN_SCENARIO", str(scenario))
    summary = run_androidworld(_options(tmp_path, (a, b)), Settings(), _console())
    assert summary.overall == pytest.approx(0.75)
    assert {r.task: r.scored for r in summary.rows} == {
        "FakeAnswerSum": 2,
        "FakeBroken": 0,
        "FakeTapOk": 2,
        "FakeTypeName": 2,
        "FakeWander": 2,
    }
    folder = tmp_path / "ckpt"
    per_emulator = {p.name: p.read_text().count("\n") for p in folder.glob("artemis_usage.*.jsonl")}
    assert set(per_emulator) == {
        f"artemis_usage.{a.console_port}.jsonl",
        f"artemis_usage.{b.console_port}.jsonl",
    }
    assert all(per_emulator.values())  # each emulator ran some of the tasks
    assert sum(per_emulator.values()) == 10
    assert len(list(folder.glob("*.pkl.gz"))) == 10


def test_the_default_pipeline_runs_offline_with_the_heuristic_baseline(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    # The production agent builder with models from the registry (`heuristic`, offline) and
    # the tip store the settings describe (embedded ChromaDB, the bundled corpus).
    overrides: dict[str, Any] = {"model": "heuristic", "device": {"settle_timeout_s": 0.05}}
    options = replace(
        _options(tmp_path, (_emulator(listeners),), tasks=("FakeTapOk", "FakeAnswerSum")),
        agent_builder=DEFAULT_AGENT_BUILDER,
        n_task_combinations=1,
        overrides=overrides,
    )
    summary = run_androidworld(options, Settings(**overrides), _console())
    assert summary.errored == 0 and summary.pending == 0
    episodes = sorted((tmp_path / "ckpt" / "trajectories").iterdir())
    assert len(episodes) == 2
    for folder in episodes:
        episode, steps = read_trajectory(folder)
        assert episode["status"] == "done" and steps
        assert set(episode["config"]["models"].values()) == {"heuristic"}
        assert episode["config"]["benchmark"] == "androidworld"


@pytest.mark.parametrize("family", ["miniwob", "miniwob_subset"])
def test_miniwob_tasks_are_counted_under_the_names_android_world_records(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path, family: str
) -> None:
    # MiniWoB's registry keys are its pages (`click-button`); its episodes and checkpoints
    # carry the task's name (`MiniWobClickButton`). The summary must match them up.
    options = _options(tmp_path, (_emulator(listeners),), family=family, tasks=("click-button",))
    summary = run_androidworld(options, Settings(), _console())
    [row] = summary.rows
    assert row.task == "MiniWobClickButton"
    assert (row.scored, row.pending, row.errored, row.success) == (2, 0, 0, 1.0)
    assert row.usage.tokens == 2 * (fakes.IN_TOKENS + fakes.OUT_TOKENS)  # attributed
    assert sorted(p.name for p in (tmp_path / "ckpt").glob("*.pkl.gz")) == [
        "MiniWobClickButton_0.pkl.gz",
        "MiniWobClickButton_1.pkl.gz",
    ]


def test_every_episode_is_graded_even_one_the_agent_never_ended(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    # As in android_world, `is_successful` runs after every episode; one that raises makes
    # the instance an error, although the agent never said it was done.
    emu = _emulator(listeners)
    android_world.SCENARIO[str(emu.console_port)] = {"grading_fails": True}
    summary = run_androidworld(
        _options(tmp_path, (emu,), tasks=("FakeWander",)), Settings(), _console()
    )
    [row] = summary.rows
    assert (row.errored, row.scored) == (2, 0)


def test_an_unreadable_checkpoint_file_is_skipped(
    android_world: ModuleType, listeners: list[Listener], tmp_path: Path
) -> None:
    # android_world's checkpointer skips a file it cannot read (one another worker is still
    # writing, or one a crash cut short); the instance it held runs again.
    emu = _emulator(listeners)
    options = _options(tmp_path, (emu,), tasks=("FakeTapOk",))
    run_androidworld(options, Settings(), _console())
    (tmp_path / "ckpt" / "FakeTapOk_1.pkl.gz").write_bytes(b"")
    fakes.DRIVERS.clear()
    summary = run_androidworld(options, Settings(), _console())
    assert len(fakes.DRIVERS) == 1  # only the unreadable instance ran again
    assert summary.rows[0].scored == 2
