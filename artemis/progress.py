"""Progress of long work for the CLI: k of N done, the successes so far and the time left.

On a terminal it is a rich bar that redraws in place, with each finished item's line (when
there is one) printed above it; in a log (the console is not a terminal) there is no bar, and
only the items' lines are written, numbered `[k/N]`, so logs stay quiet and greppable.
"""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)


class Tracker:
    """Counts finished items and successes; a context manager that shows them while open.

    `counted` names the successes ("passed", "correct"); `eta=False` leaves out the time left
    where it means nothing (a step budget that is rarely used up). Thread-safe: rich's
    `Progress` takes a lock, and the counters are only written under it or from one thread.
    """

    def __init__(
        self,
        console: Console,
        label: str,
        total: int | None = None,
        *,
        counted: str = "passed",
        eta: bool = True,
    ) -> None:
        self.console = console
        self.label = label
        self.total = total
        self.counted = counted
        self.done = 0
        self.ok = 0.0
        self._bar: Progress | None = None
        self._task = None
        if console.is_terminal:
            columns = [
                TextColumn(f"[bold]{escape(label)}[/bold]"),
                BarColumn(),
                MofNCompleteColumn(),
                TextColumn("{task.fields[ok]}"),
                TimeElapsedColumn(),
            ]
            if eta:
                columns += [TextColumn("[dim]left[/dim]"), TimeRemainingColumn()]
            self._bar = Progress(*columns, console=console, transient=True)
            self._task = self._bar.add_task(label, total=total, ok=self._ok_text())

    @property
    def live(self) -> bool:
        """Whether a bar is drawn (the console is a terminal)."""
        return self._bar is not None

    def __enter__(self) -> Tracker:
        if self._bar is not None:
            self._bar.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def close(self) -> None:
        """Take the bar off the screen (idempotent)."""
        if self._bar is not None:
            self._bar.stop()

    def set_total(self, total: int | None) -> None:
        self.total = total
        self._refresh()

    def advance(self, ok: float = 0.0, line: str | None = None, *, markup: bool = False) -> None:
        """One more item finished (`ok` of a success); `line` says how, above the bar or, in a
        log, as `[k/N] line`."""
        self.done += 1
        self.ok += ok
        self._refresh()
        if line is not None:
            self.print(line, markup=markup, numbered=True)

    def set(self, done: int, ok: float) -> None:
        """Counts read from somewhere else (a checkpoint folder other processes write)."""
        self.done, self.ok = done, ok
        self._refresh()

    def print(self, line: str, *, markup: bool = False, numbered: bool = False) -> None:
        """A line above the bar (on a terminal) or in the log."""
        if numbered and self._bar is None:
            mark = f"[{self.done}/{self.total if self.total is not None else '?'}] "
            line = (escape(mark) if markup else mark) + line
        self.console.print(line, markup=markup, highlight=False, soft_wrap=True)

    def _ok_text(self) -> str:
        return f"{self.ok:g} {escape(self.counted)}"

    def _refresh(self) -> None:
        if self._bar is not None and self._task is not None:
            self._bar.update(self._task, total=self.total, completed=self.done, ok=self._ok_text())
