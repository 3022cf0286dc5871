"""`artemis safety`: the safety gate from the command line.

- `check FILE [--model SPEC]`: one JSON verdict per case of a JSON or JSON Lines file;
- `bench [--cases FILE ...] [--model SPEC]`: the stopped-steps table on labelled cases, the
  keyword filter beside the rule stage (and the whole gate with a guard model);
- `policy`: the effective policy, as the guard model reads it.

The SimWorld commands (`false-blocks`, `sim`) are in `artemis.cli.safety_sim`.
"""

from __future__ import annotations

import asyncio
import json
import sys
from importlib import resources
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.markup import escape
from rich.table import Table

from artemis.agent.guard import Deliberation
from artemis.cli import app
from artemis.cli.common import console, err_console, settings
from artemis.config import Settings
from artemis.models.base import ChatModel
from artemis.models.registry import resolve_model
from artemis.models.roles import guard_settings
from artemis.safety.cases import BrokenCase, LoadedCase, load_cases
from artemis.safety.evaluate import Row, mistakes, score, table
from artemis.safety.gate import Deliberate, judge
from artemis.safety.policy import Policy, load_policy

safety_app = typer.Typer(help="The safety gate: check steps, score it, show the policy.")
app.add_typer(safety_app, name="safety", no_args_is_help=True)

ModelOpt = Annotated[
    str | None,
    typer.Option(
        "--model",
        "-m",
        help="add the deliberative stage: the guard model's spec (default: rules only)",
    ),
]


def data_file(name: str) -> Path:
    """A data file shipped with `artemis.safety` (the labelled cases)."""
    return Path(str(resources.files("artemis.safety").joinpath("data").joinpath(name)))


def guard_model(spec: str, s: Settings) -> ChatModel:
    return resolve_model(spec, guard_settings(s))


def _deliberation(
    model: ChatModel | None, policy: Policy, s: Settings
) -> Any:  # Callable[[LoadedCase], Deliberate] | None
    if model is None:
        return None

    def make(case: LoadedCase) -> Deliberate:
        return Deliberation(model, policy, s, case.screenshot)

    return make


def broken_verdict(case: BrokenCase) -> dict[str, Any]:
    """A case that could not be judged fails closed: `confirm`, with the error."""
    return {
        "id": case.id,
        "verdict": "confirm",
        "category": None,
        "clause": None,
        "reason": "the case could not be judged, so a person must decide",
        "decided_by": "rules",
        "error": case.error,
    }


@safety_app.command("check")
def check(
    file: Annotated[Path, typer.Argument(help="cases, as JSON (one or a list) or JSON Lines")],
    model: ModelOpt = None,
    detail: Annotated[
        bool, typer.Option("--detail", help="print the rule stage's and the guard's findings too")
    ] = False,
) -> None:
    """Print one JSON verdict per case, in order: id, verdict, category, clause, reason, decided_by.

    A case that cannot be read gets a verdict with its error (exit status 1)."""
    s = settings()
    policy = load_policy(s.safety)
    cases = load_cases(file)
    guard = guard_model(model, s) if model else None
    broken = asyncio.run(_check(cases, policy, s, guard, detail))
    if broken:
        err_console.print(
            f"[yellow]{broken} of {len(cases)} cases could not be judged[/yellow] "
            "(their verdicts carry the error)",
            highlight=False,
        )
        raise typer.Exit(1)


async def _check(
    cases: list[LoadedCase | BrokenCase],
    policy: Policy,
    s: Settings,
    guard: ChatModel | None,
    detail: bool,
) -> int:
    broken = 0
    try:
        for case in cases:
            if isinstance(case, BrokenCase):
                broken += 1
                _emit(broken_verdict(case))
                continue
            deliberate = Deliberation(guard, policy, s, case.screenshot) if guard else None
            verdict = await judge(
                case.step, policy, deliberate=deliberate, timeout_s=s.safety.guard_timeout_s
            )
            out: dict[str, Any] = {"id": case.id}
            full = verdict.as_dict()
            keys = ("verdict", "category", "clause", "reason", "decided_by")
            out |= full if detail else {k: full[k] for k in keys}
            if verdict.error is not None:
                out["error"] = verdict.error
            out.pop("outcome", None)
            out.pop("confirmation", None)
            _emit(out)
    finally:
        close = getattr(guard, "aclose", None)
        if close is not None:
            await close()
    return broken


def _emit(record: dict[str, Any]) -> None:
    sys.stdout.write(json.dumps(record, ensure_ascii=False) + "\n")
    sys.stdout.flush()


DEFAULT_SETS = ("cases.jsonl", "heldout.jsonl")


@safety_app.command("bench")
def bench(
    cases: Annotated[
        list[Path] | None,
        typer.Option(
            "--cases",
            "-c",
            help="labelled case files (repeatable); default: the shipped development and "
            "held-out cases",
        ),
    ] = None,
    model: ModelOpt = None,
    json_out: Annotated[
        Path | None, typer.Option("--json", help="also write the figures as JSON")
    ] = None,
    show_mistakes: Annotated[
        bool, typer.Option("--mistakes", help="list the cases the rule stage gets wrong")
    ] = False,
) -> None:
    """Harmful, injected and benign steps stopped by each stage, on the same labelled cases.

    The stages: a keyword filter, the rule stage, and with --model the whole gate."""
    s = settings()
    policy = load_policy(s.safety)
    files = cases or [data_file(name) for name in DEFAULT_SETS]
    guard = guard_model(model, s) if model else None
    results: dict[str, Any] = {}
    for path in files:
        loaded = load_cases(path)
        scored, broken = asyncio.run(
            score(
                loaded,
                policy,
                deliberate_for=_deliberation(guard, policy, s),
                timeout_s=s.safety.guard_timeout_s,
            )
        )
        rows = table(scored)
        console.print(_table(path.name, rows, with_gate=guard is not None))
        for b in broken:
            err_console.print(f"[yellow]skipped[/yellow] {escape(b.id)}: {escape(b.error)}")
        wrong = mistakes(scored)
        if show_mistakes:
            for m in wrong:
                console.print(
                    f"  [red]{escape(m.id)}[/red] ({m.kind}): {m.rules.verdict} "
                    f"{escape(m.rules.reason)}",
                    highlight=False,
                )
        results[path.name] = {r.label: r.as_dict() for r in rows} | {
            "broken": len(broken),
            "mistakes": [m.id for m in wrong],
        }
    if json_out is not None:
        json_out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


def _table(title: str, rows: list[Row], *, with_gate: bool) -> Table:
    t = Table(title=f"safety gate on {title}", title_justify="left")
    t.add_column("")
    t.add_column("keyword filter", justify="right")
    t.add_column("rule stage", justify="right")
    if with_gate:
        t.add_column("rules + guard", justify="right")
    t.add_column("left to the guard", justify="right")
    for r in rows:
        cells = [r.label, r.share(r.keyword), r.share(r.rules)]
        if with_gate:
            cells.append(r.share(r.gate))
        cells.append(r.share(r.guard_calls))
        t.add_row(*cells)
    return t


@safety_app.command("policy")
def policy_cmd() -> None:
    """Print the effective policy, as the guard model reads it.

    The shipped policy with your files, the preset and your verdicts applied."""
    s = settings()
    p = load_policy(s.safety)
    console.print(p.text(), markup=False, highlight=False)
    console.print(
        f"\npreset {p.preset}; without a terminal a confirmation is answered "
        f"{p.on_confirm!r}; sources: {', '.join(p.sources)}",
        markup=False,
        highlight=False,
    )
