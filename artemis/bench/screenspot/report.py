"""The ScreenSpot report for people: a rich table and a few lines of counts."""

from __future__ import annotations

from rich.table import Table

from artemis.bench.screenspot.data import UI_TYPES
from artemis.bench.screenspot.score import Cell, Report


def _pct(cell: Cell) -> str:
    acc = cell.accuracy
    return "-" if acc is None else f"{100 * acc:.1f}"


def _avg(value: float | None) -> str:
    return "-" if value is None else f"{100 * value:.1f}"


def table(report: Report, title: str | None = None) -> Table:
    """Rows: splits (or Pro groups) then the overall line; columns: text, icon, all."""
    kind = "group" if report.dataset == "screenspot-pro" else "split"
    t = Table(title=title or f"{report.dataset} accuracy (%)", title_justify="left")
    t.add_column(kind)
    for ui in UI_TYPES:
        t.add_column(ui, justify="right")
    t.add_column("all", justify="right")
    t.add_column("n", justify="right", style="dim")
    for cat in report.categories:
        cells = [report.cells[(cat, ui)] for ui in UI_TYPES]
        t.add_row(cat, *(_pct(c) for c in cells), _pct(report.rows[cat]), str(report.rows[cat].n))
    t.add_section()
    t.add_row(
        "overall",
        *(_pct(report.columns[ui]) for ui in UI_TYPES),
        _pct(report.total),
        str(report.total.n),
        style="bold",
    )
    return t


def summary_lines(report: Report) -> list[str]:
    """Both averages and the counts a reader needs to trust them."""
    lines = [
        f"average over samples: {_avg(report.micro)}%  ({report.total.correct}/{report.total.n})",
        f"mean of the {sum(1 for c in report.cells.values() if c.n)} columns: "
        f"{_avg(report.macro)}%",
    ]
    counts = [
        ("wrong format", report.wrong_format),
        ("model errors", report.errors),
        ("null points", report.no_point),
        ("no prediction", report.missing),
        ("skipped (no image)", report.skipped_no_image),
        ("unknown ids", report.unknown_ids),
    ]
    lines.append("  ".join(f"{name}: {n}" for name, n in counts))
    return lines
