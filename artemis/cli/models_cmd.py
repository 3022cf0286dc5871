"""`artemis models`: the spec forms, and a check of the configured model servers."""

from __future__ import annotations

import asyncio
import io
from typing import Annotated

import typer
from PIL import Image
from pydantic import BaseModel
from rich.table import Table

from artemis.cli import app
from artemis.cli.common import console, settings
from artemis.errors import ModelError
from artemis.models.base import ChatModel, Message
from artemis.models.openai_backend import OpenAIModel
from artemis.models.registry import known_backends, resolve_model
from artemis.models.roles import ROLES, build_role_models

models_app = typer.Typer(help="Model specs and servers.", no_args_is_help=True)
app.add_typer(models_app, name="models")


@models_app.command("list")
def list_backends() -> None:
    """Show the model spec forms this program knows, named servers included."""
    table = Table("spec", "what it is")
    for backend in known_backends():
        table.add_row(backend.form, backend.help)
    for name, server in sorted(settings().models.servers.items()):
        table.add_row(f"{name}:<model>", f"the server at {server.base_url}")
    console.print(table)


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
        console.print(
            f"  coordinates {target.coords}; images: sides a multiple of {rule.factor}, "
            f"at most {rule.max_pixels} px"
        )
        for what, outcome, ok in asyncio.run(_check(target)):
            console.print(f"  {what}: {outcome}", highlight=False)
            failed = failed or not ok
    if failed:
        raise typer.Exit(1)
