"""Finding episode folders and reading them, whatever a crash or a bad disk left behind."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from artemis.report.load import find_episodes, load_episode
from tests.report.episodes import NAMES


def test_a_run_folder_lists_its_episodes_and_an_episode_folder_lists_itself(
    recorded_run: Path,
) -> None:
    found = find_episodes(recorded_run)
    assert [p.name for p in found] == NAMES
    assert find_episodes(recorded_run / "01-wifi") == [recorded_run / "01-wifi"]


def test_episodes_two_levels_down_are_found_but_not_inside_an_episode(
    run_copy: Callable[[], Path], tmp_path: Path
) -> None:
    run = run_copy()
    group = tmp_path / "runs"
    (group / "full").mkdir(parents=True)
    (run / "01-wifi").rename(group / "full" / "01-wifi")
    (group / "01-wifi-screens-only").mkdir()  # no trajectory files: not an episode
    assert find_episodes(group) == [group / "full" / "01-wifi"]
    assert find_episodes(tmp_path / "nothing-here") == []


def test_a_finished_episode_loads_without_problems(recorded_run: Path) -> None:
    ep = load_episode(recorded_run / "01-wifi", "01-wifi")
    assert ep.problems == []
    assert ep.task == "Turn on Wi-Fi" and ep.result == "success" and ep.success
    assert [s["step"] for s in ep.steps] == [0, 1, 2, 3]
    assert ep.total_tokens > 0 and ep.calls == 11
    assert ep.duration_s is not None and ep.duration_s > 0


def test_a_crashed_episode_says_so_and_keeps_its_finished_steps(recorded_run: Path) -> None:
    ep = load_episode(recorded_run / "05-crashed", "05-crashed")
    assert ep.status == "crashed" and ep.result == "crashed" and not ep.success
    assert len(ep.steps) == 1
    assert "the device exploded" in ep.data["errors"][0]


def test_a_torn_last_line_is_reported_and_the_rest_kept(run_copy: Callable[[], Path]) -> None:
    folder = run_copy() / "01-wifi"
    with open(folder / "steps.jsonl", "a", encoding="utf-8") as f:
        f.write('{"step": 4, "thought": "half a li')
    ep = load_episode(folder, "x")
    assert len(ep.steps) == 4
    assert any("last line of steps.jsonl is torn" in p for p in ep.problems)


def test_a_broken_middle_line_costs_that_step_only(run_copy: Callable[[], Path]) -> None:
    folder = run_copy() / "01-wifi"
    lines = (folder / "steps.jsonl").read_text(encoding="utf-8").splitlines()
    lines[1] = lines[1][:40]
    (folder / "steps.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    ep = load_episode(folder, "x")
    assert [s["step"] for s in ep.steps] == [0, 2, 3]
    assert any("steps.jsonl line 2 is broken" in p for p in ep.problems)
    assert any("counts 4 steps but only 3" in p for p in ep.problems)


def test_missing_files_are_named(run_copy: Callable[[], Path]) -> None:
    run = run_copy()
    (run / "01-wifi" / "episode.json").unlink()
    ep = load_episode(run / "01-wifi", "x")
    assert ep.data == {} and len(ep.steps) == 4 and ep.result == "unknown"
    assert any("episode.json is missing" in p for p in ep.problems)

    (run / "02-scroll" / "steps.jsonl").unlink()
    ep = load_episode(run / "02-scroll", "y")
    assert ep.steps == [] and ep.task == "Look around Settings"
    assert any("steps.jsonl is missing" in p for p in ep.problems)


def test_an_episode_without_an_end_is_flagged(run_copy: Callable[[], Path]) -> None:
    folder = run_copy() / "01-wifi"
    data = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    data.update(status="running", outcome=None, ended=None)
    (folder / "episode.json").write_text(json.dumps(data), encoding="utf-8")
    ep = load_episode(folder, "x")
    assert ep.result == "running"
    assert any("still running, or its process was killed" in p for p in ep.problems)


def test_episode_json_that_is_not_an_object_is_a_problem_not_a_crash(
    run_copy: Callable[[], Path],
) -> None:
    folder = run_copy() / "01-wifi"
    (folder / "episode.json").write_text("[1, 2]", encoding="utf-8")
    ep = load_episode(folder, "x")
    assert ep.data == {} and len(ep.steps) == 4
    assert any("holds list, not an object" in p for p in ep.problems)
