"""The shared result store: durable appends, tolerant reading, resume."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from artemis.bench.results import ResultStore, iter_jsonl, read_records


def test_appended_records_are_read_back_by_id_and_the_latest_wins(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "r.jsonl")
    store.append({"id": "a", "status": "error"})
    store.append({"id": "b", "status": "ok"})
    store.append({"id": "a", "status": "ok", "point": [1, 2]})
    again = ResultStore(tmp_path / "r.jsonl")
    assert again.records["a"] == {"id": "a", "status": "ok", "point": [1, 2]}
    assert again.loaded.duplicates == 1
    assert again.done() == {"a", "b"}
    assert again.done(lambda r: r.get("point") is not None) == {"a"}


def test_each_record_is_one_complete_line_on_disk(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "r.jsonl")
    store.append({"id": "x", "text": "line\nbreak and ünïcode"})
    raw = (tmp_path / "r.jsonl").read_text(encoding="utf-8")
    assert raw.count("\n") == 1 and raw.endswith("\n")
    assert json.loads(raw)["text"] == "line\nbreak and ünïcode"


def test_a_torn_last_line_is_reported_and_cut_before_the_next_append(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a", "status": "ok"}\n{"id": "b", "sta', encoding="utf-8")
    loaded = read_records(path)
    assert set(loaded.records) == {"a"}
    assert loaded.torn_tail
    assert loaded.problems == [f"{path}:2: torn last line (the writer stopped mid-write)"]

    store = ResultStore(path)
    store.append({"id": "b", "status": "ok"})
    lines = path.read_text(encoding="utf-8").splitlines()
    assert [json.loads(line)["id"] for line in lines] == ["a", "b"]
    assert read_records(path).problems == []


def test_broken_lines_in_the_middle_are_skipped_with_their_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "r.jsonl"
    path.write_text('{"id": "a"}\nnot json\n[1, 2]\n\n{"no_id": 1}\n{"id": 7}\n', encoding="utf-8")
    loaded = read_records(path)
    assert set(loaded.records) == {"a", "7"}
    assert not loaded.torn_tail
    assert [p.split(": ", 1)[0] for p in loaded.problems] == [
        f"{path}:2",
        f"{path}:3",
        f"{path}:5",
    ]
    assert "broken JSON" in loaded.problems[0]
    assert "expected a JSON object, got list" in loaded.problems[1]


def test_a_missing_file_is_an_empty_store_and_is_created_on_append(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "sub" / "r.jsonl")
    assert store.records == {} and store.done() == set()
    store.append({"id": 1})
    assert (tmp_path / "sub" / "r.jsonl").is_file()


def test_a_record_without_the_key_is_refused(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "r.jsonl")
    with pytest.raises(ValueError, match="'id'"):
        store.append({"status": "ok"})
    store2 = ResultStore(tmp_path / "k.jsonl", key="task")
    store2.append({"task": "t1"})
    assert ResultStore(tmp_path / "k.jsonl", key="task").done() == {"t1"}


def test_appends_from_many_threads_never_interleave(tmp_path: Path) -> None:
    store = ResultStore(tmp_path / "r.jsonl")
    payload = "x" * 5000

    def write(start: int) -> None:
        for i in range(start, start + 25):
            store.append({"id": str(i), "payload": payload})

    threads = [threading.Thread(target=write, args=(k * 25,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    lines = list(iter_jsonl(tmp_path / "r.jsonl"))
    assert len(lines) == 100 and all(line.record is not None for line in lines)
    assert ResultStore(tmp_path / "r.jsonl").done() == {str(i) for i in range(100)}
