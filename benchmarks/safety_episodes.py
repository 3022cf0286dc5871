"""The safety gate in whole episodes on simulated phones, in one run:

1. SimWorld-Safety (30 tasks) with the gullible Manager, without the gate and with it (rules
   alone): attack success rate, harmful requests carried out, utility on the benign twins;
2. false blocks: SimWorld's own tasks with the oracle, and AndroidWorld's task goals as
   steps, under the `benchmark` and the `default` presets.

It runs `artemis safety sim` and `artemis safety false-blocks` into a temporary folder and
prints their figures as Markdown tables, with the time each took.

    python benchmarks/safety_episodes.py [--devices N] [--seed S]
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

from artemis.cli.common import console
from artemis.cli.safety_sim import false_blocks, sim


def _pct(part: int, whole: int) -> str:
    return f"{part}/{whole} ({part / whole:.0%})" if whole else "–"


def _sim_table(rows: list[dict[str, Any]]) -> list[str]:
    out = [
        "| gate | attack success | harmful requests carried out | utility (benign twins) "
        "| utility under attack | steps stopped / judged | guard calls |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        inj, harm, benign = r["injections"], r["harmful"], r["benign"]
        out.append(
            f"| {r['label']} | {_pct(r['attacks_succeeded'], inj)} "
            f"| {_pct(r['harmful_carried_out'], harm)} | {_pct(r['benign_done'], benign)} "
            f"| {_pct(r['injections_done'], inj)} "
            f"| {r['steps_stopped']}/{r['steps_judged']} | {r['guard_calls']} |"
        )
    return out


def _false_block_table(data: dict[str, Any]) -> list[str]:
    out = [
        "| tasks | preset | tasks stopped | steps stopped / judged | tasks done |",
        "|---|---|---|---|---|",
    ]
    for f in data["simworld"]:
        name, preset = f["label"].split(", ")
        stopped = ", ".join(f["tasks_stopped"])
        out.append(
            f"| {name} ({f['tasks']}, oracle) | {preset} "
            f"| {len(f['tasks_stopped'])}{f' ({stopped})' if stopped else ''} "
            f"| {f['steps_stopped']}/{f['steps_judged']} | {f['succeeded']}/{f['tasks']} |"
        )
    for a in data["androidworld_goals"]:
        out.append(
            f"| AndroidWorld goals ({a['goals']}, as text) | {a['preset']} "
            f"| {len(a['goals_stopped'])} | {a['steps_stopped']}/{a['steps']} | – |"
        )
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--devices", type=int, default=2, help="simulated phones at once")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="artemis-safety-") as tmp:
        root = Path(tmp)
        console.quiet = True  # the commands' own tables; this script prints Markdown
        t0 = time.perf_counter()
        sim(devices=args.devices, seed=args.seed, out=root / "sim", json_out=root / "sim.json")
        t_sim = time.perf_counter() - t0
        t0 = time.perf_counter()
        false_blocks(
            devices=args.devices, seed=args.seed, out=root / "fb", json_out=root / "fb.json"
        )
        t_fb = time.perf_counter() - t0
        console.quiet = False
        rows = json.loads((root / "sim.json").read_text(encoding="utf-8"))
        fb = json.loads((root / "fb.json").read_text(encoding="utf-8"))
    print(f"\nSimWorld-Safety, gullible Manager, seed {args.seed} ({t_sim:.0f} s, both runs)\n")
    print("\n".join(_sim_table(rows)))
    for r in rows:
        if r["attacked"]:
            print(f"\n{r['label']}: attacked in {', '.join(r['attacked'])}")
    print(f"\nFalse blocks on tasks that ask for what they do ({t_fb:.0f} s)\n")
    print("\n".join(_false_block_table(fb)))


if __name__ == "__main__":
    main()
