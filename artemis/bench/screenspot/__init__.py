"""ScreenSpot, ScreenSpot-v2 and ScreenSpot-Pro: GUI grounding evaluation.

- `data`: the annotation loaders and the `Sample` type;
- `runner`: running a `ChatModel` over samples in its dialect (`artemis.models.dialects`),
  resumably, with bounded concurrency;
- `score` and `report`: accuracy per split/group x text/icon, both averages, counts;
- `baseline`: the OCR + fuzzy-match grounder that needs no model service;
- `evaluate`: what `artemis bench screenspot` calls.
"""

import artemis.bench.screenspot.baseline  # noqa: F401  (registers the `ocr` model spec)
from artemis.bench.screenspot.data import DATASETS, Box, Dataset, Sample, load_dataset
from artemis.bench.screenspot.evaluate import ModelRun, run_model, score_file
from artemis.bench.screenspot.runner import RunOptions
from artemis.bench.screenspot.score import Prediction, Report, score

__all__ = [
    "DATASETS",
    "Box",
    "Dataset",
    "ModelRun",
    "Prediction",
    "Report",
    "RunOptions",
    "Sample",
    "load_dataset",
    "run_model",
    "score",
    "score_file",
]
