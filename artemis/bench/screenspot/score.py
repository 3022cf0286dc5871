"""Scoring predictions against ScreenSpot samples.

A prediction is correct when its point lies inside the sample's box, edges included. A sample
with no prediction, a null point, an answer that did not parse ("wrong format") or a failed
model call is wrong and stays in the denominator.

The report has one cell per (category, ui type): split x text/icon for ScreenSpot and v2,
group x text/icon for Pro. Papers average two ways, so both are given: over all samples
(`micro`) and the plain mean of the non-empty cells (`macro`).

Prediction files are JSON Lines, one `{"id": …, "point": [x, y] | null}` per line, in
original-image pixels; a `status` field ("ok", "wrong_format", "error") is optional. The
results file of `artemis bench screenspot --model …` has this shape, so it scores as is.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, TypeAlias

from artemis.bench.results import iter_jsonl
from artemis.bench.screenspot.data import UI_TYPES, Sample
from artemis.errors import BenchmarkError

Status: TypeAlias = Literal["ok", "wrong_format", "error"]
STATUSES: tuple[Status, ...] = ("ok", "wrong_format", "error")

MAX_PROBLEMS_KEPT = 200


@dataclass(frozen=True, slots=True)
class Prediction:
    id: str
    point: tuple[float, float] | None
    status: Status = "ok"


@dataclass(slots=True)
class PredictionFile:
    predictions: dict[str, Prediction] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)
    unknown_ids: int = 0


def prediction_from_record(record: Mapping[str, Any]) -> tuple[Prediction | None, str]:
    """A prediction from one record, or None and why it cannot be used."""
    case_id = record.get("id")
    if not isinstance(case_id, str | int) or isinstance(case_id, bool):
        return None, "no usable 'id'"
    status = record.get("status", "ok")
    if status not in STATUSES:
        return None, f"unknown status {status!r} (expected one of {', '.join(STATUSES)})"
    raw = record.get("point")
    if raw is None:
        return Prediction(str(case_id), None, status), ""
    ok = (
        isinstance(raw, list | tuple)
        and len(raw) == 2
        and all(isinstance(v, int | float) and not isinstance(v, bool) for v in raw)
        and all(math.isfinite(v) for v in raw)
    )
    if not ok:
        return None, f"'point' should be [x, y] or null, got {raw!r}"
    return Prediction(str(case_id), (float(raw[0]), float(raw[1])), status), ""


def read_predictions(path: Path, known_ids: Iterable[str]) -> PredictionFile:
    """Read a prediction file; bad lines and unknown ids are reported, never fatal."""
    if not path.is_file():
        raise BenchmarkError(f"prediction file {path} does not exist")
    known = set(known_ids)
    out = PredictionFile()
    for line in iter_jsonl(path):
        if line.record is None:
            out.problems.append(f"{line.problem}; line skipped")
            continue
        pred, why = prediction_from_record(line.record)
        where = f"{path}:{line.number}"
        if pred is None:
            case = line.record.get("id")
            label = f" (sample {case!r})" if case is not None else ""
            out.problems.append(f"{where}{label}: {why}; line skipped")
            continue
        if pred.id not in known:
            out.unknown_ids += 1
            out.problems.append(f"{where}: sample {pred.id!r} is not in the annotations; ignored")
            continue
        if pred.id in out.predictions:
            out.problems.append(f"{where}: sample {pred.id!r} predicted again; the last one counts")
        out.predictions[pred.id] = pred
    return out


def is_correct(sample: Sample, prediction: Prediction | None) -> bool:
    return (
        prediction is not None
        and prediction.point is not None
        and sample.box.contains(*prediction.point)
    )


@dataclass(slots=True)
class Cell:
    n: int = 0
    correct: int = 0

    @property
    def accuracy(self) -> float | None:
        return self.correct / self.n if self.n else None

    def add(self, correct: bool) -> None:
        self.n += 1
        self.correct += int(correct)

    def to_json(self) -> dict[str, Any]:
        acc = self.accuracy
        return {"n": self.n, "correct": self.correct, "accuracy": _r(acc)}


@dataclass(slots=True)
class Report:
    """Accuracy per (category, ui type), per category, overall, and the counts around it."""

    dataset: str
    categories: tuple[str, ...]
    cells: dict[tuple[str, str], Cell]
    rows: dict[str, Cell]
    columns: dict[str, Cell]
    total: Cell
    missing: int = 0
    no_point: int = 0
    wrong_format: int = 0
    errors: int = 0
    skipped_no_image: int = 0
    unknown_ids: int = 0
    problems: list[str] = field(default_factory=list)
    meta: dict[str, Any] = field(default_factory=dict)

    @property
    def micro(self) -> float | None:
        """Accuracy over all samples."""
        return self.total.accuracy

    @property
    def macro(self) -> float | None:
        """Mean of the (category, ui type) accuracies, empty cells left out."""
        accs = [c.accuracy for c in self.cells.values() if c.accuracy is not None]
        return sum(accs) / len(accs) if accs else None

    def to_json(self) -> dict[str, Any]:
        return {
            "dataset": self.dataset,
            **self.meta,
            "accuracy": {"micro": _r(self.micro), "macro": _r(self.macro)},
            "overall": self.total.to_json(),
            "by_ui_type": {t: c.to_json() for t, c in self.columns.items()},
            "categories": {
                cat: {
                    **{t: self.cells[(cat, t)].to_json() for t in UI_TYPES},
                    "all": self.rows[cat].to_json(),
                }
                for cat in self.categories
            },
            "counts": {
                "samples": self.total.n,
                "correct": self.total.correct,
                "missing": self.missing,
                "no_point": self.no_point,
                "wrong_format": self.wrong_format,
                "errors": self.errors,
                "skipped_no_image": self.skipped_no_image,
                "unknown_ids": self.unknown_ids,
                "problems": len(self.problems),
            },
            "problems": self.problems[:MAX_PROBLEMS_KEPT],
        }


def _r(value: float | None) -> float | None:
    return None if value is None else round(value, 6)


def score(
    samples: Iterable[Sample],
    predictions: Mapping[str, Prediction],
    *,
    dataset: str,
    categories: tuple[str, ...] | None = None,
    skipped_no_image: int = 0,
    unknown_ids: int = 0,
    problems: Iterable[str] = (),
    meta: Mapping[str, Any] | None = None,
) -> Report:
    """Score `predictions` on `samples`; every sample is in the denominator."""
    sample_list = list(samples)
    cats = categories or tuple(dict.fromkeys(s.category for s in sample_list))
    report = Report(
        dataset=dataset,
        categories=cats,
        cells={(c, t): Cell() for c in cats for t in UI_TYPES},
        rows={c: Cell() for c in cats},
        columns={t: Cell() for t in UI_TYPES},
        total=Cell(),
        skipped_no_image=skipped_no_image,
        unknown_ids=unknown_ids,
        problems=list(problems),
        meta=dict(meta or {}),
    )
    for sample in sample_list:
        pred = predictions.get(sample.id)
        ok = is_correct(sample, pred)
        if sample.category not in report.rows:  # a category the caller did not list
            report.categories += (sample.category,)
            report.rows[sample.category] = Cell()
            for t in UI_TYPES:
                report.cells[(sample.category, t)] = Cell()
        report.cells[(sample.category, sample.ui_type)].add(ok)
        report.rows[sample.category].add(ok)
        report.columns[sample.ui_type].add(ok)
        report.total.add(ok)
        if pred is None:
            report.missing += 1
        elif pred.status == "wrong_format":
            report.wrong_format += 1
        elif pred.status == "error":
            report.errors += 1
        elif pred.point is None:
            report.no_point += 1
    return report
