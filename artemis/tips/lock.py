"""One writer at a time on an embedded tip store, across processes.

An embedded ChromaDB folder is not safe for two processes at once: while one writes, the
other's queries fail ("Error finding id", "database is locked") and its proposals are lost.
Every operation on an embedded store therefore holds an exclusive lock on a file in the
store's folder, for as long as the operation lasts (a retrieval takes milliseconds, a
rebuild longer). Threads of one process take it in turn too. A Chroma server serialises
its clients itself, so a store on a server takes no lock.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from pathlib import Path

from filelock import FileLock, Timeout

from artemis.errors import TipStoreError

LOCK_FILE = "artemis.lock"
#: How long an operation waits for another process's before it gives up.
WAIT_S = 60.0


class StoreLock:
    """An inter-process lock on the embedded store at `folder`; `None`: no lock (a server)."""

    def __init__(self, folder: Path | None, *, wait_s: float = WAIT_S) -> None:
        self.path = None if folder is None else folder / LOCK_FILE
        self.wait_s = wait_s
        self._lock = None if self.path is None else FileLock(self.path, timeout=wait_s)

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        if self._lock is None:
            yield
            return
        try:
            self._lock.acquire()
        except Timeout as exc:
            raise TipStoreError(
                f"the tip store at {self.path.parent if self.path else '?'} is busy: another "
                f"process has held it for over {self.wait_s:g} s"
            ) from exc
        try:
            yield
        finally:
            self._lock.release()
