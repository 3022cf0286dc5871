"""`artemis bench sim`: a run, its resume, the task list, and the errors users see."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from artemis.cli import app

runner = CliRunner()


@pytest.fixture
def in_tmp(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Run from `tmp_path`, with screens settling at once (the oracle needs no waiting)."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("ARTEMIS_DEVICE__SETTLE_TIMEOUT_S", "0")
    return tmp_path


def test_an_oracle_run_reports_100_percent_then_resumes(in_tmp: Path) -> None:
    out = in_tmp / "run"
    args = ["bench", "sim", "--model", "oracle", "--devices", "2", "--out", str(out)]
    args += ["--tasks", "SettingsWifi,ClockTimer", "--tasks", "FilesNewFolder", "-a", "manager"]
    first = runner.invoke(app, args)
    assert first.exit_code == 0, first.output
    assert "success rate 100.0% over 3 tasks" in first.output and "ran 3, resumed 0" in first.output
    # Not a terminal: each episode's line is numbered, and no bar is drawn.
    assert "[1/3] pass " in first.output and "[3/3] pass " in first.output
    summary = json.loads((out / "summary.json").read_text())
    assert summary["success_rate"] == 1.0
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "ran 0, resumed 3" in again.output


def test_a_terminal_gets_a_progress_bar(in_tmp: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    drawn = io.StringIO()
    terminal = Console(file=drawn, force_terminal=True, width=120, color_system=None)
    monkeypatch.setattr("artemis.cli.bench_sim.err_console", terminal)
    args = ["bench", "sim", "-m", "oracle", "-a", "manager", "-o", str(in_tmp / "run")]
    result = runner.invoke(app, [*args, "-t", "SettingsWifi,ClockTimer"])
    assert result.exit_code == 0, result.output
    shown = drawn.getvalue()
    assert "SimWorld" in shown and "2/2" in shown and "2 passed" in shown
    assert "pass SettingsWifi" in shown and "[1/2]" not in shown


def test_a_bad_score_in_the_results_is_a_warning_not_a_traceback(in_tmp: Path) -> None:
    out = in_tmp / "run"
    args = ["bench", "sim", "-m", "oracle", "-a", "manager", "-t", "SettingsWifi", "-o", str(out)]
    assert runner.invoke(app, args).exit_code == 0
    results = out / "results.jsonl"
    [record] = [json.loads(line) for line in results.read_text().splitlines()]
    results.write_text(json.dumps({**record, "score": "abc"}) + "\n")
    again = runner.invoke(app, args)
    assert again.exit_code == 0, again.output
    assert "score 'abc' is not a score in [0, 1]; counted as 0" in again.output
    assert "success rate 0.0%" in again.output


def test_the_task_list_names_every_template() -> None:
    result = runner.invoke(app, ["bench", "sim", "--list"])
    assert result.exit_code == 0
    assert "CrossNoteToContact" in result.output and "ClockAddAlarm" in result.output


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--tasks", "Nope"], "no SimWorld task is called 'Nope'"),
        (["--ablation", "+xyz"], "unknown ablation"),
        (["--model", "nonsense:model"], "unknown model spec"),
        (["--devices", "0"], "--devices must be at least 1"),
    ],
)
def test_bad_input_gets_one_clear_line(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: list[str],
    message: str,
) -> None:
    import sys

    from artemis.cli import main

    base = ["artemis", "bench", "sim", "--model", "oracle", "--out", str(tmp_path / "r")]
    monkeypatch.setattr(sys, "argv", [*base, *args])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err
