"""`artemis bench`: run and score benchmarks. Each benchmark is one command of this group.

`artemis bench screenspot` scores a prediction file (`--predictions`) or runs a model
(`--model`) on ScreenSpot, ScreenSpot-v2 or ScreenSpot-Pro.
"""

from __future__ import annotations

import asyncio
import re
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape

from artemis.bench.distributed.cluster import check_address
from artemis.bench.screenspot import RunOptions, load_dataset, run_model, score_file
from artemis.bench.screenspot.evaluate import ModelRun
from artemis.bench.screenspot.report import summary_lines, table
from artemis.bench.screenspot.runner import Executor
from artemis.bench.screenspot.score import Report
from artemis.cli import app
from artemis.cli.common import console, err_console, settings, state
from artemis.config import Settings
from artemis.durable import write_json
from artemis.errors import BenchmarkError
from artemis.models import registry
from artemis.models.base import ChatModel
from artemis.models.coords import NATIVE_SIZE
from artemis.models.dialects import get_dialect
from artemis.progress import Tracker

bench_app = typer.Typer(help="Run and score benchmarks.", no_args_is_help=True)
app.add_typer(bench_app, name="bench")

PROBLEMS_SHOWN = 10


class DatasetChoice(StrEnum):
    screenspot = "screenspot"
    screenspot_v2 = "screenspot-v2"
    screenspot_pro = "screenspot-pro"


def resolve_model(spec: str, s: Settings) -> ChatModel:
    """A grounding model from its spec, through the model registry (`ocr` is the baseline)."""
    return registry.resolve_model(spec, s, use="grounding")


