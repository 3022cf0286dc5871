"""The two things `artemis bench screenspot` does: score a prediction file, or run a model.

A model run keeps its folder (`--out`): `run.json` (what was run), `results.jsonl` (one
record per sample, appended durably; the prediction-file format plus the answer, timings and
usage) and `report.json`. Running again into the same folder resumes it.
"""

from __future__ import annotations

import asyncio
import dataclasses
import json
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from PIL import Image

from artemis.bench.results import Record, ResultStore
from artemis.bench.screenspot.data import Dataset
from artemis.bench.screenspot.runner import (
    Executor,
    RunOptions,
    RunSummary,
    Selection,
    coords_for,
    dialect_for,
    image_rule,
    run_samples,
    select,
)
from artemis.bench.screenspot.score import (
    Prediction,
    Report,
    prediction_from_record,
    read_predictions,
    score,
)
from artemis.durable import ensure_dir, write_json
from artemis.errors import BenchmarkError
from artemis.models.base import ChatModel

RESULTS_FILE = "results.jsonl"
RUN_FILE = "run.json"
REPORT_FILE = "report.json"


def score_file(dataset: Dataset, predictions: Path, *, images: Path | None = None) -> Report:
    """Score a prediction file on every sample (or, with `images`, those whose image exists)."""
    samples = dataset.samples
    skipped = 0
    box_notes: list[str] = []
    if images is not None:
        if not images.is_dir():
            raise BenchmarkError(f"image folder {images} does not exist")
        selection = select(samples, images)
        samples, skipped = selection.samples, len(selection.missing)
        box_notes = _boxes_outside_images(selection)
    loaded = read_predictions(predictions, (s.id for s in dataset.samples))
    return score(
        samples,
        loaded.predictions,
        dataset=dataset.name,
        categories=dataset.categories(),
        skipped_no_image=skipped,
        unknown_ids=loaded.unknown_ids,
        problems=[*dataset.problems, *box_notes, *loaded.problems],
        meta={"predictions": str(predictions)},
    )


def _boxes_outside_images(selection: Selection) -> list[str]:
    """Boxes that leave their image, by the image's header (no decoding)."""
    notes = []
    sizes: dict[Path, tuple[int, int] | None] = {}
    for sample, path in selection.runnable:
        if path not in sizes:
            try:
                with Image.open(path) as img:
                    sizes[path] = img.size
            except (OSError, ValueError) as exc:
                sizes[path] = None
                notes.append(f"{sample.where}: cannot read image {path}: {exc}")
        size = sizes[path]
        if size is not None and sample.img_size is None:
            how = sample.box.outside(*size)
            if how:
                notes.append(
                    f"{sample.where}: box {sample.box.as_list()} {how} ({path.name}); "
                    "scored as given"
                )
    return notes


@dataclass(slots=True)
class ModelRun:
    report: Report
    summary: RunSummary
    selection: Selection
    out: Path


async def run_model(
    model: ChatModel,
    dataset: Dataset,
    images: Path,
    out: Path,
    options: RunOptions,
    *,
    limit: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_record: Callable[[Record], None] | None = None,
    execute: Executor | None = None,
) -> ModelRun:
    """Run `model` on the samples whose images exist; resume what `out` already holds.

    `execute` runs the pending samples elsewhere (`run_samples`'s; a Ray cluster's in
    `artemis.bench.distributed.screenspot`); either way they are appended to the store."""
    if not await asyncio.to_thread(images.is_dir):
        raise BenchmarkError(f"image folder {images} does not exist")
    dialect = dialect_for(model, options)
    opts = dataclasses.replace(options, dialect=dialect)
    rule = image_rule(model, opts)
    run_info = {
        "dataset": dataset.name,
        "annotations": str(dataset.root),
        "model": model.name,
        "dialect": dialect.name,
        "as_manager": opts.as_manager,
        "coords": coords_for(model, dialect, opts),
        "max_pixels": opts.max_pixels,
        "multiple": rule.factor,
    }
    _claim_run_folder(out, run_info)
    selection = select(dataset.samples, images, limit)
    store = ResultStore(out / RESULTS_FILE)
    if on_start is not None:
        on_start(len(selection.runnable))
    summary = await run_samples(model, selection, store, opts, on_record=on_record, execute=execute)
    report = score(
        selection.samples,
        _predictions(store.records),
        dataset=dataset.name,
        categories=dataset.categories(),
        skipped_no_image=len(selection.missing),
        problems=[*dataset.problems, *store.loaded.problems, *summary.problems],
        meta={
            "model": model.name,
            "prompt": f"{dialect.name} {'navigation' if opts.as_manager else 'grounding'}",
            "run": str(out),
        },
    )
    write_json(out / REPORT_FILE, report.to_json())
    return ModelRun(report, summary, selection, out)


def _predictions(records: dict[str, Record]) -> dict[str, Prediction]:
    out = {}
    for case_id, record in records.items():
        pred, _ = prediction_from_record(record)
        if pred is not None:
            out[case_id] = pred
    return out


def _claim_run_folder(out: Path, info: dict[str, Any]) -> None:
    """Write `run.json`, or check that the folder holds a run of the same thing."""
    path = out / RUN_FILE
    if path.exists():
        try:
            before = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError) as exc:
            raise BenchmarkError(
                f"{path} is unreadable ({exc}); remove it or use another --out"
            ) from exc
        keys = ("dataset", "model", "dialect", "as_manager", "coords", "max_pixels", "multiple")
        diff = [k for k in keys if before.get(k) != info.get(k)]
        if diff:
            what = ", ".join(f"{k}: {before.get(k)!r} there, {info.get(k)!r} now" for k in diff)
            raise BenchmarkError(
                f"{out} holds another run ({what}); use another --out, or delete it to start over"
            )
        return
    ensure_dir(out)
    write_json(path, info)
