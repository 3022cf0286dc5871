"""`artemis report DIR [--out FILE]`."""

from __future__ import annotations

import io
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from rich.console import Console
from typer.testing import CliRunner

from artemis.cli import app

runner = CliRunner()


def test_report_writes_the_index_and_warns_about_damaged_episodes(
    run_copy: Callable[[], Path],
) -> None:
    run = run_copy()
    (run / "02-scroll" / "screens" / "final.png").unlink()
    (run / "04-failing" / "episode.json").unlink()
    result = runner.invoke(app, ["report", str(run)])
    assert result.exit_code == 0, result.output
    pages = run / "report"
    assert f"wrote {run / 'report.html'} (7 episodes; pages in {pages})" in result.stdout
    assert "04-failing: episode.json is missing" in result.stderr
    assert (run / "report" / "04-failing.html").is_file()


def test_a_terminal_sees_the_pages_counted(
    run_copy: Callable[[], Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn = io.StringIO()
    terminal = Console(file=drawn, force_terminal=True, width=120, color_system=None)
    monkeypatch.setattr("artemis.cli.report.err_console", terminal)
    result = runner.invoke(app, ["report", str(run_copy())])
    assert result.exit_code == 0, result.output
    assert "report" in drawn.getvalue() and "7/7" in drawn.getvalue()
    assert "succeeded" in drawn.getvalue()
    assert "7/7" not in result.output  # the log (not a terminal) gets no bar


def test_report_of_one_episode_to_a_chosen_file(recorded_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "pages" / "wifi.html"
    result = runner.invoke(app, ["report", str(recorded_run / "01-wifi"), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == f"wrote {out}"
    assert out.read_text(encoding="utf-8").startswith("<!doctype html>")


def test_nothing_to_render_exits_1_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "empty").mkdir()
    done = subprocess.run(
        [sys.executable, "-m", "artemis", "report", str(tmp_path / "empty")],
        capture_output=True,
        text=True,
        timeout=60,
        env={"PATH": "", "HOME": str(tmp_path), "COLUMNS": "300"},
    )
    assert done.returncode == 1
    assert done.stdout == ""
    assert done.stderr.splitlines() == [
        f"error: no episode in {tmp_path / 'empty'}: no episode.json or steps.jsonl in it or "
        "in its subfolders"
    ]


def test_the_report_of_an_artemis_run_on_the_simulated_phone(tmp_path: Path) -> None:
    out = tmp_path / "runs"
    ran = runner.invoke(
        app,
        ["run", "--device", "sim", "--model", "heuristic", "--out", str(out), "Turn on Wi-Fi"],
    )
    assert ran.exit_code == 0, ran.output
    result = runner.invoke(app, ["report", str(out)])
    assert result.exit_code == 0, result.output
    [page] = list((out / "report").iterdir())
    text = page.read_text(encoding="utf-8")
    steps = text.count('<section class="step')
    assert steps >= 3 and text.count("data:image/webp;base64,") == steps + 1  # + final screen
    assert '<span class="target">"Internet"</span>' in text and "use_tips" in text
    assert "Tips retrieved" in text and "Network &amp; internet" in text  # from ChromaDB
    assert "does not record where" not in text and "Missing or broken" not in text
