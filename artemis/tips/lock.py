"""Several processes on one embedded tip store: one at a time, each seeing the others' writes.

An embedded ChromaDB folder is not made for two processes. Two writing at once fail ("database
is locked") and lose proposals; and a client that has read the store keeps its own view of
it, so after another process wrote, its queries fail with "Error finding id", even when
nothing runs at the same time. So every operation on an embedded store:

- holds an exclusive lock on `artemis.lock` in the store's folder for as long as the
  operation lasts. Threads of one process queue on a lock in memory first, so only one of
  them at a time asks for the file's (the file lock polls: a thread that found it taken by
  its neighbour would sleep its polling interval instead of waking when it is free);
- reads the store's *generation*, a mark in `artemis.generation` that every write replaces;
  when another process has changed it since this one last looked, the caller opens its
  ChromaDB client again before going on (`StoreLock.held` says so).

A Chroma server serialises its clients and keeps one view, so a store on a server takes no
lock. Two stores on one folder inside one process share ChromaDB's state and cannot refresh
it apart; open one store per folder per process.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from filelock import FileLock, Timeout

from artemis.errors import TipStoreError

LOCK_FILE = "artemis.lock"
GENERATION_FILE = "artemis.generation"
#: How long an operation waits for another process's before it gives up.
WAIT_S = 60.0


@dataclass
class Turn:
    """One operation's hold of the store."""

    #: Another process wrote since this one last held the lock: its view is out of date.
    changed: bool
    #: This operation wrote (the store is marked changed when it ends); set it when it did.
    wrote: bool


class StoreLock:
    """The lock and generation of the embedded store at `folder`; `None`: a server (no lock)."""

    def __init__(self, folder: Path | None, *, wait_s: float = WAIT_S) -> None:
        self.folder = folder
        self.wait_s = wait_s
        self._lock = None if folder is None else FileLock(folder / LOCK_FILE, timeout=wait_s)
        self._threads = threading.Lock()
        self._seen: str | None = None

    @contextlib.contextmanager
    def held(self, *, write: bool) -> Iterator[Turn]:
        """Hold the lock for one operation (see `Turn`). A `write` operation marks the store
        changed when it ends, even when it fails halfway."""
        if self._lock is None or self.folder is None:
            yield Turn(changed=False, wrote=write)
            return
        started = time.monotonic()
        if not self._threads.acquire(timeout=self.wait_s):
            raise TipStoreError(
                f"the tip store at {self.folder} is busy: another operation of this process "
                f"has held it for over {self.wait_s:g} s"
            )
        try:
            left = max(0.0, self.wait_s - (time.monotonic() - started))
            with self._file_lock(left):
                current = self._generation()
                turn = Turn(changed=self._seen is not None and current != self._seen, wrote=write)
                self._seen = current
                try:
                    yield turn
                finally:
                    if turn.wrote:
                        self._seen = self._mark()
        finally:
            self._threads.release()

    @contextlib.contextmanager
    def _file_lock(self, wait_s: float) -> Iterator[None]:
        assert self._lock is not None
        try:
            self._lock.acquire(timeout=wait_s)
        except Timeout as exc:
            raise TipStoreError(
                f"the tip store at {self.folder} is busy: another process has held it for "
                f"over {self.wait_s:g} s"
            ) from exc
        try:
            yield
        finally:
            self._lock.release()

    def _generation(self) -> str:
        assert self.folder is not None
        try:
            return (self.folder / GENERATION_FILE).read_text(encoding="ascii").strip()
        except OSError:
            return ""

    def _mark(self) -> str:
        assert self.folder is not None
        mark = f"{os.getpid()}-{secrets.token_hex(8)}"
        path = self.folder / GENERATION_FILE
        tmp = path.with_name(f".{path.name}.{os.getpid()}")
        try:
            tmp.write_text(mark, encoding="ascii")
            os.replace(tmp, path)
        except OSError as exc:
            raise TipStoreError(f"cannot write {path}: {exc.strerror or exc}") from exc
        return mark
