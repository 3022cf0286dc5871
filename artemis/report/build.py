"""Writing a report: one page per episode, and an index when there are several.

Where pages go:

- `DIR` is one episode folder: its page is `--out`, default `DIR/report.html`;
- `DIR` holds episode folders (up to two levels down): the index is `--out`, default
  `DIR/report.html`, and each episode's page is `<index folder>/<index name>/<episode>.html`
  (default `DIR/report/<episode>.html`), where `<episode>` is the episode folder's path under
  the episodes' common parent with `/` written as `__`. Pages link to each other with
  relative links. A benchmark's `results.jsonl` in `DIR` adds each case's checker score.

Every page is self-contained (images embedded), so a page still works when moved on its own.
Screenshots are decoded, drawn and encoded on a thread pool: the pages of a run in parallel
(one episode's images in memory per thread), or the steps of a single episode.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.durable import ensure_dir, write_atomic
from artemis.errors import ReportError
from artemis.report.episode_page import Links, render_episode
from artemis.report.figures import Figure, final_figure, step_figures, unrecorded_figures
from artemis.report.index_page import RunSummary, render_index, summary_files
from artemis.report.load import Episode, find_episodes, load_episode, load_json
from artemis.report.results import attach_results

DEFAULT_NAME = "report.html"


@dataclass
class Report:
    """What `build_report` wrote."""

    root: Path
    out: Path
    pages: list[Path] = field(default_factory=list)
    episodes: list[Episode] = field(default_factory=list)
    index: Path | None = None

    @property
    def with_problems(self) -> list[Episode]:
        return [ep for ep in self.episodes if ep.problems]


def _write(path: Path, text: str) -> None:
    # Pages can be rendered again: atomic (no reader sees half a page), not synced.
    write_atomic(path, text, sync=False)


def _names(folders: list[Path]) -> list[str]:
    """Each folder's path under the folders' common parent, `/` written `__`."""
    base = Path(os.path.commonpath(folders)) if len(folders) > 1 else folders[0].parent
    return [f.relative_to(base).as_posix().replace("/", "__") for f in folders]


def _order(ep: Episode) -> tuple[str, str, str]:
    """Benchmark cases by template, other episodes by task; then by start."""
    template = (ep.record or {}).get("template")
    return (str(template) if template else ep.task, ep.started, ep.name)


Mapper = Callable[
    [Callable[[dict[str, Any]], list[Figure]], list[dict[str, Any]]], Iterable[list[Figure]]
]


def _write_page(path: Path, ep: Episode, links: Links, mapper: Mapper = map) -> None:
    """Render and write one episode's page; `mapper` maps the steps to their figures."""
    kept = ep.config.get("log_screens") is not False
    figures = list(mapper(lambda rec: step_figures(ep.folder, rec, screens_kept=kept), ep.steps))
    unrecorded = unrecorded_figures(ep.folder, ep.steps) if ep.status != "done" else []
    _write(path, render_episode(ep, figures, final_figure(ep.folder), links, unrecorded))


def build_report(
    root: Path,
    out: Path | None = None,
    *,
    workers: int | None = None,
    on_start: Callable[[int], None] | None = None,
    on_page: Callable[[Episode], None] | None = None,
) -> Report:
    """Render the episode(s) under `root` (see the module docstring). Raises `ReportError`
    only when there is nothing to render. `on_start` is told how many pages there are to
    write, `on_page` gets each episode once its page is written (from a worker thread)."""
    if not root.exists():
        raise ReportError(f"{root} does not exist")
    if not root.is_dir():
        raise ReportError(f"{root} is not a folder: give an episode folder or a run folder")
    folders = find_episodes(root)
    if not folders:
        raise ReportError(
            f"no episode in {root}: no episode.json or steps.jsonl in it or in its subfolders"
        )
    out = out if out is not None else root / DEFAULT_NAME
    if out.suffix.lower() not in (".html", ".htm"):
        raise ReportError(f"--out {out}: give a file name ending in .html")
    ensure_dir(out.parent)  # an unwritable --out fails now, not after rendering every page
    workers = workers or min(8, os.cpu_count() or 1)
    report = Report(root, out)
    if on_start is not None:
        on_start(len(folders))

    def write_page(path: Path, ep: Episode, links: Links, mapper: Mapper = map) -> None:
        _write_page(path, ep, links, mapper)
        if on_page is not None:
            on_page(ep)

    with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="report") as pool:
        if folders == [root]:
            # One episode: its steps' images are drawn and encoded in parallel.
            ep = load_episode(root, root.name)
            write_page(out, ep, Links(), pool.map)
            report.episodes, report.pages = [ep], [out]
            return report

        episodes = [load_episode(f, name) for f, name in zip(folders, _names(folders), strict=True)]
        orphans, problems = attach_results(root, episodes)
        episodes.sort(key=_order)
        pages_dir = out.parent / out.stem
        pages = [pages_dir / f"{ep.name}.html" for ep in episodes]
        to_index = os.path.relpath(out, pages_dir)
        links = [
            Links(
                index=to_index,
                prev=pages[i - 1].name if i > 0 else None,
                next=pages[i + 1].name if i + 1 < len(pages) else None,
            )
            for i in range(len(pages))
        ]
        # Several: whole pages in parallel, so only `workers` episodes' images are in memory.
        list(pool.map(write_page, pages, episodes, links))
    summaries = []
    for path in summary_files(root):
        data, why = load_json(path)
        if why is not None:
            problems.append(why)
        else:
            summaries.append(RunSummary(path.name, data))
    hrefs = [Path(os.path.relpath(p, out.parent)).as_posix() for p in pages]
    title = f"artemis report: {root.resolve().name}"
    _write(out, render_index(title, episodes, hrefs, summaries, problems, orphans))
    report.episodes, report.pages, report.index = episodes, pages, out
    return report
