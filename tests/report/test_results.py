"""A benchmark's result records joined to the episodes beside them."""

from __future__ import annotations

import re
import shutil
from collections.abc import Callable
from pathlib import Path

from artemis.bench.results import ResultStore
from artemis.report import build_report
from artemis.report.load import load_episode
from artemis.report.results import attach_results


def benchmark_layout(run: Path) -> Path:
    """The recorded episodes moved under `episodes/`, as a benchmark's --out keeps them, with
    a result record per case written by the shared result store (one case has no episode)."""
    (run / "episodes").mkdir()
    for name in ("01-wifi", "02-scroll", "04-failing"):
        shutil.move(run / name, run / "episodes" / name)
    store = ResultStore(run / "results.jsonl")
    store.append(
        {
            "id": "WifiOn-0",
            "template": "WifiOn",
            "params": {"state": "on"},
            "trajectory": "episodes/01-wifi",
            "status": "done",
            "score": 1.0,
        }
    )
    store.append(
        {"id": "Look-0", "template": "Look", "trajectory": "episodes/02-scroll", "score": 0.0}
    )
    store.append({"id": "04-failing", "template": "Battery", "status": "done", "score": 0.5})
    store.append(
        {"id": "Alarm-0", "template": "Alarm", "status": "error", "error": "Boom: <setup>"}
    )
    with open(run / "results.jsonl", "a", encoding="utf-8") as f:
        f.write("not json\n")
    return run


def test_records_join_by_trajectory_then_by_folder_name(run_copy: Callable[[], Path]) -> None:
    run = benchmark_layout(run_copy())
    eps = [load_episode(run / "episodes" / n, n) for n in ("01-wifi", "02-scroll", "04-failing")]
    orphans, problems = attach_results(run, eps)
    assert [ep.score for ep in eps] == [1.0, 0.0, 0.5]
    assert eps[0].record is not None and eps[0].record["template"] == "WifiOn"
    assert [r["id"] for r in orphans] == ["Alarm-0"]
    assert problems == [f"{run / 'results.jsonl'}:5: broken JSON: Expecting value at column 1"]


def test_the_index_of_a_benchmark_run_shows_checker_scores(run_copy: Callable[[], Path]) -> None:
    run = benchmark_layout(run_copy())
    report = build_report(run)
    text = report.out.read_text(encoding="utf-8")
    names = sorted(p.stem for p in (run / "report").iterdir())
    assert names[:3] == ["03-redacted", "05-crashed", "06-no-screens"]
    assert names[4:] == ["episodes__01-wifi", "episodes__02-scroll", "episodes__04-failing"]
    assert "checker score, mean per case" in text
    assert "37.5%" in text and "1 of 4 cases passed" in text  # (1 + 0 + 0.5 + 0) / 4
    assert "Cases without an episode" in text and "Boom: &lt;setup&gt;" in text
    assert "results.jsonl:5: broken JSON" in text
    assert "By task template" in text
    scores = re.findall(r'<td data-v="([0-9.]*)"><span class="badge (?:ok|bad|warn)">', text)
    assert sorted(scores) == ["0", "0.5", "1"]
    page = (run / "report" / "episodes__01-wifi.html").read_text(encoding="utf-8")
    assert "benchmark case <b>WifiOn-0</b> · template WifiOn" in page
    assert '<span class="badge ok">1</span>' in page and "&quot;state&quot;: &quot;on&quot;" in page
