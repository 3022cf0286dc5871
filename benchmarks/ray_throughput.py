"""SimWorld throughput on Ray against a local run, side by side in one run.

    python benchmarks/ray_throughput.py [--actors 4] [-n 2] [--ablation full]

Starts a throwaway Ray cluster on this machine (a head and one worker node on loopback,
`tests.ray_cluster`), then runs the same suite (every SimWorld template, `-n` instances each,
the oracle model) three ways: locally on one phone, locally on `--actors` phones (one event
loop in one process, the default route), and with `--ray` on `--actors` actors. It prints
episodes per minute and the ratios, and checks that the Ray run's records equal the local
run's (ids and fields, timings aside). Needs the `ray` extra.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from artemis.bench.results import read_records  # noqa: E402
from artemis.bench.simworld.runner import SimRunOptions, run_simworld  # noqa: E402
from artemis.config import Settings  # noqa: E402
from tests.ray_cluster import local_cluster  # noqa: E402

TIMING = {"duration_s"}


def _settings(folder: Path) -> Settings:
    s = Settings(data_dir=folder / "data", runs_dir=folder / "runs")
    s.device.settle_timeout_s = 0  # the simulated phone settles at once
    return s


def _records(out: Path) -> dict[str, dict[str, Any]]:
    loaded = read_records(out / "results.jsonl").records
    return {i: {k: v for k, v in r.items() if k not in TIMING} for i, r in loaded.items()}


async def _timed(options: SimRunOptions, settings: Settings) -> tuple[float, int]:
    started = time.perf_counter()
    result = await run_simworld(options, settings)
    return time.perf_counter() - started, result.ran


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--actors", type=int, default=4)
    parser.add_argument("-n", "--combinations", type=int, default=2)
    parser.add_argument("--ablation", default="full")
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp(prefix="artemis-ray-bench-"))
    base = SimRunOptions(
        out=folder / "x", combinations=args.combinations, model="oracle", ablation=args.ablation
    )
    rows: list[tuple[str, float, int]] = []
    with local_cluster(head_cpus=args.actors, workers=1) as cluster:
        runs = {
            "local, 1 phone": SimRunOptions(**{**base.__dict__, "out": folder / "one"}),
            f"local, {args.actors} phones": SimRunOptions(
                **{**base.__dict__, "out": folder / "local", "devices": args.actors}
            ),
            f"ray, {args.actors} actors": SimRunOptions(
                **{
                    **base.__dict__,
                    "out": folder / "ray",
                    "devices": args.actors,
                    "ray": cluster.address,
                }
            ),
        }
        for label, options in runs.items():
            wall, ran = asyncio.run(_timed(options, _settings(folder)))
            rows.append((label, wall, ran))
            print(f"  {label}: {ran} episodes in {wall:.1f} s", file=sys.stderr)
    same = _records(folder / "ray") == _records(folder / "local")
    one = rows[0][2] / rows[0][1] * 60
    local = rows[1][2] / rows[1][1] * 60
    print(f"\nSimWorld, {rows[0][2]} episodes (oracle, {args.ablation}); 2 Ray nodes on loopback")
    print("| route | wall s | episodes/min | vs 1 phone | vs local at the same count |")
    print("|---|---|---|---|---|")
    for label, wall, ran in rows:
        rate = ran / wall * 60
        print(f"| {label} | {wall:.1f} | {rate:.1f} | {rate / one:.2f}x | {rate / local:.2f}x |")
    print(f"\nRay records equal the local run's (ids and fields, timings aside): {same}")


if __name__ == "__main__":
    main()
