"""Every command's `--help` reads as written: a group lists each command on one line, and
text in square brackets (`artemis[ray]`) is shown, not taken for markup."""

from __future__ import annotations

import re

import pytest
from typer.testing import CliRunner

from artemis.cli import COMMANDS, app

runner = CliRunner()
WIDE = {"COLUMNS": "200", "TERMINAL_WIDTH": "200"}
GROUPS = ["models", "bench", "safety", "tips", "sim", "config"]


def _help(*args: str) -> str:
    result = runner.invoke(app, [*args, "--help"], env=WIDE)
    assert result.exit_code == 0, result.output
    return result.output


def _commands_panel(text: str) -> list[str]:
    """The rows of the Commands panel, inside its frame."""
    rows = text[text.index("─ Commands ") :].splitlines()[1:]
    return [r.removeprefix("│ ") for r in rows[: next(i for i, r in enumerate(rows) if "╰" in r)]]


@pytest.mark.parametrize("group", GROUPS)
def test_a_group_lists_each_command_on_one_line(group: str) -> None:
    assert group in COMMANDS
    rows = _commands_panel(_help(group))
    assert rows and all(re.match(r"[a-z][a-z-]* +\S", r) for r in rows), rows


@pytest.mark.parametrize("command", ["screenspot", "sim", "androidworld"])
def test_the_ray_option_says_which_extra_it_needs(command: str) -> None:
    assert "needs artemis[ray]" in " ".join(_help("bench", command).replace("│", " ").split())
