"""Actors' scratch folders: removed by their actor, or by the next one when theirs was killed."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from artemis.bench.distributed.scratch import LOCK_SUFFIX, Scratch, sweep

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="no fcntl: nothing is swept")


def _lock(folder: Path) -> Path:
    return folder.with_name(folder.name + LOCK_SUFFIX)


def test_a_folder_is_held_while_it_lives_and_removed_with_its_lock(tmp_path: Path) -> None:
    scratch = Scratch.make("job-", tmp_path)
    (scratch.path / "episode.json").write_text("{}")
    assert scratch.path.parent == tmp_path and scratch.path.name.startswith("job-")
    assert _lock(scratch.path).is_file()
    assert sweep("job-", tmp_path) == []  # held (by this process, through its own lock)
    assert scratch.path.is_dir()
    scratch.remove()
    scratch.remove()
    assert list(tmp_path.iterdir()) == []


def test_a_folder_whose_process_died_is_removed_by_the_next_one(tmp_path: Path) -> None:
    # A process that makes its folder and dies without removing it (as a killed actor).
    code = (
        "import os, sys; from pathlib import Path\n"
        "from artemis.bench.distributed.scratch import Scratch\n"
        "s = Scratch.make('job-', Path(sys.argv[1]))\n"
        "(s.path / 'steps.jsonl').write_text('{}')\n"
        "print(s.path, flush=True)\n"
        "os._exit(9)\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(tmp_path)], capture_output=True, text=True, check=False
    )
    assert done.returncode == 9, done.stderr
    orphan = Path(done.stdout.strip())
    assert orphan.is_dir() and _lock(orphan).is_file()

    held = Scratch.make("job-", tmp_path)
    assert not orphan.exists() and not _lock(orphan).exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [held.path.name, _lock(held.path).name]
    )
    held.remove()


def test_folders_without_a_lock_or_of_another_kind_are_left_alone(tmp_path: Path) -> None:
    (tmp_path / "job-legacy").mkdir()  # made by something else, or before locks existed
    other = Scratch.make("other-", tmp_path)
    fresh = Scratch.make("job-", tmp_path)
    assert (tmp_path / "job-legacy").is_dir() and other.path.is_dir()
    fresh.remove()
    other.remove()
    assert [p.name for p in tmp_path.iterdir()] == ["job-legacy"]
