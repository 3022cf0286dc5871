"""`artemis tips`: list, search, add, import, export, accept, remove and rebuild app tips.

Every command opens the store the settings name (embedded at `tips.path`, default
`$XDG_DATA_HOME/artemis/tips`, or the server at `tips.chroma_url`), importing the bundled
corpus on first use. Problems in tip files are printed as warnings, once; the rest still
loads. Each command closes the store before it returns.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from artemis.cli import app
from artemis.cli.common import console, err_console, settings
from artemis.durable import ensure_dir, write_atomic
from artemis.errors import TipCorpusError
from artemis.tips.base import ScoredTip, Tip, is_known_app
from artemis.tips.corpus import CorpusLoad, dump_corpus, load_corpus
from artemis.tips.database import TipDatabase

tips_app = typer.Typer(help="The app-tip knowledge base (ChromaDB).", no_args_is_help=True)
app.add_typer(tips_app, name="tips")

AppOpt = Annotated[str | None, typer.Option("--app", "-a", help="Android package name, or '*'")]


def _open(*, seed: bool = True, check_embedding: bool = True) -> TipDatabase:
    """The store the settings name; the caller closes it (`with _open() as store`). Corpus
    problems found while seeding are printed here rather than logged."""
    store = TipDatabase.connect(
        settings(), seed=seed, check_embedding=check_embedding, log_problems=False
    )
    if store.seed_report is not None:
        _report(store.seed_report)
    return store


def _report(load: CorpusLoad) -> None:
    for err in load.errors:
        err_console.print(f"[yellow]warning:[/yellow] {err}", highlight=False)
    for warning in load.warnings:
        err_console.print(f"[yellow]warning:[/yellow] {warning}", highlight=False)


def _source(tip: Tip) -> str:
    s = tip.source
    if s.kind == "learnt":
        parts = [p for p in (s.episode, f"step {s.step}" if s.step is not None else None) if p]
        if s.date:
            parts.append(s.date.isoformat())
        return "learnt " + " ".join(parts)
    return s.kind + (f" ({s.author})" if s.author else "")


def _lines(rows: list[Tip] | list[ScoredTip]) -> None:
    """One tip a line (plain text, never wrapped, so it pipes and greps well)."""
    for row in rows:
        tip = row.tip if isinstance(row, ScoredTip) else row
        head = f"{row.score:.3f}  " if isinstance(row, ScoredTip) else ""
        typer.echo(f"{head}{tip.id}  {tip.app}  {tip.status}  [{_source(tip)}]  {tip.text}")


@tips_app.command("list")
def list_cmd(
    app_: AppOpt = None,
    status: Annotated[str | None, typer.Option("--status", help="accepted or candidate")] = None,
) -> None:
    """List stored tips (all apps, or one)."""
    with _open() as store:
        tips = store.list_tips(app=app_, status=status)
    _lines(tips)
    err_console.print(f"{len(tips)} tips")


@tips_app.command("search")
def search_cmd(
    query: Annotated[str, typer.Argument(help="a task or a question")],
    app_: AppOpt = None,
    k: Annotated[int, typer.Option("-k", help="how many tips")] = 3,
) -> None:
    """Rank tips by meaning against QUERY, as the agent would for a task in that app."""
    with _open() as store:
        found = store.search(query, app=app_, k=k)
    _lines(found)


@tips_app.command("add")
def add_cmd(
    text: Annotated[str, typer.Argument(help="the tip")],
    app_: Annotated[str, typer.Option("--app", "-a", help="Android package name, or '*'")],
    tag: Annotated[list[str] | None, typer.Option("--tag", "-t", help="a tag (repeatable)")] = None,
) -> None:
    """Add one hand-written tip, accepted at once."""
    if not is_known_app(app_):
        err_console.print(f"[yellow]warning:[/yellow] app {app_} is not one artemis knows")
    tip = Tip(app=app_, text=" ".join(text.split()), tags=tuple(tag or ()))
    with _open() as store:
        added = store.add([tip])
    console.print(f"added {added[0].id}" if added else f"already stored: {tip.with_id().id}")


@tips_app.command("import")
def import_cmd(
    path: Annotated[Path, typer.Argument(help="a YAML tip file or a folder of them")],
) -> None:
    """Import tips from YAML (the corpus format). Bad files or tips are reported and skipped."""
    load = load_corpus(path)
    _report(load)
    if load.errors and not load.tips:
        raise TipCorpusError(f"nothing imported from {path}: {len(load.errors)} errors above")
    with _open() as store:
        added = store.add(load.tips)
    console.print(
        f"imported {len(added)} new tips from {len(load.files)} files "
        f"({len(load.tips) - len(added)} already stored, {len(load.errors)} errors)"
    )


@tips_app.command("export")
def export_cmd(
    out: Annotated[
        Path | None,
        typer.Option("--out", "-o", help="a .yaml file, or a folder for one file per app"),
    ] = None,
    app_: AppOpt = None,
    status: Annotated[str | None, typer.Option("--status", help="accepted or candidate")] = None,
) -> None:
    """Write stored tips as YAML in the corpus format (stdout by default)."""
    to_folder = out is not None and (out.is_dir() or out.suffix not in (".yaml", ".yml"))
    if out is not None:  # an unwritable --out fails before the store is opened
        ensure_dir(out if to_folder else out.parent)
    with _open() as store:
        tips = store.list_tips(app=app_, status=status)
    if out is None:
        typer.echo(dump_corpus(tips), nl=False)
        return
    if to_folder:
        by_app: dict[str, list[Tip]] = {}
        for tip in tips:
            by_app.setdefault(tip.app, []).append(tip)
        for app_name, group in by_app.items():
            name = "_general" if app_name == "*" else app_name
            write_atomic(out / f"{name}.yaml", dump_corpus(group))
        err_console.print(f"wrote {len(tips)} tips in {len(by_app)} files to {out}")
        return
    write_atomic(out, dump_corpus(tips))
    err_console.print(f"wrote {len(tips)} tips to {out}")


@tips_app.command("accept")
def accept_cmd(tip_id: Annotated[str, typer.Argument(help="id of a candidate tip")]) -> None:
    """Accept a learnt candidate: from now on `retrieve` returns it."""
    with _open() as store:
        tip = store.accept(tip_id)
    console.print(f"accepted {tip.id}: {tip.text}")


@tips_app.command("remove")
def remove_cmd(tip_id: Annotated[str, typer.Argument(help="id of a tip")]) -> None:
    """Delete one tip (a corpus tip comes back when the corpus changes)."""
    with _open() as store:
        tip = store.remove(tip_id)
    console.print(f"removed {tip.id}: {tip.text}")


@tips_app.command("rebuild")
def rebuild_cmd() -> None:
    """Re-embed every stored tip with the configured embedding (after changing it)."""
    with _open(seed=False, check_embedding=False) as store:
        count = store.rebuild()
    console.print(f"re-embedded {count} tips with {store.embedding.spec} in {store.location}")
