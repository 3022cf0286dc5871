"""The `artemis` command. Thin: parse flags, load settings, call into the packages.

Each command group lives in its own module here and registers itself on `app`. Expected
failures (`ArtemisError`) end as one red line and a non-zero exit, never a traceback; set
`ARTEMIS_DEBUG=1` to see the traceback anyway.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from artemis import __version__
from artemis.cli.common import configure_logging, console, err_console, state
from artemis.errors import ArtemisError

app = typer.Typer(
    name="artemis",
    help="A deliberative mobile GUI agent runtime: plan, check, correct, act over ADB, reflect.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    rich_markup_mode="rich",
    add_completion=False,
)


def _version(value: bool) -> None:
    if value:
        console.print(f"artemis {__version__}")
        raise typer.Exit()


@app.callback()
def _root(
    config: Annotated[
        Path | None,
        typer.Option(
            "--config",
            "-c",
            help="TOML settings file (default: $ARTEMIS_CONFIG, "
            "./artemis.toml, ~/.config/artemis/config.toml)",
        ),
    ] = None,
    verbose: Annotated[
        int,
        typer.Option(
            "--verbose",
            "-v",
            count=True,
            help="log progress on stderr (-v: what artemis opens and decides, each step; "
            "-vv: each model call)",
        ),
    ] = 0,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="print version")
    ] = False,
) -> None:
    state.config_file = config
    state.verbose = verbose
    configure_logging(verbose)


# Command modules register themselves on `app` when imported.
from artemis.cli import (  # noqa: E402
    androidworld,  # noqa: F401
    bench,  # noqa: F401
    bench_sim,  # noqa: F401
    config_cmd,  # noqa: F401
    devices,  # noqa: F401
    dialects_cmd,  # noqa: F401
    models_cmd,  # noqa: F401
    report,  # noqa: F401
    run,  # noqa: F401
    safety_cmd,  # noqa: F401
    safety_sim,  # noqa: F401
    sim,  # noqa: F401
    tips,  # noqa: F401
)


def _expected(exc: BaseException) -> ArtemisError | None:
    """The `ArtemisError` behind `exc`: itself, or the first of a task group's errors when
    every one of them is expected."""
    if isinstance(exc, ArtemisError):
        return exc
    if isinstance(exc, BaseExceptionGroup):
        leaves = [_expected(e) for e in exc.exceptions]
        if leaves and all(leaf is not None for leaf in leaves):
            return leaves[0]
    return None


def main() -> None:
    """Entry point of the console script."""
    try:
        app()
    except KeyboardInterrupt:
        err_console.print("[yellow]interrupted[/yellow]: what finished is kept")
        sys.exit(130)
    except (ArtemisError, BaseExceptionGroup) as exc:
        expected = _expected(exc)
        if expected is None or os.environ.get("ARTEMIS_DEBUG"):
            raise
        # The message is text, not markup: "[ocr]" in an install hint must survive.
        err_console.print(
            f"[red]error:[/red] {escape(str(expected))}", highlight=False, soft_wrap=True
        )
        sys.exit(1)
