"""`artemis config`: show the effective settings."""

from __future__ import annotations

import json

import typer

from artemis.cli import app
from artemis.cli.common import console, settings

config_app = typer.Typer(help="Inspect settings.", no_args_is_help=True)
app.add_typer(config_app, name="config")


@config_app.command("show")
def show() -> None:
    """Print the effective settings as JSON (secrets masked)."""
    s = settings()
    console.print_json(json.dumps(s.model_dump(mode="json")))
