"""The index of a folder of episodes (a benchmark run): summary figures and one row per episode.

Figures computed from the episodes are always there. For a benchmark run, the result records
found beside the episodes add each case's checker score (a column, a tile, a table per
template, and the cases that have no episode), and a summary JSON found there is shown as the
run's own figures. Rows come ordered by task, then start time; the column headings sort the
table, and a filter narrows it.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable
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
    score_badge,
    table,
    text_block,
)
from artemis.report.load import Episode

KEYS_HELP = (
    "<kbd>j</kbd> <kbd>k</kbd> or <kbd>↓</kbd> <kbd>↑</kbd> next / previous row · "
    "<kbd>Enter</kbd> open · <kbd>Home</kbd> <kbd>End</kbd> first / last row · "
    "<kbd>/</kbd> filter · click a heading to sort"
)
#: Tables longer than this start folded.
ROWS_SHOWN = 15


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
    orphans: list[dict[str, Any]] | None = None,
) -> str:
    """The HTML of the index; `hrefs[i]` links to the page of `episodes[i]`; `orphans` are
    result records whose episode is not there."""
    orphans = orphans or []
    graded = any(ep.score is not None for ep in episodes) or bool(orphans)
    parts = [
        f'<header class="top"><h1>{esc(title)}</h1>'
        f'<div class="facts">{fmt_int(len(episodes))} episodes</div></header>'
    ]
    if problems:
        items = "".join(f"<li>{esc(p)}</li>" for p in problems)
        parts.append(
            f'<section class="problems"><h2>Missing or broken</h2><ul>{items}</ul></section>'
        )
    parts.append(_figures(episodes, orphans, graded))
    parts.extend(_run_summary(s) for s in summaries)
    parts.append(_by_template(episodes, orphans) if graded else _by_task(episodes))
    if orphans:
        parts.append(_orphans(orphans))
    parts.append(f'<p class="keys" id="keys">Keys: {KEYS_HELP}</p>')
    parts.append(
        '<p class="filter"><label>Filter <input id="filter" type="search" '
        'placeholder="task, result, id" autocomplete="off"></label> '
        '<label><input id="only-failed" type="checkbox"> unsuccessful only</label> '
        '<span id="shown"></span></p>'
    )
    parts.append(_episode_table(episodes, hrefs, graded))
    return page(title, "\n".join(parts), "index.js")


def _score(record: dict[str, Any]) -> float:
    value = record.get("score")
    return float(value) if isinstance(value, int | float) and not isinstance(value, bool) else 0.0


def _figures(episodes: list[Episode], orphans: list[dict[str, Any]], graded: bool) -> str:
    n = len(episodes)
    ok = sum(ep.success for ep in episodes)
    results = Counter(ep.result for ep in episodes)
    steps = [len(ep.steps) for ep in episodes]
    durations = [d for d in (ep.duration_s for ep in episodes) if d is not None]
    tiles = []
    if graded:
        scores = [ep.score for ep in episodes if ep.score is not None]
        scores += [_score(r) for r in orphans]
        passed = sum(s >= 1.0 for s in scores)
        tiles.append(
            (
                "checker score, mean per case",
                fmt_pct(sum(scores), len(scores)),
                f"{passed} of {len(scores)} cases passed",
            )
        )
    tiles += [
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
        '<p class="note">Agent-reported success is what each episode ended with by its own '
        "account (finish success, or an answer); a benchmark's checker grades the device's "
        "state instead.</p></section>"
    )


# --- a summary JSON ----------------------------------------------------------------------


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def _fmt(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.4g}"
    return "" if value is None else str(value)


def _run_summary(summary: RunSummary) -> str:
    """A summary JSON: flat fields as a list, mappings and lists of scalars inline, records
    as a table (folded when long), the rest as JSON."""
    data = summary.data
    if not isinstance(data, dict):
        body = _value(data)
    else:
        pairs = [
            (k, v)
            for k, v in data.items()
            if _scalar(v)
            or (isinstance(v, dict) and all(_scalar(x) for x in v.values()))
            or (isinstance(v, list) and all(_scalar(x) for x in v))
        ]
        flat = {k for k, _ in pairs}
        items = "".join(f"<dt>{esc(k)}</dt><dd>{_value(v)}</dd>" for k, v in pairs)
        body = f'<dl class="kv wide">{items}</dl>' if items else ""
        for key, value in data.items():
            if key not in flat:
                body += f"<h3>{esc(key)}</h3>{_value(value)}"
    return f'<section class="card run-summary"><h2>{esc(summary.name)}</h2>{body}</section>'


def _value(value: Any) -> str:
    if _scalar(value):
        return esc(_fmt(value))
    if isinstance(value, dict) and all(_scalar(x) for x in value.values()):
        return esc(", ".join(f"{k}: {_fmt(v)}" for k, v in value.items()))
    if isinstance(value, list) and all(_scalar(x) for x in value):
        text = esc(", ".join(_fmt(x) for x in value))
        if len(value) > ROWS_SHOWN:
            return f"<details><summary>{len(value)} items</summary>{text}</details>"
        return text
    return _records(value)


def _records(value: Any) -> str:
    """A table when `value` is records (a mapping or list of flat mappings), else JSON."""
    rows: list[tuple[str, dict[str, Any]]] = []
    if isinstance(value, dict) and value and all(isinstance(v, dict) for v in value.values()):
        rows = [(str(k), v) for k, v in value.items()]
    elif isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
        rows = [("", v) for v in value]
    if not rows or not all(all(_scalar(x) for x in r.values()) for _, r in rows):
        return f"<pre>{pretty_json(value)}</pre>"
    cols: list[str] = []
    for _, r in rows:
        cols.extend(c for c in r if c not in cols)
    keyed = any(k for k, _ in rows)
    head = ([""] if keyed else []) + [esc(c) for c in cols]
    body = [([esc(k)] if keyed else []) + [esc(_fmt(r.get(c))) for c in cols] for k, r in rows]
    return _folded(table(head, body), len(rows))


def _folded(html: str, rows: int) -> str:
    if rows <= ROWS_SHOWN:
        return html
    return f"<details><summary>{rows} rows</summary>{html}</details>"


# --- per task ------------------------------------------------------------------------------


def _grouped(
    episodes: list[Episode], key: Callable[[Episode], str]
) -> list[tuple[str, list[Episode]]]:
    groups: dict[str, list[Episode]] = defaultdict(list)
    for ep in episodes:
        groups[key(ep)].append(ep)
    return sorted(groups.items())


def _by_task(episodes: list[Episode]) -> str:
    groups = _grouped(episodes, lambda ep: ep.task)
    if len(groups) < 2:
        return ""
    rows = []
    for task, eps in groups:
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
    head = ["task", "episodes", "agent-reported success", "mean steps", "mean tokens"]
    return (
        '<section class="card by-task"><h2>By task</h2>'
        + _folded(table(head, rows), len(rows))
        + "</section>"
    )


def _template(ep: Episode) -> str:
    return str((ep.record or {}).get("template") or ep.task or "(unknown)")


def _by_template(episodes: list[Episode], orphans: list[dict[str, Any]]) -> str:
    missing: Counter[str] = Counter(str(r.get("template") or "(unknown)") for r in orphans)
    groups = dict(_grouped(episodes, _template))
    rows = []
    for name in sorted(set(groups) | set(missing)):
        eps = groups.get(name, [])
        scores = [e.score or 0.0 for e in eps] + [0.0] * missing[name]
        cases = len(scores)
        ok = sum(e.success for e in eps)
        rows.append(
            [
                esc(name),
                fmt_int(cases),
                fmt_pct(sum(scores), cases),
                f"{ok} of {len(eps)}",
                f"{sum(len(e.steps) for e in eps) / len(eps):.1f}" if eps else "–",
                fmt_int(sum(e.total_tokens for e in eps) / len(eps)) if eps else "–",
                fmt_int(missing[name]) if missing[name] else "",
            ]
        )
    head = [
        "template",
        "cases",
        "checker score",
        "agent-reported success",
        "mean steps",
        "mean tokens",
        "no episode",
    ]
    return (
        '<section class="card by-task"><h2>By task template</h2>'
        + _folded(table(head, rows), len(rows))
        + "</section>"
    )


def _orphans(orphans: list[dict[str, Any]]) -> str:
    rows = [
        [
            esc(r.get("id")),
            esc(r.get("template") or ""),
            badge(str(r.get("status") or "unknown")),
            text_block(r.get("error") or r.get("reason") or "", "inline"),
        ]
        for r in orphans
    ]
    return (
        '<section class="card orphans" id="orphans"><h2>Cases without an episode</h2>'
        '<p class="note">The result records of these cases name no episode folder that is '
        "here: they crashed before the episode began, or their folder was removed.</p>"
        + table(["case", "template", "status", "error"], rows)
        + "</section>"
    )


# --- the episodes ------------------------------------------------------------------------


def _episode_table(episodes: list[Episode], hrefs: list[str], graded: bool) -> str:
    head = [("#", "num"), ("task", "text"), ("result", "text")]
    if graded:
        head.append(("score", "num"))
    head += [
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
        ]
        if graded:
            score = ep.score
            cells.append(("" if score is None else f"{score:g}", score_badge(score)))
        cells += [
            (str(len(ep.steps)), fmt_int(len(ep.steps))),
            (str(ep.total_tokens), fmt_int(ep.total_tokens)),
            (f"{ep.cost_usd:.6f}", fmt_cost(ep.cost_usd)),
            ("" if duration is None else f"{duration:.3f}", fmt_seconds(duration)),
            (esc(ep.started), esc(ep.started[:19].replace("T", " "))),
            (esc(ep.name), esc(ep.name)),
        ]
        tds = "".join(f'<td data-v="{v}">{shown}</td>' for v, shown in cells)
        passed = ep.score >= 1 if ep.score is not None else ep.success
        rows.append(f'<tr class="{"ok" if passed else "bad"}" data-href="{esc(href)}">{tds}</tr>')
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
