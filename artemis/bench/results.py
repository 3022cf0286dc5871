"""The result/checkpoint mechanism every benchmark shares.

A run keeps one JSON Lines file: one record (a JSON object) per finished case, keyed by the
case id, appended durably through `artemis.durable.JsonlLog` (one write, flush, fsync), so a
crash or a Ctrl-C loses at most the case in flight. A rerun reads the file back and skips the
cases that are done; the latest record of an id wins, so a case can be retried by appending
again.

Reading is tolerant (`artemis.durable.iter_jsonl`): a line that is not a JSON object is
skipped and reported with its line number. A torn last line (the process died mid-write) is
reported as such, and cut off before the next append, so that case runs again.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.durable import JsonlLine, JsonlLog, Record, iter_jsonl

__all__ = [
    "JsonlLine",
    "LoadedRecords",
    "Record",
    "ResultStore",
    "finite_number",
    "iter_jsonl",
    "read_records",
]


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
        self._loaded = read_records(self.path, key=key)
        self._log = JsonlLog(self.path)

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
        """Write one record durably and remember it; `StorageError` when it cannot be."""
        case_id = record.get(self.key)
        if case_id is None:
            raise ValueError(f"a result record needs a {self.key!r} field")
        self._log.append(record)
        self._loaded.records[str(case_id)] = dict(record)
