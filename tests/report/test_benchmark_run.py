"""The report of a real SimWorld run (`run_simworld` with the oracle on simulated phones)."""

from __future__ import annotations

import json
from pathlib import Path

from artemis.report import build_report


def test_a_simworld_run_gets_an_index_with_checker_scores_and_linked_pages(
    sim_run: Path,
) -> None:
    report = build_report(sim_run)
    assert [p.name for p in report.pages] == [
        "ExpenseMonthTotal-s0-0.html",
        "SettingsWifi-s0-0.html",
    ]
    index = report.out.read_text(encoding="utf-8")
    assert "checker score, mean per case" in index and "2 of 2 cases passed" in index
    assert "summary.json" in index and "By task template" in index
    assert "Missing or broken" not in index and "Cases without an episode" not in index
    summary = json.loads((sim_run / "summary.json").read_text(encoding="utf-8"))
    assert summary["success_rate"] == 1.0
    for page, ep in zip(report.pages, report.episodes, strict=True):
        text = page.read_text(encoding="utf-8")
        assert ep.record is not None and ep.score == 1.0
        assert f"benchmark case <b>{ep.record['id']}</b>" in text
        steps = text.count('<section class="step')
        assert steps == len(ep.steps) == ep.record["steps"]
        assert text.count("data:image/webp;base64,") == steps + 1
        assert "does not record where" not in text
