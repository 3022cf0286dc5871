"""The store's lock: threads of one process queue in memory, processes on the file."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from artemis.errors import TipStoreError
from artemis.tips.lock import LOCK_FILE, StoreLock


def test_a_thread_meeting_its_neighbours_hold_waits_in_memory_not_on_the_file(
    tmp_path: Path,
) -> None:
    """The file lock polls with sleeps: a thread must queue on the in-memory lock instead, and
    one that waits too long is told it was this process, in one line."""
    lock = StoreLock(tmp_path, wait_s=0)
    assert lock._lock is not None
    file_lock = lock._lock
    asked: list[str] = []
    real_acquire = file_lock.acquire

    def acquire(*args: object, **kwargs: object) -> object:
        asked.append(threading.current_thread().name)
        return real_acquire(*args, **kwargs)  # type: ignore[arg-type]

    file_lock.acquire = acquire  # type: ignore[method-assign,assignment]
    errors: list[str] = []

    def other() -> None:
        try:
            with lock.held(write=False):
                pass
        except TipStoreError as exc:
            errors.append(str(exc))

    with lock.held(write=False):
        t = threading.Thread(target=other, name="neighbour")
        t.start()
        t.join(5)
    assert asked == [threading.current_thread().name]
    assert len(errors) == 1
    assert "another operation of this process" in errors[0] and "\n" not in errors[0]
    with lock.held(write=False) as turn:  # free again once the holder is done
        assert not turn.changed
    assert (tmp_path / LOCK_FILE).exists()


def test_threads_take_turns(tmp_path: Path) -> None:
    lock = StoreLock(tmp_path)
    inside = threading.Event()
    release = threading.Event()
    order: list[str] = []

    def first() -> None:
        with lock.held(write=False):
            order.append("first in")
            inside.set()
            release.wait(5)
            order.append("first leaving")

    def second() -> None:
        inside.wait(5)
        with lock.held(write=True):
            order.append("second in")

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for t in threads:
        t.start()
    inside.wait(5)
    release.set()
    for t in threads:
        t.join(5)
    assert order == ["first in", "first leaving", "second in"]


def test_a_write_marks_a_new_generation_that_others_see(tmp_path: Path) -> None:
    one, two = StoreLock(tmp_path), StoreLock(tmp_path)
    with two.held(write=False) as turn:
        assert not turn.changed
    with one.held(write=True):
        pass
    with two.held(write=False) as turn:
        assert turn.changed
    with two.held(write=False) as turn:
        assert not turn.changed


def test_a_store_on_a_server_takes_no_lock() -> None:
    lock = StoreLock(None)
    with lock.held(write=True) as turn:
        assert turn.wrote and not turn.changed


@pytest.mark.parametrize("write", [False, True])
def test_the_lock_is_released_when_the_operation_fails(tmp_path: Path, write: bool) -> None:
    lock = StoreLock(tmp_path, wait_s=0)
    with pytest.raises(RuntimeError), lock.held(write=write):
        raise RuntimeError("boom")
    with lock.held(write=False):
        pass
