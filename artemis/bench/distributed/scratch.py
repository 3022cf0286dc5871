"""Actors' scratch folders, removed when their actor ends, even when it is killed.

An actor keeps what it is working on (an episode's trajectory, a batch's images, a run's
checkpoints) in a folder of its own under its node's temporary directory, and removes it when
it stops. An actor that is killed (its process, its node) cannot; so while an actor lives, its
folder `PREFIXxxxx` has a lock file beside it, `PREFIXxxxx.lock`, locked by the actor's process
(an OS lock, which ends with the process however it ends). Each new folder of a kind first
removes the folders of that kind whose lock it can take: their owners are gone.

The lock file is locked under a name of its own before it takes its final name, so a lock
file that another process sees is always already held by its owner. Folders without one (made
by something else) are left alone. Without `fcntl` (Windows), folders are made and removed,
and nothing is swept.
"""

from __future__ import annotations

import contextlib
import glob
import os
import shutil
import tempfile
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: no sweeping
    fcntl = None  # type: ignore[assignment]

LOCK_SUFFIX = ".lock"


class Scratch:
    """A scratch folder (`path`) held for as long as this process lives or until `remove`."""

    def __init__(self, path: Path, lock_fd: int | None) -> None:
        self.path = path
        self._fd = lock_fd

    @classmethod
    def make(cls, prefix: str, parent: Path | None = None) -> Scratch:
        """A new folder `prefix*` in `parent` (the temporary directory), after removing the
        folders of that prefix whose owners are gone."""
        where = Path(parent) if parent is not None else Path(tempfile.gettempdir())
        sweep(prefix, where)
        if fcntl is None:
            return cls(Path(tempfile.mkdtemp(prefix=prefix, dir=where)), None)
        fd, pending = tempfile.mkstemp(prefix=f".{prefix}", suffix=".pending", dir=where)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            path = Path(tempfile.mkdtemp(prefix=prefix, dir=where))
            os.rename(pending, _lock_of(path))
        except BaseException:
            os.close(fd)
            with contextlib.suppress(OSError):
                os.unlink(pending)
            raise
        return cls(path, fd)

    def remove(self) -> None:
        """Remove the folder and let go of it (twice is harmless)."""
        shutil.rmtree(self.path, ignore_errors=True)
        fd, self._fd = self._fd, None
        if fd is not None:
            with contextlib.suppress(OSError):
                os.unlink(_lock_of(self.path))
            os.close(fd)


def sweep(prefix: str, parent: Path) -> list[Path]:
    """Remove the folders `prefix*` in `parent` whose lock no process holds; the ones
    removed."""
    if fcntl is None:
        return []
    removed = []
    for lock in sorted(parent.glob(f"{glob.escape(prefix)}*{LOCK_SUFFIX}")):
        try:
            fd = os.open(lock, os.O_RDWR)
        except OSError:  # removed meanwhile by its owner or another sweep
            continue
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except OSError:  # held: its owner lives
                continue
            folder = lock.with_name(lock.name[: -len(LOCK_SUFFIX)])
            shutil.rmtree(folder, ignore_errors=True)
            with contextlib.suppress(OSError):
                lock.unlink()
            removed.append(folder)
        finally:
            os.close(fd)
    return removed


def _lock_of(path: Path) -> Path:
    return path.with_name(path.name + LOCK_SUFFIX)
