"""The pages as HTML: where they go, how they link, and that model text stays text."""

from __future__ import annotations

import base64
import hashlib
import html
import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from artemis.errors import ReportError
from artemis.report import build_report
from artemis.report.figures import step_figures
from artemis.report.load import load_episode
from artemis.report.step_html import render_step
from tests.report.episodes import EVIL, NAMES, SECRET


def hrefs(page: Path) -> list[str]:
    return re.findall(r'(?<![-\w])href="([^"#]+)"', page.read_text(encoding="utf-8"))


def test_a_run_gets_an_index_and_one_linked_page_per_episode(
    run_copy: Callable[[], Path],
) -> None:
    run = run_copy()
    report = build_report(run)
    assert report.index == run / "report.html"
    assert sorted(p.name for p in (run / "report").iterdir()) == [f"{n}.html" for n in NAMES]
    links = hrefs(report.index)
    assert len(links) == len(NAMES) and all((run / link).is_file() for link in links)
    for page in report.pages:
        targets = [(page.parent / h).resolve() for h in hrefs(page)]
        assert report.index.resolve() in targets
        assert all(t.is_file() for t in targets)


def test_the_index_is_ordered_by_task_and_shows_the_figures(
    recorded_run: Path, tmp_path: Path
) -> None:
    report = build_report(recorded_run, tmp_path / "out" / "run.html")
    text = (tmp_path / "out" / "run.html").read_text(encoding="utf-8")
    tasks = [html.unescape(t) for t in re.findall(r'<a href="run/[^"]+">([^<]+)</a>', text)]
    assert tasks == sorted(tasks) and len(tasks) == len(NAMES)
    assert "agent-reported success" in text and "57.1%" in text and "4 of 7" in text
    assert {p.parent for p in report.pages} == {tmp_path / "out" / "run"}
    assert not (recorded_run / "report.html").exists()  # nothing written into the input


def test_a_thought_with_markup_is_escaped_and_the_only_script_is_ours(
    recorded_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "wifi.html"
    build_report(recorded_run / "01-wifi", out)
    text = out.read_text(encoding="utf-8")
    assert "window.__pwned" in text
    assert "<script>window.__pwned" not in text and "<img src=x" not in text
    assert html.escape(EVIL, quote=True) in text
    assert "the marker is on &lt;Battery&gt;" in text
    scripts = re.findall(r"<script>(.*?)</script>", text, flags=re.S)
    assert len(scripts) == 1 and text.count("<script") == 1
    digest = base64.b64encode(hashlib.sha256(scripts[0].encode()).digest()).decode()
    csp = re.search(r'http-equiv="Content-Security-Policy" content="([^"]+)"', text)
    assert csp is not None
    assert f"script-src 'sha256-{digest}'" in csp.group(1)
    assert "default-src 'none'" in csp.group(1) and "img-src data:" in csp.group(1)


def test_a_step_shows_verdict_correction_reflection_and_costs(
    recorded_run: Path, tmp_path: Path
) -> None:
    out = tmp_path / "wifi.html"
    build_report(recorded_run / "01-wifi", out)
    text = out.read_text(encoding="utf-8")
    step1 = text[text.index('id="step-1"') : text.index('id="step-2"')]
    for expected in (
        "inconsistent · decided by the checker model",
        "error type: <b>parameters_or_target</b>",
        "tap (100,320)",  # planned
        "tap (100,120)",  # corrected and executed
        "the network page opened",
        "planned action, as the checker saw it",
        "executed action (corrected)",
        "corrector (ACA)",
        "settle: stable",
    ):
        assert expected in step1, expected
    assert "Wi-Fi lives under Network &amp; internet &gt; Internet" in text  # the lesson
    assert text.count('<section class="step') == 4
    assert text.count("<img ") == 4 + 1 + 1  # 3 steps + the corrected one + final screen


def test_redacted_text_stays_redacted(recorded_run: Path, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    build_report(recorded_run / "03-redacted", out)
    text = out.read_text(encoding="utf-8")
    assert "hunter2" not in text and html.escape(SECRET) not in text
    assert '<span class="redacted">[redacted]</span>' in text
    assert "Typed text was redacted" in text


def test_a_crashed_and_damaged_episode_says_what_is_missing(
    run_copy: Callable[[], Path], tmp_path: Path
) -> None:
    folder = run_copy() / "05-crashed"
    with open(folder / "steps.jsonl", "a", encoding="utf-8") as f:
        f.write('{"step": 1, "thou')
    (folder / "screens" / "000.png").unlink()
    report = build_report(folder)
    text = report.out.read_text(encoding="utf-8")
    assert report.out == folder / "report.html" and report.index is None
    assert "The episode crashed: RuntimeError: the device exploded" in text
    assert "the last line of steps.jsonl is torn" in text
    assert "screens/000.png is missing" in text
    assert "step 2 began on this screen and was not recorded" in text


def test_a_folder_with_only_broken_files_still_gets_a_page(tmp_path: Path) -> None:
    folder = tmp_path / "ep"
    folder.mkdir()
    (folder / "episode.json").write_text("{not json", encoding="utf-8")
    report = build_report(folder)
    text = report.out.read_text(encoding="utf-8")
    assert "episode.json cannot be read" in text and "steps.jsonl is missing" in text
    assert "No step was recorded." in text


def test_nothing_to_render_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ReportError, match="no episode in"):
        build_report(tmp_path)
    with pytest.raises(ReportError, match="does not exist"):
        build_report(tmp_path / "missing")
    (tmp_path / "f.txt").write_text("x", encoding="utf-8")
    with pytest.raises(ReportError, match="is not a folder"):
        build_report(tmp_path / "f.txt")


def test_the_output_must_be_an_html_file(recorded_run: Path) -> None:
    folder = recorded_run / "01-wifi"
    before = (folder / "episode.json").read_bytes()
    with pytest.raises(ReportError, match=r"ending in \.html"):
        build_report(folder, folder / "episode.json")
    assert (folder / "episode.json").read_bytes() == before


def test_a_run_summary_beside_the_episodes_is_shown(run_copy: Callable[[], Path]) -> None:
    run = run_copy()
    summary = {
        "success_rate": 0.5,
        "model": "oracle <x>",
        "tasks": {"WifiOn": {"episodes": 2, "success": 1.0}, "Alarm": {"episodes": 1}},
    }
    (run / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    text = build_report(run).out.read_text(encoding="utf-8")
    assert "summary.json" in text and "success_rate" in text and "oracle &lt;x&gt;" in text
    assert "<td>WifiOn</td>" in text and "<th>success</th>" in text


def test_a_step_whose_screen_was_not_captured_says_so_beside_its_screen(
    recorded_run: Path,
) -> None:
    ep = load_episode(recorded_run / "01-wifi", "wifi")
    step = dict(ep.steps[0])
    figures = step_figures(ep.folder, step)
    badge = "screen not captured"
    for flag, shown in ((True, True), (False, False), (None, False), ("yes", False)):
        page = render_step(ep, 0, {**step, "screen_blank": flag}, figures)
        shots = page[page.index('<div class="shots">') : page.index('<div class="details">')]
        assert (badge in shots) is shown, flag
        assert page.count(badge) == int(shown)
