"""The result/checkpoint mechanism every benchmark shares.

A run keeps one JSON Lines file: one record (a JSON object) per finished case, keyed by the
case id. Each record is appended with one `write`, then flushed and fsynced, so a crash or a
Ctrl-C loses at most the case in flight. A rerun reads the file back and skips the cases that
are done; the latest record of an id wins, so a case can be retried by appending again.

Reading is tolerant: a line that is not a JSON object is skipped and reported with its line
number. A torn last line (the process died mid-write) is reported as such; `ResultStore`
cuts it off before appending, so the next record starts on a line of its own.
"""

from __future__ import annotations

import json
import math
import os
import threading
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.errors import BenchmarkError

Record = dict[str, Any]


def finite_number(value: Any) -> float | None:
    """A record's field as a finite float (numbers and numeric strings), else None."""
    if isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):
        return None
    return number if math.isfinite(number) else None


@dataclass(slots=True)
class LoadedRecords:
    """What a results file holds: records by id (latest wins), and what was wrong with it."""

    path: Path
    records: dict[str, Record] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    duplicates: int = 0
    torn_tail: bool = False
    lines: int = 0

    def __len__(self) -> int:
        return len(self.records)


@dataclass(frozen=True, slots=True)
class JsonlLine:
    """One non-blank line of a JSON Lines file: its record, or what is wrong with it."""

    number: int
    record: Record | None
    problem: str = ""
    torn: bool = False


def iter_jsonl(path: Path) -> Iterator[JsonlLine]:
    """Each non-blank line of `path`, parsed; bad lines carry a message naming file and line.

    A last line without its newline that does not parse is a torn line: the writer stopped
    mid-write.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise BenchmarkError(f"cannot read {path}: {exc}") from exc
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        # split() leaves b"" after a final newline, so only an unterminated line is last here.
        is_last = number == len(lines)
        try:
            value = json.loads(raw)
        except UnicodeDecodeError as exc:
            yield JsonlLine(number, None, f"{path}:{number}: not UTF-8 text: {exc}", is_last)
            continue
        except json.JSONDecodeError as exc:
            if is_last:
                msg = f"{path}:{number}: torn last line (the writer stopped mid-write)"
            else:
                msg = f"{path}:{number}: broken JSON: {exc.msg} at column {exc.colno}"
            yield JsonlLine(number, None, msg, is_last)
            continue
        if not isinstance(value, dict):
            kind = type(value).__name__
            yield JsonlLine(number, None, f"{path}:{number}: expected a JSON object, got {kind}")
            continue
        yield JsonlLine(number, value)


def read_records(path: Path, *, key: str = "id") -> LoadedRecords:
    """Read a results file; never raises on bad lines (they are listed in `problems`)."""
    out = LoadedRecords(path)
    if not path.exists():
        return out
    for line in iter_jsonl(path):
        out.lines = line.number
        if line.record is None:
            out.problems.append(line.problem)
            out.torn_tail = out.torn_tail or line.torn
            continue
        case_id = line.record.get(key)
        if not isinstance(case_id, str | int) or isinstance(case_id, bool):
            out.problems.append(f"{path}:{line.number}: record has no usable {key!r} field")
            continue
        case_id = str(case_id)
        if case_id in out.records:
            out.duplicates += 1
        out.records[case_id] = line.record
    return out


class ResultStore:
    """An append-only, fsynced JSON Lines file of case records, keyed by `key`.

    Thread-safe: `append` may be called from worker threads (`asyncio.to_thread`), which keeps
    the fsync off the event loop.
    """

    def __init__(self, path: Path | str, *, key: str = "id") -> None:
        self.path = Path(path)
        self.key = key
        self._lock = threading.Lock()
        self._loaded = read_records(self.path, key=key)
        if self._loaded.torn_tail:
            self._cut_torn_tail()

    @property
    def loaded(self) -> LoadedRecords:
        """The records found when the store was opened (and their problems)."""
        return self._loaded

    @property
    def records(self) -> dict[str, Record]:
        return self._loaded.records

    def done(self, is_done: Callable[[Record], bool] | None = None) -> set[str]:
        """Ids of finished cases: every recorded id, or those whose record passes `is_done`."""
        return {
            case_id
            for case_id, record in self._loaded.records.items()
            if is_done is None or is_done(record)
        }

    def append(self, record: Mapping[str, Any]) -> None:
        """Write one record durably (one write, flush, fsync) and remember it."""
        case_id = record.get(self.key)
        if case_id is None:
            raise ValueError(f"a result record needs a {self.key!r} field")
        line = json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)
        payload = (line + "\n").encode("utf-8")
        with self._lock:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with self.path.open("ab") as f:
                f.write(payload)
                f.flush()
                os.fsync(f.fileno())
            self._loaded.records[str(case_id)] = dict(record)

    def _cut_torn_tail(self) -> None:
        # The torn line is an unfinished record; dropping it means that case runs again.
        data = self.path.read_bytes()
        keep = data.rfind(b"\n") + 1
        with self.path.open("r+b") as f:
            f.truncate(keep)
            f.flush()
            os.fsync(f.fileno())
