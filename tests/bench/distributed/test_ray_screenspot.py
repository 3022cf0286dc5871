"""`bench screenspot --ray` on the real local cluster: batches of real ScreenSpot-v2 samples
grounded on actors (an `openai:` model served on loopback) give the records of a local run."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from artemis.bench.distributed.screenspot import RaySamples, make_batches
from artemis.bench.results import read_records
from artemis.bench.screenspot import RunOptions, load_dataset, run_model
from artemis.bench.screenspot.runner import select
from artemis.config import Settings
from artemis.models.fake_server import FakeChatServer
from artemis.models.fake_transport import openai_specs_served_by
from artemis.models.registry import resolve_model
from tests.bench.test_screenspot_e2e import GroundingServer
from tests.conftest import SCREENSPOT_DATA
from tests.ray_cluster import LocalCluster

pytestmark = [
    pytest.mark.slow,  # a cluster, and actors resizing real screenshots
    pytest.mark.skipif(SCREENSPOT_DATA is None, reason="shared/data/screenspot is not here"),
]

LIMIT = 8
SPEC = "openai:qwen2.5-vl-7b"
#: What differs between two runs of a sample: how long the call took.
TIMING = {"latency_s"}


def _comparable(path: Path) -> dict[str, dict[str, Any]]:
    records = read_records(path).records
    return {i: {k: v for k, v in r.items() if k not in TIMING} for i, r in records.items()}


def test_batches_keep_each_screenshots_samples_together() -> None:
    assert SCREENSPOT_DATA is not None
    v2 = SCREENSPOT_DATA / "v2"
    ds = load_dataset("screenspot-v2", v2 / "annotations")
    todo = sorted(select(ds.samples, v2 / "images").runnable, key=lambda sp: str(sp[1]))
    batches = make_batches(todo, 4)
    assert [s.id for b in batches for s, _ in b.samples] == [s.id for s, _ in todo]
    seen: set[Path] = set()
    for batch in batches:
        paths = {p for s, p in todo if s.id in {x.id for x, _ in batch.samples}}
        assert not paths & seen and len(batch.images) == len(paths)
        seen |= paths


@pytest.fixture(scope="module")
def grounding() -> Iterator[FakeChatServer]:
    """A chat-completions server on loopback answering each sample with its box centre."""
    assert SCREENSPOT_DATA is not None
    v2 = SCREENSPOT_DATA / "v2"
    ds = load_dataset("screenspot-v2", v2 / "annotations")
    samples = select(ds.samples, v2 / "images").samples
    with FakeChatServer(GroundingServer(samples, v2 / "images")) as server:
        yield server


async def test_a_model_on_ray_gives_a_local_runs_records(
    ray_cluster: LocalCluster, grounding: FakeChatServer, tmp_path: Path
) -> None:
    assert SCREENSPOT_DATA is not None
    v2 = SCREENSPOT_DATA / "v2"
    ds = load_dataset("screenspot-v2", v2 / "annotations")
    opts = RunOptions(concurrency=4)
    with openai_specs_served_by(grounding):  # the local run: the same server, in memory
        here = Settings(models={"base_url": "http://chat.test/v1", "api_key": "local"})
        model = resolve_model(SPEC, here)
        local = await run_model(model, ds, v2 / "images", tmp_path / "local", opts, limit=LIMIT)
    # The actors call the server over HTTP from their own processes.
    there = Settings(models={"base_url": grounding.base_url, "api_key": "local"})
    on_ray = RaySamples(ray_cluster.address, SPEC, there, actors=2, batch_samples=3)
    remote = await run_model(
        resolve_model(SPEC, there),
        ds,
        v2 / "images",
        tmp_path / "ray",
        opts,
        limit=LIMIT,
        execute=on_ray,
    )
    assert remote.summary.finished == local.summary.finished == LIMIT
    assert _comparable(remote.out / "results.jsonl") == _comparable(local.out / "results.jsonl")
    assert (remote.out / "run.json").read_text() == (local.out / "run.json").read_text()
    assert remote.report.total.correct == local.report.total.correct == LIMIT


def test_the_command_takes_ray_and_resumes_its_folder(
    ray_cluster: LocalCluster, grounding: FakeChatServer, tmp_path: Path
) -> None:
    assert SCREENSPOT_DATA is not None
    v2 = SCREENSPOT_DATA / "v2"
    env = {
        **os.environ,
        "ARTEMIS_MODELS__BASE_URL": grounding.base_url,
        "ARTEMIS_MODELS__API_KEY": "local",
    }
    command = [
        *(sys.executable, "-m", "artemis", "bench", "screenspot", "-d", "screenspot-v2"),
        *("-a", str(v2 / "annotations"), "-i", str(v2 / "images"), "-m", SPEC),
        *("-o", str(tmp_path / "run"), "--ray", ray_cluster.address),
    ]
    first = subprocess.run([*command, "-n", "3"], env=env, capture_output=True, text=True)
    assert first.returncode == 0, first.stderr
    assert "3 run now, 0 from before" in first.stdout
    again = subprocess.run([*command, "-n", "5"], env=env, capture_output=True, text=True)
    assert again.returncode == 0 and "2 run now, 3 from before" in again.stdout, again.stderr
    assert "average over samples: 100.0%  (5/5)" in again.stdout
    assert len((tmp_path / "run" / "results.jsonl").read_text().splitlines()) == 5
