"""AndroidWorld results: the usage ledger beside android_world's checkpoints, and the summary.

android_world checkpoints one file per task instance (`{Task}_{i}.pkl.gz`) in the checkpoint
folder. Beside them each emulator's worker appends one JSON line per finished instance to
`artemis_usage.<console port>.jsonl` (steps, tokens, cost), durably (`artemis.durable`), so
that a resumed run still reports what earlier runs spent.

The success figure is AndroidWorld's: per task template, the mean of `is_successful` over its
instances that finished without an error; overall, the unweighted mean over templates.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.table import Table

from artemis.bench.androidworld.agent import EpisodeUsage
from artemis.bench.results import finite_number
from artemis.durable import JsonlLog, read_jsonl

LEDGER_GLOB = "artemis_usage.*.jsonl"
INSTANCE_SEPARATOR = "_"  # android_world's `checkpointer.INSTANCE_SEPARATOR`


def instance_name(task: str, instance_id: int) -> str:
    return f"{task}{INSTANCE_SEPARATOR}{instance_id}"


class UsageLedger:
    """Appends one line per finished task instance, durably."""

    def __init__(self, folder: Path, worker: str) -> None:
        self.path = Path(folder) / f"artemis_usage.{worker}.jsonl"
        self._log = JsonlLog(self.path)

    def append(
        self, instance: str, usage: EpisodeUsage, *, error: bool, success: float | None = None
    ) -> None:
        record = {"instance": instance, "error": error, **usage.as_dict()}
        if success is not None:  # android_world's own score; the summary reads it from theirs
            record["success"] = success
        self._log.append(record)


def progress_counts(records: list[dict[str, Any]]) -> tuple[int, float]:
    """Instances finished (their latest attempt did not raise) and their summed success, from
    ledger records in the order written: what a progress bar shows while workers run."""
    latest = {str(r["instance"]): r for r in records}
    finished = [r for r in latest.values() if not r.get("error")]
    return len(finished), sum(float(r.get("success") or 0.0) for r in finished)


def read_ledgers(folder: Path) -> list[dict[str, Any]]:
    """Every ledger record in `folder`; lines that cannot be read (a torn last line after a
    crash mid-write) are skipped."""
    records = []
    for path in sorted(Path(folder).glob(LEDGER_GLOB)):
        found, _ = read_jsonl(path)
        records += [r for r in found if isinstance(r.get("instance"), str)]
    return records


@dataclass(slots=True)
class TaskRow:
    """One task template's line of the summary."""

    task: str
    instances: int = 0  # planned
    scored: int = 0  # finished without an error
    errored: int = 0  # the latest attempt raised (rerun on resume)
    success_sum: float = 0.0
    steps_sum: float = 0.0
    usage: EpisodeUsage = field(default_factory=EpisodeUsage)  # every attempt, retries too

    @property
    def success(self) -> float | None:
        return self.success_sum / self.scored if self.scored else None

    @property
    def steps(self) -> float | None:
        return self.steps_sum / self.scored if self.scored else None

    @property
    def pending(self) -> int:
        return max(0, self.instances - self.scored - self.errored)


@dataclass(slots=True)
class Summary:
    rows: list[TaskRow]

    @property
    def overall(self) -> float | None:
        """AndroidWorld's figure: the unweighted mean over templates with a scored instance."""
        rates = [r.success for r in self.rows if r.success is not None]
        return sum(rates) / len(rates) if rates else None

    @property
    def overall_errors_as_failures(self) -> float | None:
        """The same mean, counting errored and pending instances as failures."""
        rates = [r.success_sum / r.instances for r in self.rows if r.instances]
        return sum(rates) / len(rates) if rates else None

    @property
    def usage(self) -> EpisodeUsage:
        total = EpisodeUsage()
        for r in self.rows:
            total.add(r.usage)
        return total

    @property
    def errored(self) -> int:
        return sum(r.errored for r in self.rows)

    @property
    def pending(self) -> int:
        return sum(r.pending for r in self.rows)

    @property
    def complete(self) -> bool:
        return self.errored == 0 and self.pending == 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall_success": self.overall,
            "overall_success_errors_as_failures": self.overall_errors_as_failures,
            "errored": self.errored,
            "pending": self.pending,
            "usage": self.usage.as_dict(),
            "tasks": [
                {
                    "task": r.task,
                    "instances": r.instances,
                    "scored": r.scored,
                    "errored": r.errored,
                    "pending": r.pending,
                    "success": r.success,
                    "mean_steps": r.steps,
                    "usage": r.usage.as_dict(),
                }
                for r in self.rows
            ],
        }


