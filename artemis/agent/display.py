"""The live display of an episode on a terminal (rich): one line per event as the loop runs,
and a final line with the outcome and the trajectory folder."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rich.console import Console
from rich.markup import escape

from artemis.actions import describe
from artemis.agent.events import AgentEvent
from artemis.agent.heuristic import NAME as HEURISTIC
from artemis.progress import Tracker

_MARK = {True: "[green]✓[/green]", False: "[red]✗[/red]"}


def _model_label(name: str) -> str:
    if name == HEURISTIC:
        return f"{name} [dim](offline baseline, not an LLM)[/dim]"
    return escape(name)


def _short(text: object, limit: int = 110) -> str:
    s = " ".join(str(text).split())
    return escape(s if len(s) <= limit else s[: limit - 1] + "…")


class LiveDisplay:
    """An `on_event` callback that prints the episode as it goes.

    With `progress`, a terminal also gets a live line under the steps: the step of the step
    budget, the steps that reflected a success, the time so far and the stage that last
    finished. `close()` takes it away (the episode's `done` event does too)."""

    def __init__(
        self, console: Console | None = None, *, verbose: bool = False, progress: bool = False
    ) -> None:
        self.console = console or Console()
        self.verbose = verbose
        self.progress = progress
        self._stage_times: dict[str, float] = {}
        self._tracker: Tracker | None = None

    def close(self) -> None:
        if self._tracker is not None:
            self._tracker.close()
            self._tracker = None

    def _live(self, event: AgentEvent) -> None:
        """The live line: started with the episode, moved on by each step's end."""
        if not self.progress:
            return
        d = event.data
        if event.kind == "episode" and self.console.is_terminal:
            total = d.get("max_steps")
            self._tracker = Tracker(
                self.console,
                "steps",
                total if isinstance(total, int) else None,
                counted="reflected a success",
                eta=False,
            ).__enter__()
        elif self._tracker is None:
            return
        elif event.kind == "reflection":
            self._tracker.ok += float(bool(d.get("success")))
        elif event.kind == "step_end":
            self._tracker.advance()
        elif event.kind == "done":
            self.close()

    def __call__(self, event: AgentEvent) -> None:
        self._print(event)
        self._live(event)

    def _print(self, event: AgentEvent) -> None:
        d = event.data
        c = self.console
        match event.kind:
            case "episode":
                models = d.get("models", {})
                assert isinstance(models, dict)
                names = set(models.values())
                who = (
                    _model_label(next(iter(names)))
                    if len(names) == 1
                    else ", ".join(f"{r}={_model_label(n)}" for r, n in models.items())
                )
                c.print(f"[bold]task[/bold] {_short(d.get('task'))}")
                c.print(f"[bold]model[/bold] {who}")
                c.print(f"[dim]trajectory {escape(str(d.get('path')))}[/dim]")
            case "step":
                self._stage_times = {}
                c.print(f"[bold cyan]step {(event.step or 0) + 1}[/bold cyan]")
            case "stage":
                self._stage_times[str(d["stage"])] = float(d["seconds"])
                if self.verbose:
                    c.print(f"  [dim]{d['stage']} {float(d['seconds']):.2f}s[/dim]")
            case "plan":
                action = d["action"]
                c.print(
                    f"  plan     {_short(describe(action))}  [dim]{_short(d['thought'], 90)}[/dim]"
                )
            case "verdict":
                mark, by = _MARK[bool(d["consistent"])], d.get("decided_by")
                c.print(f"  check    {mark} [dim]({by})[/dim] {_short(d['reason'], 90)}")
            case "correction":
                c.print(f"  correct  [yellow]{d['error_type']}[/yellow] → {_short(d['action'])}")
            case "safety":
                c.print(f"  safety   {_safety_line(d)}")
            case "execute":
                c.print(f"  execute  {_short(describe(d['action']))}")
            case "reflection":
                extra = f" → {_short(d['guidance'], 80)}" if d.get("guidance") else ""
                c.print(
                    f"  reflect  {_MARK[bool(d['success'])]} {_short(d['analysis'], 80)}{extra}"
                )
            case "failure":
                label = "blocked" if d.get("status") == "blocked" else "failed"
                c.print(f"  [red]{label:<8}[/red] {_short(d['error'])}")
            case "reconnect":
                c.print(
                    f"  [yellow]device dropped, reconnecting[/yellow] ({_short(d['error'], 80)})"
                )
            case "blank_screen":
                c.print(
                    "  [yellow]screen not captured[/yellow] [dim](all black or empty, as for a "
                    "FLAG_SECURE window): planning from the UI tree[/dim]"
                )
            case "step_end":
                tokens = d.get("tokens") or {}
                assert isinstance(tokens, dict)
                used = " ".join(f"{r}={n}" for r, n in tokens.items() if n)
                timing = " ".join(
                    f"{k} {v:.2f}s" for k, v in self._stage_times.items() if v >= 0.01
                )
                parts = [p for p in (f"tokens {used}" if used else "", timing) if p]
                if parts:
                    c.print(f"  [dim]{' · '.join(parts)}[/dim]")
            case "done":
                pass


_SAFETY_STYLE = {
    "allowed": "[green]allow[/green]",
    "confirmed": "[yellow]confirm[/yellow] → [green]approved[/green]",
    "denied": "[yellow]confirm[/yellow] → [red]denied[/red]",
    "blocked": "[red]block[/red]",
    "pending": "[yellow]confirm[/yellow]",
}


def _safety_line(d: Mapping[str, Any]) -> str:
    """One line for a gate verdict: outcome, who decided, the clause and the reason."""
    outcome = str(d.get("outcome") or d.get("verdict"))
    mark = _SAFETY_STYLE.get(outcome, escape(outcome))
    conf = d.get("confirmation")
    if isinstance(conf, Mapping) and conf.get("by") == "setting":
        mark += " [dim](safety.on_confirm)[/dim]"
    who = f"[dim]({escape(str(d.get('decided_by')))})[/dim]"
    clause = f" {escape(str(d['clause']))}" if d.get("clause") else ""
    why = "" if outcome == "allowed" and not clause else f" {_short(d.get('reason', ''), 80)}"
    err = f" [dim]guard: {_short(d['error'], 60)}[/dim]" if d.get("error") else ""
    return f"{mark} {who}{clause}{why}{err}"


def final_line(outcome: str, reason: str, steps: int, path: str, tokens: int) -> str:
    """The last line of a run, as rich markup."""
    ok = outcome in ("success", "answered")
    mark = "[bold green]✓" if ok else "[bold red]✗"
    why = f": {escape(reason)}" if reason and not ok else ""
    return (
        f"{mark} {outcome}[/]{why} · {steps} step{'s' if steps != 1 else ''} · "
        f"{tokens} tokens · trajectory {escape(path)}"
    )
