"""A SimWorld run's figures, from its result records: success per task and overall, steps,
model calls and tokens, as a table and as the JSON summary written beside the results.

The overall success rate is the mean over templates of each template's mean score, as
AndroidWorld reports it (templates count the same however many instances each has); the mean
over episodes is given too. An episode that crashed counts as a failure. `episode_seconds` is
the time the recorded episodes took; the runner adds `wall_time_s`, the time of the invocation
that wrote the summary (short for a resumed run).

Records are read from a file a person may have edited: a field that is not a number (or a
score outside [0, 1]) counts as 0 and is named in `Summary.problems`, never a traceback.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from rich.table import Table

from artemis.bench.results import finite_number

Record = Mapping[str, Any]


def _field(r: Record, name: str, problems: list[str], *, score: bool = False) -> float:
    """A numeric field of a record; 0 (and a problem) when it is present but unusable."""
    value = r.get(name)
    if value is None:
        return 0.0
    number = finite_number(value)
    if number is None or (score and not 0.0 <= number <= 1.0):
        shown = repr(value) if len(repr(value)) <= 40 else repr(value)[:40] + "..."
        what = "a score in [0, 1]" if score else "a number"
        problems.append(f"record {r.get('id', '?')}: {name} {shown} is not {what}; counted as 0")
        return 0.0
    return number


@dataclass
class TaskFigures:
    name: str
    episodes: int = 0
    score: float = 0.0
    steps: int = 0
    calls: int = 0
    tokens: int = 0
    errors: int = 0
    seconds: float = 0.0

    def add(self, r: Record, problems: list[str]) -> None:
        """Count one record; what is wrong with its fields goes to `problems`."""
        usage = r.get("usage")
        if not isinstance(usage, Mapping):
            if usage is not None:
                problems.append(f"record {r.get('id', '?')}: usage is not an object; counted as 0")
            usage = {}
        self.episodes += 1
        self.score += _field(r, "score", problems, score=True)
        self.steps += int(_field(r, "steps", problems))
        self.calls += int(_field(usage, "calls", problems))
        self.tokens += int(_field(usage, "total_tokens", problems))
        self.errors += r.get("status") == "error"
        self.seconds += _field(r, "duration_s", problems)

    @property
    def success_rate(self) -> float:
        return self.score / self.episodes if self.episodes else 0.0

    def mean(self, total: int) -> float:
        return total / self.episodes if self.episodes else 0.0

    @property
    def mean_seconds(self) -> float:
        return self.seconds / self.episodes if self.episodes else 0.0

    def to_dict(self) -> dict[str, Any]:
        return {
            "episodes": self.episodes,
            "success_rate": round(self.success_rate, 4),
            "mean_steps": round(self.mean(self.steps), 2),
            "mean_calls": round(self.mean(self.calls), 2),
            "mean_tokens": round(self.mean(self.tokens), 1),
            "calls": self.calls,
            "tokens": self.tokens,
            "errors": self.errors,
            "mean_seconds": round(self.mean_seconds, 2),
        }


@dataclass
class Summary:
    """What a run's records add up to."""

    per_task: dict[str, TaskFigures] = field(default_factory=dict)
    episodes: int = 0
    errors: int = 0
    #: Fields of the records that could not be used (each counted as 0).
    problems: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, records: Iterable[Record], order: Iterable[str] = ()) -> Summary:
        out = cls({name: TaskFigures(name) for name in order})
        for r in records:
            name = str(r.get("template", "?"))
            out.per_task.setdefault(name, TaskFigures(name)).add(r, out.problems)
            out.episodes += 1
            out.errors += r.get("status") == "error"
        out.per_task = {k: v for k, v in out.per_task.items() if v.episodes}
        return out

    @property
    def success_rate(self) -> float:
        """Mean over templates of their success rates."""
        rates = [t.success_rate for t in self.per_task.values()]
        return sum(rates) / len(rates) if rates else 0.0

    @property
    def episode_success_rate(self) -> float:
        total = sum(t.score for t in self.per_task.values())
        return total / self.episodes if self.episodes else 0.0

    def to_dict(self, **run: Any) -> dict[str, Any]:
        return {
            "benchmark": "simworld",
            **run,
            "episodes": self.episodes,
            "errors": self.errors,
            "success_rate": round(self.success_rate, 4),
            "episode_success_rate": round(self.episode_success_rate, 4),
            "steps": sum(t.steps for t in self.per_task.values()),
            "calls": sum(t.calls for t in self.per_task.values()),
            "tokens": sum(t.tokens for t in self.per_task.values()),
            "episode_seconds": round(sum(t.seconds for t in self.per_task.values()), 2),
            "per_task": {name: t.to_dict() for name, t in self.per_task.items()},
        }

    def table(self, title: str = "SimWorld") -> Table:
        table = Table(title=title)
        table.add_column("task", no_wrap=True)
        for col in ("episodes", "success", "steps", "calls", "tokens", "errors"):
            table.add_column(col, justify="right")
        for t in self.per_task.values():
            table.add_row(
                t.name,
                str(t.episodes),
                f"{t.success_rate:.0%}",
                f"{t.mean(t.steps):.1f}",
                f"{t.mean(t.calls):.1f}",
                f"{t.mean(t.tokens):.0f}",
                str(t.errors) if t.errors else "",
            )
        table.add_section()
        table.add_row(
            "overall (mean of tasks)",
            str(self.episodes),
            f"{self.success_rate:.1%}",
            "",
            "",
            "",
            str(self.errors) if self.errors else "",
        )
        return table


#: How an episode ended, in words, for one line of a run's output.
_ENDINGS = {
    "failure": "the agent gave up",
    "infeasible": "the agent called the task infeasible",
    "step_budget": "the step budget ran out",
    "step_failures": "too many steps failed",
    "time_budget": "the episode ran out of time",
    "error": "the episode stopped on an error",
}


def case_line(r: Record) -> tuple[str, str]:
    """A finished case as (`pass` | `fail` | `error`, what happened): a failed case says
    what failed, the agent or the task's check of the phone."""
    if r.get("status") == "error":
        return "error", str(r.get("error", ""))
    steps = r.get("steps")
    after = f"after {steps} step{'' if steps == 1 else 's'}"
    outcome = str(r.get("outcome"))
    score = finite_number(r.get("score")) or 0.0
    if score >= 1.0:
        return "pass", f"{outcome} {after}"
    if outcome in ("success", "answered"):
        partial = f" (score {score:g})" if score > 0 else ""
        what = "answered" if outcome == "answered" else "reported success"
        return "fail", f"the agent {what} {after}, but the task's check failed{partial}"
    reason = " ".join(str(r.get("reason") or "").split())
    reason = reason if len(reason) <= 120 else reason[:117] + "..."
    ending = _ENDINGS.get(outcome, outcome)
    return "fail", f"{ending} {after}" + (f": {reason}" if reason else "")