def summarize(
    planned: Mapping[str, int],
    episodes: Iterable[Mapping[str, Any]],
    ledger: Iterable[Mapping[str, Any]] = (),
) -> Summary:
    """Merge android_world's episode records and our ledger into per-task rows.

    `planned` maps each task template of the run to its number of instances; episodes and
    ledger lines of other templates (an earlier run in the same folder) are left out.
    """
    rows = {task: TaskRow(task, instances=n) for task, n in sorted(planned.items())}
    latest: dict[tuple[str, int], Mapping[str, Any]] = {}
    for ep in episodes:
        task = str(ep.get("task_template", ""))
        instance_id = ep.get("instance_id")
        if task in rows and isinstance(instance_id, int) and instance_id < rows[task].instances:
            latest[(task, instance_id)] = ep
    for (task, _), ep in latest.items():
        row = rows[task]
        success = finite_number(ep.get("is_successful"))
        if ep.get("exception_info") is not None or success is None:
            row.errored += 1
            continue
        row.scored += 1
        row.success_sum += success
        row.steps_sum += finite_number(ep.get("episode_length")) or 0.0
    by_instance = {instance_name(t, i): t for t, r in rows.items() for i in range(r.instances)}
    for record in ledger:
        task_of = by_instance.get(str(record.get("instance")))
        if task_of is None:
            continue
        rows[task_of].usage.add(
            EpisodeUsage(
                steps=int(finite_number(record.get("steps")) or 0),
                input_tokens=int(finite_number(record.get("input_tokens")) or 0),
                output_tokens=int(finite_number(record.get("output_tokens")) or 0),
                calls=int(finite_number(record.get("calls")) or 0),
                cost_usd=finite_number(record.get("cost_usd")) or 0.0,
            )
        )
    return Summary(list(rows.values()))


def _pct(x: float | None) -> str:
    return "-" if x is None else f"{100 * x:.1f}%"


def render(summary: Summary, console: Console, *, notes: Sequence[str] = ()) -> None:
    """Print the per-task table and the overall figures."""
    table = Table(title="AndroidWorld", show_lines=False)
    for col, justify in (
        ("task", "left"),
        ("done", "right"),
        ("success", "right"),
        ("steps", "right"),
        ("tokens", "right"),
        ("cost", "right"),
    ):
        table.add_column(col, justify=justify)  # type: ignore[arg-type]
    for r in summary.rows:
        done = f"{r.scored}/{r.instances}" + (f" ({r.errored} err)" if r.errored else "")
        table.add_row(
            r.task,
            done,
            _pct(r.success),
            "-" if r.steps is None else f"{r.steps:.1f}",
            f"{r.usage.tokens:,}",
            f"${r.usage.cost_usd:.4f}",
        )
    console.print(table)
    scored_templates = sum(1 for r in summary.rows if r.success is not None)
    total = summary.usage
    console.print(
        f"Success rate (unweighted mean over {scored_templates} task templates, as AndroidWorld "
        f"reports it): [bold]{_pct(summary.overall)}[/bold]"
    )
    strict = _pct(summary.overall_errors_as_failures)
    console.print(
        f"Counting errored and pending instances as failures: {strict}"
        f" | steps {total.steps:,} | tokens {total.tokens:,} | cost ${total.cost_usd:.4f}"
    )
    if summary.errored or summary.pending:
        console.print(
            f"[yellow]{summary.errored} instance(s) errored and {summary.pending} are pending: "
            "run the same command again (same --checkpoint-dir) to resume them.[/yellow]"
        )
    for note in notes:
        console.print(note)
