"""A recorded run, made once per session by the agent loop; tests that damage it copy it."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.report.episodes import record_run


@pytest.fixture(scope="session")
def recorded_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    asyncio.run(record_run(out))
    return out


@pytest.fixture
def run_copy(recorded_run: Path, tmp_path: Path) -> Callable[[], Path]:
    """A fresh copy of the recorded run, for tests that change files."""

    def copy() -> Path:
        dest = tmp_path / "run"
        shutil.copytree(recorded_run, dest)
        return dest

    return copy
