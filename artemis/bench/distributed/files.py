"""Files that travel from an actor's node to the driver's: a folder's files as bytes, and the
new ones since the last look (for a folder an actor keeps writing)."""

from __future__ import annotations

import shutil
from dataclasses import dataclass, field
from pathlib import Path

from artemis.durable import ensure_dir, write_atomic

#: A folder's files, by path relative to it (POSIX separators).
Files = dict[str, bytes]


def read_files(folder: Path) -> Files:
    """Every file under `folder`, by relative path (an absent folder has none)."""
    if not folder.is_dir():
        return {}
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def place(folder: Path, name: str) -> Path:
    """Where file `name` goes under `folder`; a name that leaves the folder is refused."""
    target = (folder / name).resolve()
    if not target.is_relative_to(folder.resolve()):
        raise ValueError(f"a file from an actor escapes its folder: {name!r}")
    return target


def write_files(folder: Path, files: Files, *, replace: bool = True) -> None:
    """Write `files` under `folder`, each whole (`replace`: the folder holds only them).
    The record written after them is the durable mark of a finished case."""
    if replace:
        shutil.rmtree(folder, ignore_errors=True)
    ensure_dir(folder)
    for name, data in files.items():
        write_atomic(place(folder, name), data, sync=False)


@dataclass
class FolderWatch:
    """What changed in a folder since the last `changes()`: whole files that are new or
    changed, and for JSON Lines files (appended to, never rewritten) the bytes added."""

    folder: Path
    _seen: dict[str, tuple[int, int]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.changes()  # what is there now is known already

    def add(self, files: Files) -> None:
        """Write those of `files` the folder does not hold yet, as known: they are not
        changes. Call it while nothing else writes to the folder."""
        new = {n: d for n, d in files.items() if not place(self.folder, n).exists()}
        write_files(self.folder, new, replace=False)
        for name in new:
            stat = place(self.folder, name).stat()
            self._seen[name] = (stat.st_size, stat.st_mtime_ns)

    def changes(self) -> tuple[Files, Files]:
        """(changed whole files, tails appended to .jsonl files)."""
        whole: Files = {}
        tails: Files = {}
        for path in sorted(self.folder.rglob("*")):
            if not path.is_file():
                continue
            name = path.relative_to(self.folder).as_posix()
            stat = path.stat()
            mark = (stat.st_size, stat.st_mtime_ns)
            before = self._seen.get(name)
            if before == mark:
                continue
            data = path.read_bytes()
            if name.endswith(".jsonl"):
                start = before[0] if before is not None and before[0] <= len(data) else 0
                # Only whole lines: a line being written is sent when it is finished.
                end = data.rfind(b"\n", start) + 1
                if end > start:
                    tails[name] = data[start:end]
                mark = (end if end > start else start, stat.st_mtime_ns)
            else:
                whole[name] = data
            self._seen[name] = mark
        return whole, tails
