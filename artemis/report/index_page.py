"""The index of a folder of episodes (a benchmark run): summary figures and one row per episode.

Figures computed from the episodes are always there; a run summary JSON found beside the
episodes (a benchmark's) is shown as well. Rows come ordered by task, then start time; the
column headings sort the table, and a filter narrows it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from artemis.report.html import (
    badge,
    esc,
    fmt_cost,
    fmt_int,
    fmt_pct,
    fmt_seconds,
    page,
    pretty_json,
    table,
)
from artemis.report.load import Episode

KEYS_HELP = (
    "<kbd>j</kbd> <kbd>k</kbd> or <kbd>↓</kbd> <kbd>↑</kbd> next / previous row · "
    "<kbd>Enter</kbd> open · <kbd>Home</kbd> <kbd>End</kbd> first / last row · "
    "<kbd>/</kbd> filter · click a heading to sort"
)


@dataclass(frozen=True)
class RunSummary:
    """A JSON file found beside the episodes, shown as the run's own summary."""

    name: str
    data: Any


def render_index(
    title: str,
    episodes: list[Episode],
    hrefs: list[str],
    summaries: list[RunSummary],
    problems: list[str],
) -> str:
    """The HTML of the index; `hrefs[i]` links to the page of `episodes[i]`."""
    parts = [
        f'<header class="top"><h1>{esc(title)}</h1>'
        f'<div class="facts">{fmt_int(len(episodes))} episodes</div></header>'
    ]
    if problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in problems)
        parts.append(
            f'<section class="problems"><h2>Missing or broken</h2><ul>{items}</ul></section>'
        )
    parts.append(_figures(episodes))
    parts.extend(_run_summary(s) for s in summaries)
    parts.append(_by_task(episodes))
    parts.append(f'<p class="keys" id="keys">Keys: {KEYS_HELP}</p>')
    parts.append(
        '<p class="filter"><label>Filter <input id="filter" type="search" '
        'placeholder="task, result, id" autocomplete="off"></label> '
        '<label><input id="only-failed" type="checkbox"> unsuccessful only</label> '
        '<span id="shown"></span></p>'
    )
    parts.append(_episode_table(episodes, hrefs))
    return page(title, "\n".join(parts), "index.js")


def _figures(episodes: list[Episode]) -> str:
    n = len(episodes)
    ok = sum(ep.success for ep in episodes)
    results = Counter(ep.result for ep in episodes)
    steps = [len(ep.steps) for ep in episodes]
    durations = [d for d in (ep.duration_s for ep in episodes) if d is not None]
    tiles = [
        ("agent-reported success", f"{fmt_pct(ok, n)}", f"{ok} of {n}"),
        ("steps", fmt_int(sum(steps)), f"{sum(steps) / n:.1f} per episode" if n else ""),
        (
            "tokens",
            fmt_int(sum(ep.total_tokens for ep in episodes)),
            f"{fmt_int(sum(ep.calls for ep in episodes))} model calls",
        ),
        ("cost", fmt_cost(sum(ep.cost_usd for ep in episodes)), ""),
        (
            "time",
            fmt_seconds(sum(durations)),
            f"{fmt_seconds(sum(durations) / len(durations))} per episode" if durations else "",
        ),
    ]
    cells = "".join(
        f'<div class="tile"><div class="big">{value}</div><div class="what">{esc(what)}</div>'
        f'<div class="sub">{esc(sub)}</div></div>'
        for what, value, sub in tiles
    )
    outcomes = " ".join(f"{badge(k)} {v}" for k, v in results.most_common())
    return (
        f'<section class="figures" id="figures"><div class="tiles">{cells}</div>'
        f'<p class="outcomes">{outcomes}</p>'
        '<p class="note">Success here is what each episode ended with by its own account '
        "(finish success, or an answer); a benchmark's checker may judge otherwise.</p></section>"
    )


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _run_summary(summary: RunSummary) -> str:
    """A summary JSON: its scalar fields as a list; a mapping of records as a table; the
    rest as JSON."""
    data = summary.data
    body = ""
    if isinstance(data, dict):
        scalars = [(k, v) for k, v in data.items() if _scalar(v)]
        rest = {k: v for k, v in data.items() if not _scalar(v)}
        if scalars:
            body += table(["field", "value"], [[esc(k), esc(v)] for k, v in scalars])
        for key, value in rest.items():
            body += f"<h3>{esc(key)}</h3>{_records(value)}"
    else:
        body = _records(data)
    return f'<section class="card run-summary"><h2>{esc(summary.name)}</h2>{body}</section>'


