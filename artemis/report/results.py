"""A benchmark's result records beside its episodes, joined to them.

A benchmark run (`artemis bench sim --out DIR`) keeps `results.jsonl` (one record per case,
read with the shared `artemis.bench.results` reader) next to its episode folders. A record
names its episode by `trajectory` (a path under `DIR`), or else by its `id` being the
episode folder's name. Records whose episode is not there (a case that crashed before its
episode began) are returned apart, so that the index can list them.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from artemis.bench.results import read_records
from artemis.report.load import Episode

RESULTS_FILE = "results.jsonl"


def attach_results(root: Path, episodes: list[Episode]) -> tuple[list[dict[str, Any]], list[str]]:
    """Set `Episode.record` from `root/results.jsonl`; returns the records with no episode,
    and what was wrong with the file."""
    path = root / RESULTS_FILE
    if not path.is_file():
        return [], []
    loaded = read_records(path)
    problems = list(loaded.problems)
    by_folder = {ep.folder.resolve(): ep for ep in episodes}
    by_name = {ep.folder.name: ep for ep in episodes}
    orphans: list[dict[str, Any]] = []
    for case_id, record in loaded.records.items():
        ep = None
        trajectory = record.get("trajectory")
        if isinstance(trajectory, str) and trajectory:
            ep = by_folder.get((root / trajectory).resolve())
        if ep is None:
            ep = by_name.get(case_id)
        if ep is None:
            orphans.append(record)
        else:
            ep.record = record
    return orphans, problems
