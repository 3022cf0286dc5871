"""`artemis bench sim`: the SimWorld benchmark on simulated phones (a command of `bench`)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from artemis.bench.distributed.cluster import check_address
from artemis.bench.results import Record
from artemis.bench.simworld.ablation import ABLATIONS, check_ablation
from artemis.bench.simworld.registry import templates
from artemis.bench.simworld.runner import SimRunOptions, run_simworld
from artemis.bench.simworld.summary import case_line
from artemis.cli.bench import bench_app
from artemis.cli.common import console, err_console, settings
from artemis.config import Settings
from artemis.progress import Tracker
from artemis.safety.modes import check_gate_mode


@bench_app.command("sim")
def sim(
    tasks: Annotated[
        list[str] | None,
        typer.Option(
            "--tasks",
            "-t",
            help="task templates to run (repeat, or separate with commas; a prefix such as "
            "'Clock' picks every Clock task); default: all",
        ),
    ] = None,
    seed: Annotated[int, typer.Option("--seed", help="seed of the task parameters")] = 0,
    combinations: Annotated[
        int, typer.Option("--n-task-combinations", "-n", help="instances of each template")
    ] = 1,
    devices: Annotated[
        int, typer.Option("--devices", "-d", help="simulated phones running episodes at once")
    ] = 1,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="model spec for every role (openai:<model>, heuristic, oracle); "
            "default: the configured models",
        ),
    ] = None,
    ablation: Annotated[
        str,
        typer.Option(
            "--ablation",
            "-a",
            help=f"which agent stages run: {' | '.join(ABLATIONS)} (the paper's table rows)",
        ),
    ] = "full",
    gate: Annotated[
        str,
        typer.Option(
            "--gate",
            help="the safety gate: benchmark (rules only; never stops a task's own steps), "
            "on (as safety.* says), off",
        ),
    ] = "benchmark",
    suite: Annotated[
        str,
        typer.Option("--suite", help="simworld (SimWorld's tasks) or safety (SimWorld-Safety's)"),
    ] = "simworld",
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="run folder (results, summary, trajectories); an existing one is resumed",
        ),
    ] = None,
    model_latency: Annotated[
        float,
        typer.Option(
            "--model-latency",
            min=0.0,
            help="seconds added to every model call, to measure the loop's critical path",
        ),
    ] = 0.0,
    list_tasks: Annotated[
        bool, typer.Option("--list", help="list the task templates and exit")
    ] = False,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="run on a Ray cluster (auto, or HOST:PORT of its head), one actor per "
            "device; needs artemis\\[ray]",
        ),
    ] = None,
    phone_process: Annotated[
        bool | None,
        typer.Option(
            "--phone-process/--no-phone-process",
            help="serve the simulated phones from a process of their own, on another core "
            "(default: with more than one device)",
        ),
    ] = None,
) -> None:
    """Run SimWorld: agent episodes on simulated phones, graded from the phones' state."""
    if list_tasks:
        _list()
        return
    s = settings()
    names = [n.strip() for t in tasks or [] for n in t.split(",") if n.strip()]
    options = SimRunOptions(
        out=out or _default_out(s, model, ablation, seed),
        tasks=names,
        seed=seed,
        combinations=combinations,
        devices=devices,
        model=model,
        ablation=check_ablation(ablation),
        gate=check_gate_mode(gate),
        suite=suite,
        model_latency_s=model_latency,
        ray=check_address(ray) if ray is not None else None,
        phone_process=phone_process,
    )
    err_console.print(f"run folder: {escape(str(options.out))}", highlight=False, soft_wrap=True)

    plans: dict[str, int] = {}
    progress = Tracker(err_console, "SimWorld")

    def on_start(total: int) -> None:
        progress.set_total(total)

    def on_case(r: Record) -> None:
        for outcome, n in (r.get("speculation") or {}).items():
            plans[outcome] = plans.get(outcome, 0) + int(n)
        verdict, detail = case_line(r)
        colour = {"pass": "green", "fail": "yellow"}.get(verdict, "red")
        progress.advance(
            float(verdict == "pass"),
            f"[{colour}]{verdict}[/{colour}] {escape(str(r['id']))}: {escape(detail)}",
            markup=True,
        )

    try:
        with progress:
            result = asyncio.run(run_simworld(options, s, on_case=on_case, on_start=on_start))
    except KeyboardInterrupt:
        err_console.print(
            "[yellow]interrupted[/yellow]: finished episodes are kept; run the same command "
            "again to resume",
            highlight=False,
        )
        raise typer.Exit(130) from None
    for problem in result.problems:
        err_console.print(
            f"[yellow]warning[/yellow]: {escape(problem)}", highlight=False, soft_wrap=True
        )
    if result.unfinished:
        err_console.print(
            f"[yellow]{result.unfinished} case(s) unfinished[/yellow]: every actor was lost; "
            "run the same command again to resume",
            highlight=False,
        )
    console.print(result.summary.table(f"SimWorld ({result.data['ablation']})"))
    console.print(
        f"success rate {result.summary.success_rate:.1%} over {len(result.summary.per_task)} "
        f"tasks ({result.summary.episodes} episodes); ran {result.ran}, resumed "
        f"{result.skipped}; {result.wall_s:.1f} s",
        highlight=False,
    )
    started = sum(plans.values())
    if started:
        console.print(
            f"plans started beside the reflection: {started}, kept {plans.get('kept', 0)} "
            f"({plans.get('kept', 0) / started:.0%}), re-planned {plans.get('replanned', 0)}, "
            f"dropped {plans.get('dropped', 0)}",
            highlight=False,
        )
    console.print(f"summary: {options.out / 'summary.json'}", markup=False, highlight=False)
    if result.unfinished:
        raise typer.Exit(1)


def _default_out(s: Settings, model: str | None, ablation: str, seed: int) -> Path:
    spec = model or s.model or "configured"
    slug = re.sub(r"[^A-Za-z0-9._+-]+", "_", spec).strip("_") or "model"
    return s.runs_dir / "simworld" / f"{slug}-{ablation}-s{seed}"


def _list() -> None:
    """One line per template: name, step budget, kinds, traps, apps."""
    for name, cls in templates().items():
        traps = f" traps: {', '.join(cls.traps)};" if cls.traps else ""
        console.print(
            f"{name:<26} {round(10 * cls.complexity):>2} steps; {', '.join(cls.kinds)};{traps} "
            f"{', '.join(cls.apps)}",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
