"""The shared progress display: a bar on a terminal, numbered plain lines in a log."""

from __future__ import annotations

import io

from rich.console import Console

from artemis.bench.androidworld.results import progress_counts
from artemis.progress import Tracker


def _console(terminal: bool) -> tuple[Console, io.StringIO]:
    out = io.StringIO()
    return Console(file=out, force_terminal=terminal, width=120, color_system=None), out


def test_a_log_gets_numbered_lines_and_no_bar() -> None:
    console, out = _console(terminal=False)
    with Tracker(console, "SimWorld", 3) as t:
        assert not t.live
        t.advance(1.0, "pass a: done in 2 steps")
        t.advance(0.0)  # no line: nothing is written
        t.advance(0.0, "[yellow]fail[/yellow] c: budget", markup=True)
    assert out.getvalue().splitlines() == [
        "[1/3] pass a: done in 2 steps",
        "[3/3] fail c: budget",
    ]
    assert (t.done, t.ok) == (3, 1.0)


def test_a_terminal_gets_a_bar_with_k_of_n_and_the_successes() -> None:
    console, out = _console(terminal=True)
    with Tracker(console, "screenspot", counted="correct") as t:
        assert t.live
        t.set_total(4)
        t.advance(1.0, "first")
        t.advance(1.0)
        t._bar.refresh()  # type: ignore[union-attr]  # draw now rather than on rich's timer
        drawn = out.getvalue()
    assert "first" in drawn
    assert "[1/4]" not in drawn  # the bar counts; lines are not numbered
    assert "2/4" in drawn and "2 correct" in drawn and "screenspot" in drawn


def test_counts_set_from_elsewhere() -> None:
    console, _ = _console(terminal=False)
    t = Tracker(console, "AndroidWorld", 10)
    t.set(7, 2.5)
    t.advance(1.0)
    assert (t.done, t.ok) == (8, 3.5)


def test_androidworld_progress_counts_the_latest_attempt_of_each_instance() -> None:
    records = [
        {"instance": "A_0", "error": True},
        {"instance": "A_0", "error": False, "success": 1.0},
        {"instance": "B_0", "error": False, "success": 0.0},
        {"instance": "C_0", "error": False, "success": 1.0},
        {"instance": "C_0", "error": True},  # retried and raised: not finished any more
        {"instance": "D_0", "error": False},  # written before success was recorded
    ]
    assert progress_counts(records) == (3, 1.0)
