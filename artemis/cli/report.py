"""`artemis report DIR`: HTML pages for recorded episodes, and an index for a run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from artemis.cli import app
from artemis.cli.common import err_console
from artemis.progress import Tracker
from artemis.report import build_report


@app.command("report")
def report_cmd(
    folder: Annotated[
        Path,
        typer.Argument(
            help="an episode folder, or a folder of episodes (such as a benchmark's --out)",
            metavar="DIR",
            show_default=False,
        ),
    ],
    out: Annotated[
        Path | None,
        typer.Option(
            "--out",
            "-o",
            metavar="FILE.html",
            help="the page to write (default DIR/report.html); with several episodes this is "
            "the index, and their pages go into a folder beside it named after it",
        ),
    ] = None,
) -> None:
    """Write self-contained HTML pages of recorded episodes (screenshots embedded)."""
    with Tracker(err_console, "report", counted="succeeded") as progress:
        report = build_report(
            folder,
            out,
            on_start=progress.set_total,
            on_page=lambda ep: progress.advance(float(ep.success)),
        )
    for ep in report.with_problems:
        err_console.print(
            f"[yellow]warning:[/yellow] {escape(ep.name)}: {escape('; '.join(ep.problems))}",
            highlight=False,
            soft_wrap=True,
        )
    n = len(report.episodes)
    if report.index is None:
        typer.echo(f"wrote {report.out}")
    else:
        pages = report.index.parent / report.index.stem
        episodes = f"{n} episode{'s' if n != 1 else ''}"
        typer.echo(f"wrote {report.index} ({episodes}; pages in {pages})")