@bench_app.command("screenspot")
def screenspot(
    dataset: Annotated[
        DatasetChoice, typer.Option("--dataset", "-d", help="which benchmark the annotations are")
    ],
    annotations: Annotated[
        Path, typer.Option("--annotations", "-a", help="folder of the official annotation files")
    ],
    predictions: Annotated[
        Path | None,
        typer.Option(
            "--predictions",
            "-p",
            help='score this JSON Lines file of {"id": ..., "point": \\[x, y] | null}',
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="run this model: a model spec (openai:<model>, ...), or 'ocr' for the "
            "OCR baseline",
        ),
    ] = None,
    images: Annotated[
        Path | None,
        typer.Option(
            "--images",
            "-i",
            help="image folder; samples without their image are skipped (needed with --model)",
        ),
    ] = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            help="run folder, resumed when it exists "
            "(default: <runs_dir>/screenspot/<dataset>-<model>-<prompt>)",
        ),
    ] = None,
    concurrency: Annotated[
        int, typer.Option("--concurrency", "-j", min=1, help="model calls in flight")
    ] = 8,
    limit: Annotated[
        int | None, typer.Option("--limit", "-n", min=1, help="first N samples with images")
    ] = None,
    dialect: Annotated[
        str,
        typer.Option(
            "--dialect",
            help="the model's dialect: auto (from the model name) or a name from "
            "`artemis models dialects`",
        ),
    ] = "auto",
    as_manager: Annotated[
        bool,
        typer.Option(
            "--as-manager",
            help="ask with the dialect's navigation prompt (a one-step task: tap the element), "
            "as the agent's Manager is asked, instead of its grounding prompt",
        ),
    ] = False,
    max_pixels: Annotated[
        int | None,
        typer.Option(
            "--max-pixels",
            min=1,
            help="resize budget per image (default: models.max_image_pixels; "
            "the OCR baseline reads full size)",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option("--timeout", min=0.1, help="seconds per model call (models.timeout_s)"),
    ] = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="also write the report as JSON here")
    ] = None,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="run on a Ray cluster (auto, or HOST:PORT of its head): batches of samples "
            "on actors, each calling the model from its own node; needs artemis\\[ray]",
        ),
    ] = None,
    actors: Annotated[
        int | None,
        typer.Option("--actors", min=1, help="Ray actors (default: one per node)"),
    ] = None,
) -> None:
    """Score ScreenSpot predictions, or run a grounding model on ScreenSpot and score it."""
    if (predictions is None) == (model is None):
        raise BenchmarkError("give either --predictions FILE (to score) or --model SPEC (to run)")
    ds = load_dataset(dataset.value, annotations)
    unfinished = 0
    if predictions is not None:
        report = score_file(ds, predictions, images=images)
        _show(report)
    else:
        assert model is not None
        if images is None:
            raise BenchmarkError("--model needs --images DIR, the folder of the screenshots")
        s = settings()
        chosen = None if dialect == "auto" else get_dialect(dialect)
        grounder = resolve_model(model, s)
        # Models that read images at their own size (the OCR baseline) get them unresized.
        own_budget = None if grounder.image_rule == NATIVE_SIZE else s.models.max_image_pixels
        opts = RunOptions(
            dialect=chosen,
            as_manager=as_manager,
            coords=None if s.models.coords == "auto" else s.models.coords,
            concurrency=concurrency,
            max_pixels=max_pixels or own_budget,
            timeout_s=timeout or s.models.timeout_s,
        )
        kind = f"{dialect}{'-manager' if as_manager else ''}"
        folder = out or _default_out(s, dataset.value, model, kind)
        execute: Executor | None = None
        if ray is not None:
            from artemis.bench.distributed.screenspot import RaySamples

            execute = RaySamples(check_address(ray), model, s, actors)
        run = _run(grounder, ds, images, folder, opts, limit, execute)
        report = run.report
        _show(report)
        done = run.summary.finished
        console.print(
            f"results: {folder} ({done} run now, {run.summary.already_done} from before, "
            f"{run.summary.elapsed_s:.1f} s)",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
        if run.selection.missing:
            first = run.selection.missing[0]
            err_console.print(
                f"skipped {len(run.selection.missing)} samples whose image is not in {images} "
                f"(first: {first.where}: {first.img_filename})",
                markup=False,
                highlight=False,
                soft_wrap=True,
            )
        unfinished = run.summary.unfinished
        if unfinished:
            err_console.print(
                f"[yellow]{unfinished} sample(s) unfinished[/yellow]: every actor was lost; "
                "run the same command again to resume",
                highlight=False,
            )
    if json_out is not None:
        write_json(json_out, report.to_json())
        console.print(f"report: {json_out}", markup=False, highlight=False, soft_wrap=True)
    if unfinished:
        raise typer.Exit(1)


def _run(
    grounder: ChatModel,
    ds: Any,
    images: Path,
    folder: Path,
    opts: RunOptions,
    limit: int | None,
    execute: Executor | None,
) -> ModelRun:
    with Tracker(err_console, "screenspot", counted="correct") as progress:

        def on_start(total: int) -> None:
            progress.set_total(total)

        def on_record(record: dict[str, Any]) -> None:
            progress.advance(float(bool(record.get("correct"))))

        try:
            return asyncio.run(
                run_model(
                    grounder,
                    ds,
                    images,
                    folder,
                    opts,
                    limit=limit,
                    on_start=on_start,
                    on_record=on_record,
                    execute=execute,
                )
            )
        except KeyboardInterrupt:
            progress.close()
            err_console.print(
                "[yellow]interrupted[/yellow]: finished samples are kept in "
                f"{escape(str(folder))}; run the same command again to resume",
                highlight=False,
                soft_wrap=True,
            )
            raise typer.Exit(130) from None


def _default_out(s: Settings, dataset: str, model: str, prompt: str) -> Path:
    slug = re.sub(r"[^A-Za-z0-9._-]+", "_", model).strip("_") or "model"
    return s.runs_dir / "screenspot" / f"{dataset}-{slug}-{prompt}"


def _show(report: Report) -> None:
    console.print(table(report))
    for line in summary_lines(report):
        console.print(line, markup=False, highlight=False, soft_wrap=True)
    if report.problems:
        shown = report.problems if state.verbose else report.problems[:PROBLEMS_SHOWN]
        err_console.print(f"[yellow]{len(report.problems)} problems[/yellow]:", highlight=False)
        for p in shown:
            err_console.print(f"  {p}", markup=False, highlight=False, soft_wrap=True)
        if len(shown) < len(report.problems):
            err_console.print("  ... (all of them with --verbose, or in the JSON report)")