def _records(value: Any) -> str:
    """A table when `value` is records (a mapping or list of flat mappings), else JSON."""
    rows: list[tuple[str, dict[str, Any]]] = []
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        rows = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        rows = [("", v) for v in value]
    if rows and all(all(_scalar(x) for x in r.values()) for _, r in rows):
        cols: list[str] = []
        for _, r in rows:
            cols.extend(c for c in r if c not in cols)
        keyed = any(k for k, _ in rows)
        head = ([""] if keyed else []) + [esc(c) for c in cols]
        body = [([esc(k)] if keyed else []) + [esc(_fmt(r.get(c))) for c in cols] for k, r in rows]
        return table(head, body)
    return f"<pre>{pretty_json(value)}</pre>"


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def _by_task(episodes: list[Episode]) -> str:
    groups: dict[str, list[Episode]] = defaultdict(list)
    for ep in episodes:
        groups[ep.task].append(ep)
    if len(groups) < 2:
        return ""
    rows = []
    for task, eps in sorted(groups.items()):
        ok = sum(e.success for e in eps)
        rows.append(
            [
                esc(task or "(unknown)"),
                fmt_int(len(eps)),
                f"{ok} ({fmt_pct(ok, len(eps))})",
                f"{sum(len(e.steps) for e in eps) / len(eps):.1f}",
                fmt_int(sum(e.total_tokens for e in eps) / len(eps)),
            ]
        )
    return (
        '<section class="card by-task"><h2>By task</h2>'
        + table(["task", "episodes", "successful", "mean steps", "mean tokens"], rows)
        + "</section>"
    )


def _episode_table(episodes: list[Episode], hrefs: list[str]) -> str:
    head = [
        ("#", "num"),
        ("task", "text"),
        ("result", "text"),
        ("steps", "num"),
        ("tokens", "num"),
        ("cost", "num"),
        ("time", "num"),
        ("started", "text"),
        ("episode", "text"),
    ]
    ths = "".join(
        f'<th data-type="{kind}" tabindex="0" aria-sort="none">{esc(name)}</th>'
        for name, kind in head
    )
    rows = []
    for i, (ep, href) in enumerate(zip(episodes, hrefs, strict=True), start=1):
        duration = ep.duration_s
        warn = (
            f' <span class="warn" title="{esc("; ".join(ep.problems))}">⚠</span>'
            if ep.problems
            else ""
        )
        reason = esc(ep.outcome.get("reason") or "")
        cells = [
            (str(i), str(i)),
            (esc(ep.task), f'<a href="{esc(href)}">{esc(ep.task or "(task unknown)")}</a>{warn}'),
            (esc(ep.result), f'<span title="{reason}">{badge(ep.result)}</span>'),
            (str(len(ep.steps)), fmt_int(len(ep.steps))),
            (str(ep.total_tokens), fmt_int(ep.total_tokens)),
            (f"{ep.cost_usd:.6f}", fmt_cost(ep.cost_usd)),
            ("" if duration is None else f"{duration:.3f}", fmt_seconds(duration)),
            (esc(ep.started), esc(ep.started[:19].replace("T", " "))),
            (esc(ep.name), esc(ep.name)),
        ]
        tds = "".join(f'<td data-v="{v}">{shown}</td>' for v, shown in cells)
        cls = "ok" if ep.success else "bad"
        rows.append(f'<tr class="{cls}" data-href="{esc(href)}">{tds}</tr>')
    return (
        f'<table class="grid episodes" id="episodes"><thead><tr>{ths}</tr></thead>'
        f"<tbody>{''.join(rows)}</tbody></table>"
    )


def summary_files(root: Path) -> list[Path]:
    """JSON files directly in `root` that look like a run summary."""
    try:
        return sorted(p for p in root.glob("*.json") if p.is_file() and "summary" in p.name)
    except OSError:
        return []
