"""`artemis models`: the spec forms, and a check of the configured model servers."""

from __future__ import annotations

import asyncio
import io
from dataclasses import dataclass
from typing import Annotated

import typer
from PIL import Image
from pydantic import BaseModel
from rich.table import Table

from artemis.cli import app
from artemis.cli.common import console, settings
from artemis.config import Settings
from artemis.errors import ModelError
from artemis.models.base import ChatModel, Message
from artemis.models.coords import CoordSpace
from artemis.models.openai_backend import OpenAIModel
from artemis.models.registry import known_backends, resolve_model
from artemis.models.roles import ROLES, build_role_models

models_app = typer.Typer(help="Model specs and servers.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def list_backends() -> None:
    """Show the model spec forms this program knows, named servers included."""
    s = settings()
    table = Table("spec", "what it is")
    for backend in known_backends():
        table.add_row(backend.form, backend.help)
    for name, server in sorted(s.models.servers.items()):
        table.add_row(f"{name}:<model>", f"the server at {server.base_url}")
    console.print(table)
    configured = [(role, s.role_model(role)) for role in ROLES]
    if any(spec for _, spec in configured):
        roles = Table("role", "model", "dialect", "points")
        for role, spec in configured:
            if spec:
                dialect, coords = speech_of(spec, s, role)
                roles.add_row(role, spec, dialect, coords)
            else:
                roles.add_row(role, "(not set)", "", "")
        console.print(roles)


def speech_of(spec: str, s: Settings, role: str) -> tuple[str, str]:
    """The dialect and coordinate space `role` would use with the model `spec`, from its
    name and the settings (without building the model)."""
    from artemis.models.dialects import choose, family_coords, role_coords

    @dataclass
    class _Named:
        name: str
        coords: CoordSpace
        dialect: str | None = None

    coords = family_coords(spec) if s.models.coords == "auto" else s.models.coords
    fixed = "artemis" if spec.split(":", 1)[0] in OFFLINE else None
    named = _Named(spec, coords, dialect=fixed)
    d = choose(named, s, role)
    return d.name, role_coords(d, named, s)


#: Specs of the offline policies, which always speak artemis JSON.
OFFLINE = frozenset({"heuristic", "oracle", "ocr"})


class _Ping(BaseModel):
    ok: bool


def _tiny_png() -> bytes:
    buf = io.BytesIO()
    Image.new("RGB", (56, 56), "white").save(buf, "PNG")
    return buf.getvalue()


async def _check(model: OpenAIModel) -> list[tuple[str, str, bool]]:
    """(what, outcome, ok) rows; stops at the first failure, since the rest would repeat it."""
    rows: list[tuple[str, str, bool]] = []
    try:
        r = await model.complete(
            [Message.user('Reply with the JSON object {"ok": true} and nothing else.')],
            output_schema=_Ping,
        )
        outcome = (
            f"ok via {r.extra['structured']} in {r.latency_s:.2f} s "
            f"({r.usage.input_tokens} in / {r.usage.output_tokens} out tokens)"
        )
        rows.append(("structured output", outcome, True))
        image = Message.user("What colour is this image? One word.", _tiny_png())
        r = await model.complete([image])
        rows.append(("image input", f"ok ({r.text.strip()[:40]!r})", True))
    except ModelError as exc:
        what = "image input" if rows else "structured output"
        rows.append((what, f"[red]failed[/red]: {exc}", False))
    finally:
        await model.aclose()
    return rows


@models_app.command("check")
def check(
    model: Annotated[
        str | None, typer.Option("--model", "-m", help="spec to check (default: the roles')")
    ] = None,
) -> None:
    """Call each configured model server once: connection, structured output, images."""
    s = settings(model=model)
    if model is not None:
        targets: dict[str, ChatModel] = {model: resolve_model(model, s)}
        uses = {model: "given"}
    else:
        roles = build_role_models(s)
        targets, uses = {}, {}
        for role in ROLES:
            m = roles[role]
            targets.setdefault(m.name, m)
            uses[m.name] = f"{uses[m.name]}, {role}" if m.name in uses else role
    failed = False
    for name, target in targets.items():
        console.print(f"[bold]{name}[/bold] ({uses[name]})")
        if not isinstance(target, OpenAIModel):
            console.print("  no server to check (an offline backend)")
            continue
        conn = target.connection
        console.print(
            f"  server {conn.base_url} (from {conn.url_source}); key from {conn.key_source}"
        )
        rule = target.image_rule
        dialect, coords = speech_of(name, s, next(iter(uses[name].split(", "))))
        console.print(f"  dialect {dialect}; points in {coords}", highlight=False)
        console.print(
            f"  images: sides a multiple of {rule.factor}, at most {rule.max_pixels:,} pixels",
            highlight=False,
        )
        for what, outcome, ok in asyncio.run(_check(target)):
            console.print(f"  {what}: {outcome}", highlight=False)
            failed = failed or not ok
    if failed:
        raise typer.Exit(1)
