"""`artemis run` on a terminal: the safety gate's "confirm" is asked on standard input, and only
"y" (or "yes") lets the action run; any other answer, the end of input or Ctrl-C at the
prompt leaves it unrun. Standard input is a pipe that says it is a terminal."""

from __future__ import annotations

import asyncio
import contextlib
import io
import json
import os
import signal
import sys
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console

from artemis.agent import RoleModels
from artemis.cli import run as run_cmd
from artemis.config import Settings
from artemis.models.testing import ScriptedModel
from tests.agent.helpers import finish, plan, tap
from tests.safety.test_gate import manager_alone, thread_phone

TASK = "Reply 'ok' to Alex"
PROMPT = "Allow it? [y/N]"


class Terminal(io.TextIOWrapper):
    """Standard input that is a terminal, as far as the program can tell."""

    def isatty(self) -> bool:
        return True


@contextlib.contextmanager
def typed(text: str, *, then_eof: bool = True) -> Iterator[io.TextIOWrapper]:
    """A terminal on which `text` was typed (and, with `then_eof`, Ctrl-D after it)."""
    read, write = os.pipe()
    os.write(write, text.encode())
    if then_eof:
        os.close(write)
    stdin = Terminal(open(read, "rb"), encoding="utf-8")  # noqa: SIM115  (closed below)
    try:
        yield stdin
    finally:
        stdin.close()
        if not then_eof:
            os.close(write)


class Screen(io.StringIO):
    """The terminal's output; `on_prompt` runs when the gate's question is written."""

    def __init__(self, on_prompt: Any = None) -> None:
        super().__init__()
        self.on_prompt = on_prompt

    def write(self, s: str) -> int:
        n = super().write(s)
        if PROMPT in s and self.on_prompt is not None:
            self.on_prompt()
        return n


def _wire(monkeypatch: pytest.MonkeyPatch, tmp_path: Path, screen: Screen) -> Any:
    """`artemis run`'s own wiring, on a phone whose Delete button the gate asks about."""
    phone = thread_phone()
    phone.address, phone.route = "fake", "in memory"  # type: ignore[attr-defined]

    @contextlib.asynccontextmanager
    async def open_device(s: Settings, target: str | None) -> AsyncIterator[Any]:
        yield phone

    monkeypatch.setattr(run_cmd, "open_device", open_device)
    monkeypatch.setattr(run_cmd, "console", Console(file=screen, width=160, color_system=None))
    return phone


def _settings(tmp_path: Path) -> Settings:
    s = manager_alone()
    s.runs_dir = tmp_path
    s.device.settle_timeout_s = 0
    return s


def _roles() -> RoleModels:
    manager = ScriptedModel([plan('Tap "Delete".', tap(4)), finish()])
    return RoleModels(manager, manager, manager, manager)


def _first_step(result: Any) -> dict[str, Any]:
    return json.loads((result.path / "steps.jsonl").read_text().splitlines()[0])


@pytest.mark.parametrize(
    ("answer", "runs"),
    [
        ("y\n", True),
        ("Yes\n", True),
        ("n\n", False),
        ("\n", False),
        ("sure\n", False),
        ("", False),  # the end of input (Ctrl-D) before any answer
    ],
)
def test_on_a_terminal_only_y_lets_the_action_run(
    answer: str, runs: bool, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    screen = Screen()
    phone = _wire(monkeypatch, tmp_path, screen)
    with typed(answer) as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        result = asyncio.run(run_cmd.run_task(TASK, _settings(tmp_path), "fake", _roles()))
    step = _first_step(result)
    assert PROMPT in screen.getvalue()
    assert step["safety"]["confirmation"] == {"approved": runs, "by": "terminal"}
    assert (len(phone.executed) == 1) is runs
    assert step["status"] == ("ok" if runs else "blocked")


def test_without_a_terminal_nothing_is_asked_and_the_setting_denies(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    screen = Screen()
    phone = _wire(monkeypatch, tmp_path, screen)
    monkeypatch.setattr(sys, "stdin", io.StringIO("y\n"))  # typed, but not at a terminal
    result = asyncio.run(run_cmd.run_task(TASK, _settings(tmp_path), "fake", _roles()))
    assert PROMPT not in screen.getvalue()
    assert _first_step(result)["safety"]["confirmation"] == {"approved": False, "by": "setting"}
    assert phone.executed == []


def test_ctrl_c_at_the_prompt_ends_the_run_and_the_action_never_runs(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # Ctrl-C while the question waits for an answer (nothing typed, input still open).
    screen = Screen(on_prompt=lambda: signal.raise_signal(signal.SIGINT))
    phone = _wire(monkeypatch, tmp_path, screen)
    with typed("", then_eof=False) as stdin:
        monkeypatch.setattr(sys, "stdin", stdin)
        with pytest.raises(KeyboardInterrupt):
            asyncio.run(run_cmd.run_task(TASK, _settings(tmp_path), "fake", _roles()))
    assert PROMPT in screen.getvalue()
    assert phone.executed == []
    [folder] = list(tmp_path.iterdir())
    episode = json.loads((folder / "episode.json").read_text())
    assert episode["status"] == "interrupted"
    assert (folder / "steps.jsonl").read_text() == ""
