"""`run_simworld`: episodes through the agent loop over ADB on a pool of simulated phones,
resumable through the shared result store, with crashes recorded and the run going on."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

import pytest

from artemis.bench.results import read_records
from artemis.bench.simworld.oracle import OracleModel
from artemis.bench.simworld.runner import SimRunOptions, run_simworld
from artemis.bench.simworld.task import AnyTask
from artemis.config import Settings
from artemis.errors import BenchmarkError
from artemis.models.base import ChatModel, Message, ModelRequest, ModelResponse
from artemis.models.registry import resolve_model
from artemis.tips.base import InMemoryTipStore, Tip

FEW = ("SettingsWifi", "ContactsDelete", "MessagesReply", "ExpenseMonthTotal")


def _settings(tmp_path: Path) -> Settings:
    """No waiting for screens to settle: tests never sleep on the wall clock."""
    s = Settings(data_dir=tmp_path / "data", runs_dir=tmp_path / "runs")
    s.device.settle_timeout_s = 0
    return s


def _lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines()


async def test_the_oracle_scores_100_percent_and_a_rerun_resumes(tmp_path: Path) -> None:
    out = tmp_path / "run"
    opts = SimRunOptions(out=out, tasks=FEW, devices=2, model="oracle", ablation="manager")
    seen: list[str] = []
    first = await run_simworld(opts, _settings(tmp_path), on_case=lambda r: seen.append(r["id"]))
    assert (
        first.ran == len(FEW)
        and first.skipped == 0
        and sorted(seen) == sorted(c.id for c in first.cases)
    )
    summary = json.loads((out / "summary.json").read_text())
    assert summary["success_rate"] == 1.0 and summary["episodes"] == len(FEW)
    assert set(summary["per_task"]) == set(FEW)
    assert summary["models"]["manager"] == "oracle" and summary["ablation"] == "manager"
    for case in first.cases:
        episode = json.loads((out / "episodes" / case.id / "episode.json").read_text())
        assert episode["status"] == "done" and episode["task"] == case.task().goal
        assert (out / "episodes" / case.id / "steps.jsonl").read_text().strip()
    records = read_records(out / "results.jsonl").records
    assert all(r["status"] == "done" and r["score"] == 1.0 for r in records.values())
    assert all(r["usage"]["calls"] == r["steps"] for r in records.values())  # manager only
    lines = _lines(out / "results.jsonl")

    again = await run_simworld(opts, _settings(tmp_path))
    assert again.ran == 0 and again.skipped == len(FEW)
    assert _lines(out / "results.jsonl") == lines
    assert again.summary.success_rate == 1.0


async def test_a_torn_last_record_is_reported_and_its_case_runs_again(tmp_path: Path) -> None:
    out = tmp_path / "run"
    opts = SimRunOptions(
        out=out, tasks=("ClockStopwatch", "SettingsWifi"), model="oracle", ablation="manager"
    )
    await run_simworld(opts, _settings(tmp_path))
    results = out / "results.jsonl"
    data = results.read_bytes()
    results.write_bytes(data[: len(data) - 40])  # the process died while writing the last one
    again = await run_simworld(opts, _settings(tmp_path))
    assert again.ran == 1 and again.skipped == 1
    assert any("torn" in p for p in again.problems)
    assert again.summary.episodes == 2 and again.summary.success_rate == 1.0
    assert len(read_records(results).records) == 2


async def test_a_run_folder_belongs_to_one_model_and_ablation(tmp_path: Path) -> None:
    out = tmp_path / "run"
    opts = SimRunOptions(out=out, tasks=("ClockStopwatch",), model="oracle", ablation="manager")
    await run_simworld(opts, _settings(tmp_path))
    other = SimRunOptions(out=out, tasks=("ClockStopwatch",), model="heuristic", ablation="manager")
    with pytest.raises(BenchmarkError, match="use another --out"):
        await run_simworld(other, _settings(tmp_path))


class Crashing(OracleModel):
    """The oracle, except on one task, where the Manager's model blows up (a bug, not an
    expected model error)."""

    def __init__(self, victim: str) -> None:
        super().__init__()
        self.victim = victim

    def reply(self, request: ModelRequest | None) -> dict[str, Any]:
        assert self.task is not None
        if type(self.task).__name__ == self.victim:
            raise RuntimeError("the model fell over")
        return super().reply(request)


async def test_a_crashing_episode_is_recorded_and_the_run_goes_on(tmp_path: Path) -> None:
    out = tmp_path / "run"
    opts = SimRunOptions(out=out, tasks=("SettingsWifi", "ClockStopwatch"), model="oracle")
    opts = SimRunOptions(**{**opts.__dict__, "ablation": "manager"})
    crashing = lambda spec, s: Crashing("SettingsWifi")  # noqa: E731
    result = await run_simworld(opts, _settings(tmp_path), resolve=crashing)
    records = read_records(out / "results.jsonl").records
    wifi = next(r for r in records.values() if r["template"] == "SettingsWifi")
    stop = next(r for r in records.values() if r["template"] == "ClockStopwatch")
    assert wifi["status"] == "error" and "the model fell over" in wifi["error"]
    assert stop["status"] == "done" and stop["score"] == 1.0
    assert result.summary.errors == 1 and result.summary.success_rate == 0.5

    # A rerun runs the crashed case again, and only that one.
    fixed = await run_simworld(opts, _settings(tmp_path))
    assert fixed.ran == 1 and fixed.summary.success_rate == 1.0


class Recording:
    """Wraps the oracle and notes which roles call it."""

    def __init__(self, log: list[str]) -> None:
        self.inner = OracleModel()
        self.log = log
        self.name = "recording-oracle"
        self.coords = self.inner.coords
        self.image_rule = self.inner.image_rule
        self.dialect = self.inner.dialect

    def bind_task(self, task: AnyTask) -> None:
        self.inner.bind_task(task)

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: Any = None,
        tools: Any = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[Any]:
        self.log.append(str(request.role if request else None))
        return await self.inner.complete(
            messages, output_schema=output_schema, timeout_s=timeout_s, request=request
        )


@pytest.mark.parametrize(
    ("ablation", "roles"),
    [
        ("manager", {"manager"}),
        ("+sra", {"manager", "sra"}),
        ("+aca", {"manager", "sra", "aca"}),
        # ACA runs after TAC only when TAC objects, which it never does to the oracle.
        ("+tac", {"manager", "sra", "tac"}),
        ("full", {"manager", "sra", "tac"}),
    ],
)
async def test_ablation_switches_change_which_roles_are_called(
    tmp_path: Path, ablation: Any, roles: set[str]
) -> None:
    log: list[str] = []

    def resolve(spec: str | None, s: Settings) -> ChatModel:
        return Recording(log) if spec == "recording" else resolve_model(spec, s)

    settings = _settings(tmp_path)
    # TAC's UI-tree pre-check would otherwise decide alone on the oracle's clear thoughts.
    settings.agent.tac_skip_when_confident = False
    opts = SimRunOptions(
        out=tmp_path / "run", tasks=("SettingsWifi",), model="recording", ablation=ablation
    )
    tip = Tip(app="com.android.settings", text="Wi-Fi is under Network & internet > Internet.")
    store = InMemoryTipStore([tip])
    result = await run_simworld(opts, settings, resolve=resolve, tips=store)
    assert result.summary.success_rate == 1.0
    assert set(log) == roles
    (case,) = result.cases
    steps = [json.loads(x) for x in _lines(tmp_path / "run" / "episodes" / case.id / "steps.jsonl")]
    assert any(s["tips"] for s in steps) == (ablation == "full")


@pytest.mark.slow
async def test_the_oracle_solves_every_template_through_the_agent_loop(tmp_path: Path) -> None:
    from artemis.bench.simworld.registry import templates

    # The full ablation with the tip store the settings describe (the bundled corpus).
    opts = SimRunOptions(out=tmp_path / "run", devices=2, model="oracle", ablation="full")
    result = await run_simworld(opts, _settings(tmp_path))
    assert result.summary.episodes == len(templates())
    failed = {n: t.success_rate for n, t in result.summary.per_task.items() if t.success_rate < 1}
    assert failed == {}
    # ChromaDB answered: the episodes' steps show tips from the bundled corpus.
    episodes = tmp_path / "run" / "episodes"
    steps = [json.loads(x) for f in episodes.glob("*/steps.jsonl") for x in _lines(f)]
    assert sum(bool(s["tips"]) for s in steps) > len(steps) // 2


class ClosingTips(InMemoryTipStore):
    def __init__(self) -> None:
        super().__init__()
        self.closed = 0

    async def aclose(self) -> None:
        self.closed += 1


@pytest.fixture
def opened(monkeypatch: pytest.MonkeyPatch) -> ClosingTips:
    """The store a run opens for itself."""
    from artemis.bench.simworld import runner

    store = ClosingTips()

    async def fake_open(settings: Settings) -> ClosingTips:
        return store

    monkeypatch.setattr(runner, "open_tip_store", fake_open)
    return store


async def test_the_run_closes_the_tip_store_it_opened_and_not_one_passed_in(
    tmp_path: Path, opened: ClosingTips
) -> None:
    opts = SimRunOptions(out=tmp_path / "a", tasks=("SettingsWifi",), model="oracle")
    await run_simworld(opts, _settings(tmp_path))
    assert opened.closed == 1
    given = ClosingTips()
    opts = SimRunOptions(out=tmp_path / "b", tasks=("SettingsWifi",), model="oracle")
    await run_simworld(opts, _settings(tmp_path), tips=given)
    assert given.closed == 0


async def test_phones_that_cannot_start_leave_no_tip_store_open(
    tmp_path: Path, opened: ClosingTips, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The store opens while the phones start: when they fail, it is still closed.
    from artemis.errors import BenchmarkError

    monkeypatch.setattr("artemis.sim.host.sys.executable", "/nonexistent/python3")
    opts = SimRunOptions(
        out=tmp_path / "a", tasks=("SettingsWifi", "ClockAlarm"), model="oracle", devices=2
    )
    with pytest.raises(BenchmarkError, match="simulated phones' process: cannot start"):
        await run_simworld(opts, _settings(tmp_path))
    assert opened.closed == 1


async def test_a_tip_store_that_cannot_open_fails_the_run_and_closes_the_phones(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from artemis.bench.simworld import pool, runner
    from artemis.errors import TipStoreError

    closed: list[int] = []
    real_exit = pool.DevicePool.__aexit__

    async def exit_and_count(self: pool.DevicePool, *exc: object) -> None:
        closed.append(self.size)
        await real_exit(self, *exc)

    async def fail_open(settings: Settings) -> ClosingTips:
        raise TipStoreError("tip store /x: cannot open")

    monkeypatch.setattr(runner, "open_tip_store", fail_open)
    monkeypatch.setattr(pool.DevicePool, "__aexit__", exit_and_count)
    opts = SimRunOptions(out=tmp_path / "a", tasks=("SettingsWifi",), model="oracle")
    with pytest.raises(TipStoreError, match="cannot open"):
        await run_simworld(opts, _settings(tmp_path))
    assert closed == [1]


async def test_phones_that_cannot_start_do_not_wait_for_a_tip_store_still_opening(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A store server that never answers: the run fails on the phones at once (on the code
    # before, it waited for the store, and the test's time limit ended it).
    from artemis.bench.simworld import runner

    async def never_opens(settings: Settings) -> ClosingTips:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")

    monkeypatch.setattr(runner, "open_tip_store", never_opens)
    monkeypatch.setattr("artemis.sim.host.sys.executable", "/nonexistent/python3")
    opts = SimRunOptions(
        out=tmp_path / "a", tasks=("SettingsWifi", "ClockAlarm"), model="oracle", devices=2
    )
    with pytest.raises(BenchmarkError, match="simulated phones' process: cannot start"):
        await run_simworld(opts, _settings(tmp_path))
