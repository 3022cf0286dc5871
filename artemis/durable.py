"""Files that survive a crash: JSON Lines appended durably, whole files replaced atomically.

Every record artemis keeps as it goes (a trajectory's steps, a benchmark's results, the
AndroidWorld usage ledger) goes through `JsonlLog`, and is read back through `iter_jsonl`:

- **Appending**: a record is one line, written with one `write` on a file opened for
  appending, then flushed and fsynced (`sync=False` leaves the fsync to the OS, for records
  that may be lost). So a crash or a Ctrl-C loses at most the record being written. Appends
  from several threads never interleave.
- **A torn tail**: before its first append to an existing file, a log looks at the last line.
  A line without its newline that does not parse is what a writer that died mid-write left:
  it is cut off. One that parses only lost its newline, which is added. Either way the next
  record starts on a line of its own.
- **Reading** never raises on bad content: each non-blank line is a `JsonlLine` carrying its
  record, or what is wrong with it (file and line number), and whether it is the torn last one.

Whole files (`episode.json`, summaries, reports, exports) are replaced atomically by
`write_atomic`: a temporary file beside the target, fsynced, then renamed over it, so a reader
sees the old file or the new one, never half of one.

A file or folder that cannot be written (no permission, a file where a folder should be, a
full disk) is a `StorageError` naming the path and the reason, never an `OSError` traceback.
"""

from __future__ import annotations

import json
import os
import threading
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from artemis.errors import StorageError

Record = dict[str, Any]


def _why(exc: OSError) -> str:
    return exc.strerror or str(exc)


def ensure_dir(path: Path | str) -> Path:
    """The folder `path`, created with its parents; `StorageError` when it cannot be."""
    folder = Path(path)
    if folder.exists() and not folder.is_dir():
        raise StorageError(f"cannot use {folder} as a folder: a file is in the way")
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise StorageError(f"cannot create the folder {folder}: {_why(exc)}") from exc
    if not os.access(folder, os.W_OK | os.X_OK):
        raise StorageError(f"cannot write in the folder {folder}: permission denied")
    return folder


def _fsync_dir(folder: Path) -> None:
    """Make a new or renamed entry of `folder` durable (where the OS allows it)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some file systems do not sync folders; the data itself is synced
    finally:
        os.close(fd)


def write_atomic(path: Path | str, data: str | bytes, *, sync: bool = True) -> None:
    """Replace `path` with `data` (text is UTF-8) so that no reader sees half of it.
    `sync=False` skips the fsyncs (a file that may be lost in a power cut, not torn)."""
    target = Path(path)
    ensure_dir(target.parent)
    tmp = target.with_name(f".{target.name}.tmp")
    payload = data.encode("utf-8") if isinstance(data, str) else data
    try:
        with open(tmp, "wb") as f:
            f.write(payload)
            f.flush()
            if sync:
                os.fsync(f.fileno())
        os.replace(tmp, target)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise StorageError(f"cannot write {target}: {_why(exc)}") from exc
    if sync:
        _fsync_dir(target.parent)


def write_json(path: Path | str, data: Any) -> None:
    """`data` as indented JSON, replacing `path` atomically."""
    write_atomic(path, json.dumps(data, indent=2, ensure_ascii=False, default=str) + "\n")


# --- JSON Lines ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class JsonlLine:
    """One non-blank line of a JSON Lines file: its record, or what is wrong with it."""

    number: int
    record: Record | None
    #: What is wrong, for a person: `<path>:<line>: <reason>`; empty for a good line.
    problem: str = ""
    #: The same without the place, for callers that name the file their own way.
    reason: str = ""
    #: The last line, unterminated and unparsable: its writer stopped mid-write.
    torn: bool = False


def iter_jsonl(path: Path | str) -> Iterator[JsonlLine]:
    """Each non-blank line of `path`, parsed (see the module docstring). A missing or
    unreadable file is a `StorageError`."""
    source = Path(path)
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise StorageError(f"cannot read {source}: {_why(exc)}") from exc
    lines = data.split(b"\n")
    for number, raw in enumerate(lines, start=1):
        if not raw.strip():
            continue
        # split() leaves b"" after a final newline, so only an unterminated line is last here.
        is_last = number == len(lines)
        try:
            value = json.loads(raw)
        except UnicodeDecodeError as exc:
            yield _bad(source, number, f"not UTF-8 text: {exc}", torn=is_last)
            continue
        except (ValueError, RecursionError) as exc:
            if is_last:
                yield _bad(source, number, "torn last line (the writer stopped mid-write)", True)
            else:
                detail = (
                    f"{exc.msg} at column {exc.colno}"
                    if isinstance(exc, json.JSONDecodeError)
                    else "nested too deeply"
                )
                yield _bad(source, number, f"broken JSON: {detail}")
            continue
        if not isinstance(value, dict):
            yield _bad(source, number, f"expected a JSON object, got {type(value).__name__}")
            continue
        yield JsonlLine(number, value)


def _bad(path: Path, number: int, reason: str, torn: bool = False) -> JsonlLine:
    return JsonlLine(number, None, f"{path}:{number}: {reason}", reason, torn)


def read_jsonl(path: Path | str) -> tuple[list[Record], list[str]]:
    """The records of `path` in order, and what was wrong with its other lines (a missing
    file holds no records)."""
    if not Path(path).exists():
        return [], []
    records: list[Record] = []
    problems: list[str] = []
    for line in iter_jsonl(path):
        if line.record is None:
            problems.append(line.problem)
        else:
            records.append(line.record)
    return records, problems


def dumps_line(record: Mapping[str, Any]) -> str:
    """A record as one JSON line (no newline in it: JSON escapes those inside strings)."""
    return json.dumps(record, ensure_ascii=False, separators=(",", ":"), default=str)


class JsonlLog:
    """An append-only JSON Lines file (see the module docstring). Thread-safe, so appends
    may run in worker threads (`asyncio.to_thread`), keeping the fsync off the event loop."""

    def __init__(self, path: Path | str, *, sync: bool = True) -> None:
        self.path = Path(path)
        self.sync = sync
        self._lock = threading.Lock()
        self._checked = False

    def append(self, record: Mapping[str, Any]) -> None:
        """Write one record as one line, durably; `StorageError` when it cannot be."""
        payload = (dumps_line(record) + "\n").encode("utf-8")
        with self._lock:
            try:
                created = self._prepare()
                with open(self.path, "ab") as f:
                    f.write(payload)
                    f.flush()
                    if self.sync:
                        os.fsync(f.fileno())
            except OSError as exc:
                raise StorageError(f"cannot append to {self.path}: {_why(exc)}") from exc
            if created and self.sync:
                _fsync_dir(self.path.parent)

    def _prepare(self) -> bool:
        """Once: make the folder, and repair a torn last line. True when the file is new."""
        if self._checked:
            return False
        ensure_dir(self.path.parent)
        created = not self.path.exists()
        if not created:
            repair_tail(self.path)
        self._checked = True
        return created


def repair_tail(path: Path) -> None:
    """End `path` with a newline: cut an unterminated last line that does not parse (a torn
    write), or terminate one that does."""
    with open(path, "r+b") as f:
        size = f.seek(0, os.SEEK_END)
        if size == 0:
            return
        f.seek(size - 1)
        if f.read(1) == b"\n":
            return
        f.seek(0)
        data = f.read()
        keep = data.rfind(b"\n") + 1
        try:
            json.loads(data[keep:])
        except (ValueError, RecursionError):
            f.truncate(keep)
        else:
            f.write(b"\n")
        f.flush()
        os.fsync(f.fileno())
