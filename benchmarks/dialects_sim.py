"""SimWorld through every dialect: `artemis bench sim --model oracle:<dialect>` for each one.

The oracle decides each move; a loopback chat-completions server writes it in the dialect's
native format and space, for the image size it received, and the real openai client and the
dialect's parser read it back (`artemis.bench.simworld.served`). A task fails where the
family's action space cannot do what the task needs (the failing tasks are listed), or where
a prompt, a resize rule or a parser is wrong.

    python benchmarks/dialects_sim.py [--tasks A,B] [--devices N] [--out DIR]

Prints one Markdown row per dialect: success, tasks failed, model calls, and the seconds the
run took.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from artemis.bench.simworld.runner import SimRunOptions, run_simworld
from artemis.config import Settings
from artemis.models.dialects import DIALECTS


async def one(dialect: str, out: Path, tasks: tuple[str, ...], devices: int) -> str:
    settings = Settings.model_validate({"data_dir": out / "data"})
    options = SimRunOptions(
        out=out / dialect, tasks=tasks, model=f"oracle:{dialect}", devices=devices
    )
    started = time.perf_counter()
    result = await run_simworld(options, settings)
    took = time.perf_counter() - started
    s = result.summary
    failed = sorted({c.template for c in result.cases} - _passed(out / dialect))
    calls = _manager_calls(out / dialect)
    shown = ", ".join(failed) if failed else "-"
    return (
        f"| {dialect} | {s.success_rate * 100:.1f}% | {len(failed)} | {calls} | {took:.0f} s "
        f"| {shown} |"
    )


def _passed(folder: Path) -> set[str]:
    passed = set()
    for line in (folder / "results.jsonl").read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        if record.get("score") == 1.0:
            passed.add(record["template"])
    return passed


def _manager_calls(folder: Path) -> int:
    calls = 0
    for steps in (folder / "episodes").glob("*/steps.jsonl"):
        for line in steps.read_text(encoding="utf-8").splitlines():
            tokens = json.loads(line).get("tokens", {}).get("manager")
            calls += int(tokens.get("attempts", 0)) if tokens else 0
    return calls


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tasks", default="", help="comma-separated task names (default: all)")
    parser.add_argument("--devices", type=int, default=2)
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("--dialects", default="", help="comma-separated (default: all)")
    args = parser.parse_args()
    tasks = tuple(t for t in args.tasks.split(",") if t)
    names = [d for d in args.dialects.split(",") if d] or list(DIALECTS)
    out = args.out or Path(tempfile.mkdtemp(prefix="dialects-sim-"))
    print(f"SimWorld through every dialect ({len(names)}), results under {out}\n")
    print("| dialect | success | tasks failed | Manager calls | time | failed tasks |")
    print("|---|---|---|---|---|---|")
    for name in names:
        print(await one(name, out, tasks, args.devices), flush=True)


if __name__ == "__main__":
    asyncio.run(main())
