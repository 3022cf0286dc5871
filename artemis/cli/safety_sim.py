"""`artemis safety sim` and `artemis safety false-blocks`: the gate measured in episodes on
simulated phones (commands of `artemis safety`).

- `sim`: SimWorld-Safety with the gullible Manager, without the gate and with it: attack
  success rate, harmful requests carried out, utility on the benign twins;
- `false-blocks`: SimWorld's own tasks (with the oracle) and AndroidWorld's task goals (as
  text) under the `benchmark` and the `default` presets: what the gate stops of tasks that
  ask for everything they do.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from artemis.bench.results import Record
from artemis.bench.simworld.runner import RunResult, SimRunOptions, run_simworld
from artemis.bench.simworld.safety.score import HEADER, FalseBlocks, SafetyScores
from artemis.cli.common import console, err_console, settings
from artemis.cli.safety_cmd import data_file, safety_app
from artemis.config import Settings
from artemis.safety.cases import LoadedCase, load_cases
from artemis.safety.modes import GateMode
from artemis.safety.policy import load_policy
from artemis.safety.rules import rule_stage

DevicesOpt = Annotated[int, typer.Option("--devices", "-j", min=1, help="simulated phones at once")]
SeedOpt = Annotated[int, typer.Option("--seed", help="seed of the task parameters")]


def _on_case(r: Record) -> None:
    if r.get("status") == "error":
        err_console.print(f"[red]error[/red] {escape(str(r['id']))}: {escape(str(r.get('error')))}")
        return
    gated = r.get("gated") or {}
    safety = r.get("safety") or {}
    extra = " [red]attacked[/red]" if safety.get("attacked") else ""
    err_console.print(
        f"[dim]{escape(str(r['id']))}: {r.get('outcome')}, score {r.get('score')}, "
        f"{gated.get('stopped', 0)} stopped[/dim]{extra}",
        highlight=False,
    )


def _run(options: SimRunOptions, s: Settings) -> RunResult:
    try:
        return asyncio.run(run_simworld(options, s, on_case=_on_case))
    except KeyboardInterrupt:
        err_console.print(
            "[yellow]interrupted[/yellow]: finished episodes are kept; run the same command "
            "again to resume"
        )
        raise typer.Exit(130) from None


def _records(result: RunResult) -> list[dict[str, Any]]:
    path = result.out / "results.jsonl"
    wanted = {c.id for c in result.cases}
    out = []
    for line in path.read_text(encoding="utf-8").splitlines():
        try:
            r = json.loads(line)
        except json.JSONDecodeError:
            continue
        if isinstance(r, dict) and r.get("id") in wanted:
            out.append(r)
    return out


@safety_app.command("sim")
def sim(
    devices: DevicesOpt = 2,
    seed: SeedOpt = 0,
    guard: Annotated[
        str | None,
        typer.Option(
            "--guard", help="a guard model spec for the gated run (default: the rules alone)"
        ),
    ] = None,
    tasks: Annotated[
        list[str] | None, typer.Option("--tasks", "-t", help="templates (or prefixes) to run")
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="run folder")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the scores")] = None,
) -> None:
    """SimWorld-Safety with the gullible Manager, without and with the gate.

    Prints the attack success, the harmful requests carried out and the utility on the benign
    twins."""
    s = settings()
    root = out or s.runs_dir / "simworld-safety" / f"s{seed}"
    names = [n.strip() for t in tasks or [] for n in t.split(",") if n.strip()]
    rows: list[SafetyScores] = []
    gated = "gate (rules)" if guard is None else f"gate (rules + guard {guard})"
    for label, mode, folder in (("no gate", "off", "no-gate"), (gated, "on", "gate")):
        base = s.model_copy(
            update={
                "model": "gullible",
                "models": s.models.model_copy(
                    update={"manager": None, "tac": None, "aca": None, "sra": None, "guard": guard}
                ),
                "safety": s.safety.model_copy(
                    update={"preset": "default", "on_confirm": "deny", "deliberate": bool(guard)}
                ),
            }
        )
        options = SimRunOptions(
            out=root / folder,
            tasks=names,
            seed=seed,
            devices=devices,
            ablation="+tac",
            gate=_mode(mode),
            suite="safety",
        )
        err_console.print(f"{label}: {escape(str(options.out))}", highlight=False)
        rows.append(SafetyScores.of(label, _records(_run(options, base))))
    t = Table(title="SimWorld-Safety, gullible Manager", title_justify="left")
    for h in HEADER:
        t.add_column(h, justify="left" if h == "gate" else "right")
    for r in rows:
        t.add_row(*r.row())
    console.print(t)
    for r in rows:
        if r.attacked_tasks:
            console.print(f"{r.label}: attacked in {', '.join(r.attacked_tasks)}", markup=False)
        if r.failed_twins:
            console.print(f"{r.label}: twins not done {', '.join(r.failed_twins)}", markup=False)
    if json_out is not None:
        json_out.write_text(json.dumps([r.as_dict() for r in rows], indent=2) + "\n")


def _mode(name: str) -> GateMode:
    return "on" if name == "on" else "off"


@safety_app.command("false-blocks")
def false_blocks(
    devices: DevicesOpt = 2,
    seed: SeedOpt = 0,
    tasks: Annotated[
        list[str] | None,
        typer.Option("--tasks", "-t", help="SimWorld templates (or prefixes); default all"),
    ] = None,
    out: Annotated[Path | None, typer.Option("--out", "-o", help="run folder")] = None,
    json_out: Annotated[Path | None, typer.Option("--json", help="write the figures")] = None,
) -> None:
    """What the gate stops of SimWorld's tasks and AndroidWorld's goals, under both presets.

    SimWorld's tasks as episodes with the oracle, AndroidWorld's task goals as text; under the
    benchmark and the default presets."""
    s = settings()
    root = out or s.runs_dir / "simworld-false-blocks" / f"s{seed}"
    results: list[FalseBlocks] = []
    for preset, mode in (("benchmark", "benchmark"), ("default", "on")):
        base = s.model_copy(
            update={
                "model": "oracle",
                "safety": s.safety.model_copy(
                    update={"preset": preset, "on_confirm": None, "deliberate": False}
                ),
            }
        )
        options = SimRunOptions(
            out=root / preset,
            tasks=[n.strip() for t in tasks or [] for n in t.split(",") if n.strip()],
            seed=seed,
            devices=devices,
            gate=_gate(mode),
            suite="simworld",
        )
        err_console.print(f"SimWorld, {preset} preset: {escape(str(options.out))}")
        results.append(FalseBlocks.of(f"SimWorld tasks, {preset}", _records(_run(options, base))))
    aw = [c for c in load_cases(data_file("androidworld_goals.jsonl")) if isinstance(c, LoadedCase)]
    aw_rows = [_androidworld(aw, s, preset) for preset in ("benchmark", "default")]
    t = Table(title="What the gate stops of tasks that ask for what they do", title_justify="left")
    for h in ("tasks", "preset", "tasks stopped", "steps stopped / judged", "tasks done"):
        t.add_column(h, justify="left" if h in ("tasks", "preset") else "right")
    for f in results:
        name, preset = f.label.split(", ")
        t.add_row(
            f"{name} ({f.tasks}, oracle)",
            preset,
            str(len(f.stopped_tasks)),
            f"{f.stopped}/{f.judged}",
            f"{f.succeeded}/{f.tasks}",
        )
    for row in aw_rows:
        t.add_row(
            f"AndroidWorld goals ({row['goals']}, as text)",
            row["preset"],
            str(len(row["goals_stopped"])),
            f"{row['steps_stopped']}/{row['steps']}",
            "–",
        )
    console.print(t)
    for f in results:
        if f.stopped_tasks:
            console.print(f"{f.label}: stopped in {', '.join(f.stopped_tasks)}", markup=False)
    for row in aw_rows:
        if row["goals_stopped"]:
            console.print(
                f"AndroidWorld goals, {row['preset']}: stopped in "
                f"{', '.join(row['goals_stopped'])}",
                markup=False,
            )
    if json_out is not None:
        data = {"simworld": [f.as_dict() for f in results], "androidworld_goals": aw_rows}
        json_out.write_text(json.dumps(data, indent=2) + "\n")


def _gate(mode: str) -> GateMode:
    return "benchmark" if mode == "benchmark" else "on"


def _androidworld(cases: list[LoadedCase], s: Settings, preset: str) -> dict[str, Any]:
    """The AndroidWorld goals' steps through the rule stage under `preset`."""
    policy = load_policy(s.safety.model_copy(update={"preset": preset}))
    by_goal: dict[str, int] = defaultdict(int)
    stopped = 0
    for case in cases:
        goal = case.id.split("-")[1]  # aw-<template>-<step>
        if rule_stage(case.step, policy).verdict != "allow":
            stopped += 1
            by_goal[goal] += 1
        else:
            by_goal.setdefault(goal, 0)
    return {
        "preset": preset,
        "goals": len(by_goal),
        "steps": len(cases),
        "steps_stopped": stopped,
        "goals_stopped": sorted(g for g, n in by_goal.items() if n),
    }
