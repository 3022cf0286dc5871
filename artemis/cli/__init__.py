"""The `artemis` command. Thin: parse flags, load settings, call into the packages.

Each command group lives in its own module here and registers itself on `app`. Expected
failures (`ArtemisError`) end as one red line and a non-zero exit, never a traceback; set
`ARTEMIS_DEBUG=1` to see the traceback anyway.
"""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path
from typing import Annotated

import typer
import typer.main
from rich.markup import escape
from typer import _click as click  # the click typer is built on (it ships its own)
from typer.core import TyperCommand, TyperGroup

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


# Command modules register themselves on `app` when imported; each is imported only when its
# command runs (or its help is asked for), so that `artemis --version` and `--help` start fast.
COMMANDS: dict[str, tuple[tuple[str, ...], str]] = {
    "run": (("run",), "Carry out a task on a device with the deliberative loop."),
    "devices": (("devices",), "List the devices artemis can reach."),
    "sim": (("sim",), "The simulated phone."),
    "tips": (("tips",), "The app-tip knowledge base (ChromaDB)."),
    "models": (("models_cmd", "dialects_cmd"), "Model specs and servers."),
    "bench": (("bench", "bench_sim", "androidworld"), "Run and score benchmarks."),
    "safety": (
        ("safety_cmd", "safety_sim"),
        "The safety gate: check steps, score it, show the policy.",
    ),
    "report": (("report",), "Self-contained HTML pages of recorded episodes."),
    "config": (("config_cmd",), "Inspect settings."),
}


class _LazyGroup(TyperGroup):
    """The root group: commands are named up front, their modules imported on use."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    _listing = False

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if cmd_name not in COMMANDS:
            return None
        if self._listing:  # the root's help: a name and a line, no import
            return TyperCommand(cmd_name, help=COMMANDS[cmd_name][1])
        for module in COMMANDS[cmd_name][0]:
            importlib.import_module(f"artemis.cli.{module}")
        group = typer.main.get_group(app)
        return group.commands.get(cmd_name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app.info.cls = _LazyGroup


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
