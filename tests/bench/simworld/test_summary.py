"""Run figures: success per task and overall (mean of tasks), steps, calls and tokens."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from artemis.bench.simworld.ablation import ABLATIONS, SWITCHES, check_ablation, with_ablation
from artemis.bench.simworld.summary import Summary, case_line
from artemis.config import Settings
from artemis.durable import write_json
from artemis.errors import BenchmarkError


def _r(template: str, score: float, steps: int = 4, status: str = "done") -> dict[str, object]:
    usage = {"calls": steps * 2, "total_tokens": steps * 100}
    return {"template": template, "score": score, "steps": steps, "status": status, "usage": usage}


def test_overall_is_the_mean_of_task_rates_and_errors_count_as_failures() -> None:
    records = [_r("A", 1.0), _r("A", 0.0), _r("A", 1.0), _r("A", 1.0), _r("B", 0.0, status="error")]
    s = Summary.of(records, order=["A", "B", "C"])
    assert list(s.per_task) == ["A", "B"]  # C never ran
    assert s.per_task["A"].success_rate == 0.75
    assert s.success_rate == (0.75 + 0.0) / 2
    assert s.episode_success_rate == 3 / 5
    data = s.to_dict(model="m")
    assert data["model"] == "m" and data["errors"] == 1 and data["episodes"] == 5
    assert data["per_task"]["A"]["mean_steps"] == 4 and data["per_task"]["A"]["calls"] == 32
    console = Console(record=True, width=120)
    console.print(s.table())
    text = console.export_text()
    assert "75%" in text and "37.5%" in text


def test_bad_fields_count_as_zero_and_are_named_not_a_traceback() -> None:
    records: list[dict[str, object]] = [
        {**_r("A", 1.0), "id": "A-0"},
        {**_r("A", 1.0), "id": "A-1", "score": "abc"},
        {**_r("A", 1.0), "id": "A-2", "score": float("nan")},
        {**_r("A", 1.0), "id": "A-3", "score": 7},
        {**_r("B", 1.0), "id": "B-0", "score": {"x": 1}, "steps": "many", "usage": [1]},
        {**_r("B", 1.0), "id": "B-1", "duration_s": "1e999", "usage": {"calls": None}},
    ]
    s = Summary.of(records)
    assert s.per_task["A"].success_rate == 0.25 and s.per_task["B"].success_rate == 0.5
    assert s.per_task["B"].steps == 4 and s.per_task["B"].calls == 0
    assert len(s.problems) == 7
    assert "record A-1: score 'abc' is not a score in [0, 1]; counted as 0" in s.problems
    assert any("B-0: usage is not an object" in p for p in s.problems)
    assert any("B-1: duration_s '1e999' is not a number" in p for p in s.problems)
    json.dumps(s.to_dict())  # still a plain JSON document


def test_summary_json_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "summary.json"
    write_json(path, {"success_rate": 1.0})
    assert json.loads(path.read_text()) == {"success_rate": 1.0}
    assert [p.name for p in tmp_path.iterdir()] == ["summary.json"]


def test_ablation_rows_add_one_stage_each() -> None:
    assert ABLATIONS == ("manager", "+sra", "+aca", "+tac", "full")
    on = [sum(SWITCHES[a].values()) for a in ABLATIONS]
    assert on == [0, 1, 2, 3, 4]
    s = with_ablation(Settings(), "+aca", max_steps=7)
    assert (s.agent.use_sra, s.agent.use_aca, s.agent.use_tac, s.agent.use_tips) == (
        True,
        True,
        False,
        False,
    )
    assert s.agent.max_steps == 7
    with pytest.raises(BenchmarkError, match="manager"):
        check_ablation("+foo")


@pytest.mark.parametrize(
    ("record", "line"),
    [
        (
            {"status": "done", "outcome": "success", "steps": 4, "score": 1.0},
            ("pass", "success after 4 steps"),
        ),
        (
            {"status": "done", "outcome": "success", "steps": 4, "score": 0.0},
            ("fail", "the agent reported success after 4 steps, but the task's check failed"),
        ),
        (
            {"status": "done", "outcome": "answered", "steps": 1, "score": 0.5},
            ("fail", "the agent answered after 1 step, but the task's check failed (score 0.5)"),
        ),
        (
            {"status": "done", "outcome": "step_budget", "steps": 10, "score": 0.0,
             "reason": "the step budget of 10 ran out"},
            ("fail", "the step budget ran out after 10 steps: the step budget of 10 ran out"),
        ),
        (
            {"status": "error", "error": "RuntimeError: boom", "score": 0.0},
            ("error", "RuntimeError: boom"),
        ),
    ],
)  # fmt: skip
def test_a_case_line_says_what_failed(record: dict[str, object], line: tuple[str, str]) -> None:
    assert case_line(record) == line
