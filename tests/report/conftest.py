"""A recorded run, made once per session by the agent loop; tests that damage it copy it."""

from __future__ import annotations

import asyncio
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from artemis.config import Settings
from tests.report.episodes import record_run

#: SimWorld templates for the run the viewer is tested on: a toggle and a question.
SIM_TASKS = ("SettingsWifi", "ExpenseMonthTotal")


@pytest.fixture(scope="session")
def recorded_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("run")
    asyncio.run(record_run(out))
    return out


@pytest.fixture(scope="session")
def sim_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A real SimWorld run (`run_simworld`, full ablation, the oracle, the tip store the
    settings describe) of `SIM_TASKS`, with no settling."""
    runner = pytest.importorskip("artemis.bench.simworld.runner", reason="no SimWorld here")
    base = tmp_path_factory.mktemp("bench")
    settings = Settings(data_dir=base / "data")
    settings.device.settle_timeout_s = 0
    options = runner.SimRunOptions(out=base / "run", tasks=SIM_TASKS, model="oracle")
    asyncio.run(runner.run_simworld(options, settings))
    return base / "run"


@pytest.fixture
def run_copy(recorded_run: Path, tmp_path: Path) -> Callable[[], Path]:
    """A fresh copy of the recorded run, for tests that change files."""

    def copy() -> Path:
        dest = tmp_path / "run"
        shutil.copytree(recorded_run, dest)
        return dest

    return copy
