"""The one durable-append mechanism: appends, torn tails, tolerant reads, atomic files."""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any

import pytest

from artemis.agent.trajectory import TrajectoryWriter, read_steps, read_trajectory
from artemis.bench.androidworld.agent import EpisodeUsage
from artemis.bench.androidworld.results import UsageLedger, read_ledgers
from artemis.bench.results import ResultStore
from artemis.durable import JsonlLog, ensure_dir, iter_jsonl, read_jsonl, write_atomic
from artemis.errors import StorageError
from artemis.models.testing import ScriptedModel
from artemis.models.wrappers import RecordingModel


def _ids(path: Path) -> list[Any]:
    return [json.loads(line)["id"] for line in path.read_text(encoding="utf-8").splitlines()]


def test_a_torn_last_line_is_cut_before_the_next_append(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"id": 1}\n{"id": 2, "half', encoding="utf-8")
    JsonlLog(path).append({"id": 3})
    assert _ids(path) == [1, 3]


def test_a_whole_last_line_that_lost_its_newline_is_kept(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_text('{"id": 1}\n{"id": 2}', encoding="utf-8")
    JsonlLog(path).append({"id": 3})
    assert _ids(path) == [1, 2, 3]


def test_the_usage_ledger_no_longer_glues_a_record_to_a_torn_line(tmp_path: Path) -> None:
    ledger = UsageLedger(tmp_path, "5554")
    ledger.path.write_text('{"instance": "A_0", "steps": 3}\n{"instance": "A_1", "st')
    ledger.append("A_2", EpisodeUsage(steps=4), error=False)
    assert [r["instance"] for r in read_ledgers(tmp_path)] == ["A_0", "A_2"]


def test_reading_names_every_bad_line_and_keeps_the_rest(tmp_path: Path) -> None:
    path = tmp_path / "log.jsonl"
    path.write_bytes(b'{"a": 1}\nnot json\n[1]\n\xff\xfe\n' + b"[" * 5000 + b'\n{"a": 2}\n{"a')
    records, problems = read_jsonl(path)
    assert records == [{"a": 1}, {"a": 2}]
    assert [p.split(": ", 1)[0] for p in problems] == [f"{path}:{n}" for n in (2, 3, 4, 5, 7)]
    assert "torn last line" in problems[-1] and "nested too deeply" in problems[3]
    assert [line.torn for line in iter_jsonl(path)][-1] is True


def test_a_broken_step_line_costs_that_step_only(tmp_path: Path) -> None:
    (tmp_path / "episode.json").write_text('{"id": "e"}', encoding="utf-8")
    (tmp_path / "steps.jsonl").write_text('{"step": 0}\n{"step": 1,\n{"step": 2}\n{"st')
    episode, steps = read_trajectory(tmp_path)
    assert episode == {"id": "e"} and [s["step"] for s in steps] == [0, 2]
    problems = read_steps(tmp_path)[1]
    assert problems[0].startswith("steps.jsonl line 2 is broken")
    assert problems[1].startswith("the last line of steps.jsonl is torn")


def test_concurrent_appends_from_threads_never_interleave(tmp_path: Path) -> None:
    log = JsonlLog(tmp_path / "log.jsonl", sync=False)
    payload = "y" * 20_000

    def write(k: int) -> None:
        for i in range(30):
            log.append({"id": k * 100 + i, "payload": payload})

    threads = [threading.Thread(target=write, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    records, problems = read_jsonl(tmp_path / "log.jsonl")
    assert problems == [] and len(records) == 120


def test_unwritable_places_are_a_storage_error_naming_the_path(tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    with pytest.raises(StorageError, match=r"cannot create the folder .*a-file/sub"):
        ensure_dir(blocker / "sub")
    with pytest.raises(StorageError, match=r"cannot use .*a-file as a folder"):
        JsonlLog(blocker / "log.jsonl").append({"id": 1})
    with pytest.raises(StorageError, match="cannot write"):
        write_atomic(tmp_path, "a folder is in the way")
    assert [p.name for p in tmp_path.iterdir()] == ["a-file"]


async def test_every_jsonl_writer_goes_through_the_one_log(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    written: list[str] = []
    append = JsonlLog.append

    def spy(self: JsonlLog, record: Any) -> None:
        written.append(self.path.name)
        append(self, record)

    monkeypatch.setattr(JsonlLog, "append", spy)
    writer = await TrajectoryWriter.create(tmp_path / "runs", task="t", config={})
    await writer.step({"step": 0})
    ResultStore(tmp_path / "results.jsonl").append({"id": "a"})
    UsageLedger(tmp_path, "5554").append("A_0", EpisodeUsage(), error=False)
    await RecordingModel(ScriptedModel(["hi"]), tmp_path / "calls.jsonl").complete([])
    assert written == [
        "steps.jsonl",
        "results.jsonl",
        "artemis_usage.5554.jsonl",
        "calls.jsonl",
    ]
