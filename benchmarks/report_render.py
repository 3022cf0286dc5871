"""How fast `artemis report` renders a run, and how big its pages are.

    python benchmarks/report_render.py [--episodes N] [--steps S]

Builds a run folder of N episodes of S steps with the trajectory writer, on real 1080x2400
screens of the simulated phone (every other step with a checker's image, every step naming its
target element), then renders it side by side: images re-encoded as lossless WebP (what the
viewer does) and embedded as the recorded PNG bytes; on the default thread pool and on one
thread. Prints time per episode and page bytes per step, and the ratios.
"""

from __future__ import annotations

import argparse
import asyncio
import tempfile
import time
from pathlib import Path

from artemis.agent.trajectory import TrajectoryWriter
from artemis.report import build_report, figures
from artemis.sim.apps import APPS
from artemis.sim.phone import Phone


def screens() -> list[bytes]:
    """The first screen of every simulated app, and the launcher."""
    phone = Phone()
    out = [phone.screencap_png()]
    for package in APPS:
        phone.reset()
        phone.launch(package)
        out.append(phone.screencap_png())
    return out


async def record(root: Path, episodes: int, steps: int, pngs: list[bytes]) -> None:
    for e in range(episodes):
        writer = await TrajectoryWriter.create(
            root, task=f"task {e % 7}", config={"models": {"manager": "m"}}, episode_id=f"ep{e:03d}"
        )
        for s in range(steps):
            png = pngs[(e + s) % len(pngs)]
            rel = await writer.screen(f"{s:03d}", png)
            if s % 2 == 0:
                await writer.screen(f"{s:03d}-action", png)
            action = {"type": "tap", "target": {"index": 3}}
            await writer.step(
                {
                    "step": s,
                    "screen": rel,
                    "thought": "Tap the row " * 10,
                    "action": action,
                    "executed": action,
                    "tac": {"consistent": True, "reason": "ok", "decided_by": "precheck"},
                    "reflection": {"success": True, "analysis": "it worked " * 5},
                    "ui_diff": "\n".join(f"+ TextView row {i}" for i in range(20)),
                    "timings": {"observe": 0.3, "plan": 1.2, "execute": 0.4},
                    "tokens": {"manager": {"input_tokens": 1500, "output_tokens": 80}},
                    "elements": {"3": {"bounds": [0, 600, 1080, 780], "name": "row"}},
                    "status": "ok",
                }
            )
        await writer.screen("final", pngs[0])
        await writer.update(status="done", outcome={"status": "success"})


def render(root: Path, out: Path, *, webp: bool, workers: int | None) -> tuple[float, int]:
    saved = figures._WEBP
    figures._WEBP = webp
    try:
        started = time.perf_counter()
        report = build_report(root, out, workers=workers)
        took = time.perf_counter() - started
    finally:
        figures._WEBP = saved
    return took, sum(p.stat().st_size for p in report.pages)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--episodes", type=int, default=20)
    parser.add_argument("--steps", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp) / "run"
        asyncio.run(record(root, args.episodes, args.steps, screens()))
        png_bytes = sum(p.stat().st_size for p in root.glob("*/screens/*.png"))
        n_steps = args.episodes * args.steps
        print(f"{args.episodes} episodes x {args.steps} steps; recorded PNGs {png_bytes:,} bytes")
        rows: list[tuple[str, float, int]] = []
        for label, webp, workers in (
            ("WebP lossless, thread pool", True, None),
            ("WebP lossless, 1 thread", True, 1),
            ("recorded PNG, thread pool", False, None),
        ):
            took, size = render(
                root, Path(tmp) / f"out-{len(rows)}" / "index.html", webp=webp, workers=workers
            )
            rows.append((label, took, size))
        base_t, base_s = rows[0][1], rows[0][2]
        print("| embedding | s per episode | page bytes per step | time vs first | size vs first |")
        print("|---|---|---|---|---|")
        for label, took, size in rows:
            print(
                f"| {label} | {took / args.episodes:.3f} | {size // n_steps:,} | "
                f"{took / base_t:.2f}x | {size / base_s:.2f}x |"
            )


if __name__ == "__main__":
    main()
