"""Answering a "confirm" verdict: a person on the terminal, or the setting `safety.on_confirm`.

`TerminalConfirmer` shows the action, the clause and the reason, and asks `Allow it? [y/N]`;
anything but "y" or "yes" (an empty line, end of input) denies. It reads the terminal without
blocking the event loop, so Ctrl-C interrupts the run as anywhere else. `SettingConfirmer`
answers for runs with no terminal: `deny` (the default) or `allow`.
"""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol

from rich.console import Console
from rich.markup import escape

from artemis.safety.policy import OnConfirm
from artemis.safety.verdict import Confirmation, GateVerdict


@dataclass(frozen=True)
class ConfirmRequest:
    task: str
    action: str
    app: str | None
    verdict: GateVerdict


class Confirmer(Protocol):
    async def __call__(self, request: ConfirmRequest) -> Confirmation: ...


@dataclass(frozen=True)
class SettingConfirmer:
    """No one to ask: the answer is the setting's."""

    on_confirm: OnConfirm = "deny"

    async def __call__(self, request: ConfirmRequest) -> Confirmation:
        return Confirmation(self.on_confirm == "allow", "setting")


async def read_line() -> str:
    """One line from standard input, without blocking the event loop where the loop can
    watch the terminal (POSIX); elsewhere from a worker thread."""
    loop = asyncio.get_running_loop()
    try:
        fd = sys.stdin.fileno()
        done: asyncio.Future[str] = loop.create_future()

        def ready() -> None:
            if not done.done():
                done.set_result(sys.stdin.readline())

        loop.add_reader(fd, ready)
    except (NotImplementedError, OSError, ValueError):
        return await asyncio.to_thread(sys.stdin.readline)
    try:
        return await done
    finally:
        loop.remove_reader(fd)


class TerminalConfirmer:
    """Ask the person at the terminal."""

    def __init__(
        self, console: Console | None = None, *, read: Callable[[], Awaitable[str]] = read_line
    ) -> None:
        self.console = console or Console()
        self.read = read

    async def __call__(self, request: ConfirmRequest) -> Confirmation:
        v = request.verdict
        c = self.console
        c.print(
            f"  [bold yellow]the safety gate asks[/bold yellow]: {escape(request.action)}"
            + (f" [dim]in {escape(request.app)}[/dim]" if request.app else "")
        )
        clause = f"clause {v.clause}" if v.clause else "policy"
        c.print(f"  [dim]{escape(clause)}: {escape(v.reason)}[/dim]")
        c.print("  Allow it? [y/N] ", end="", markup=False)
        try:
            answer = await self.read()
        except EOFError:
            answer = ""
        approved = answer.strip().lower() in ("y", "yes")
        if not answer.endswith("\n"):
            c.print()
        return Confirmation(approved, "terminal")
