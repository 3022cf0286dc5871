"""`artemis models dialects` and `artemis models parse`: which dialects there are, and what a
model's raw reply means to artemis.

`parse` reads one reply, as text or as a chat-completion message in JSON (`content` and
`tool_calls`, or a whole completion with `choices`), and prints one JSON object: the thought
and the artemis action with its points in screen pixels, under the field names of
`artemis.actions`. A reply it cannot read ends in one line and exit status 1.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from artemis.cli.common import console, settings
from artemis.cli.models_cmd import models_app
from artemis.errors import ArtemisError, ConfigError, ModelResponseError
from artemis.models.base import ToolCall
from artemis.models.coords import ImageFrame, ImageRule
from artemis.models.dialects import ARTEMIS, DIALECTS, Dialect, detect, get_dialect
from artemis.models.dialects.convert import to_device
from artemis.models.dialects.text import MAX_REPLY_CHARS

#: The screen assumed without --screen: the simulated phone's.
DEFAULT_SCREEN = (1080, 2400)


@models_app.command("dialects")
def list_dialects() -> None:
    """Show the action dialects: each model family's native protocol."""
    table = Table("dialect", "family", "points", "image sides, at most")
    for d in DIALECTS.values():
        rule = d.image
        images = f"x{rule.factor}, {rule.max_pixels / 1e6:.1f} MP" if rule else "model's own"
        table.add_row(d.name, d.family, d.coords or "model's own", images)
    console.print(table)
    console.print(
        "auto picks one from the model's name (e.g. UI-TARS-1.5-7B -> ui-tars-1.5), else "
        "artemis; set models.dialect or models.dialects.<role> to choose.",
        highlight=False,
    )


def _size(value: str | None, option: str) -> tuple[int, int] | None:
    if value is None:
        return None
    m = re.fullmatch(r"\s*(\d{1,5})\s*[xX×]\s*(\d{1,5})\s*", value)
    if m is None or int(m[1]) == 0 or int(m[2]) == 0:
        raise ConfigError(f"{option} wants WIDTHxHEIGHT, such as 1080x2400, got {value!r}")
    return int(m[1]), int(m[2])


def read_reply(raw: str) -> tuple[str, list[ToolCall]]:
    """A reply's text and tool calls: a chat-completion message (or a whole completion) in
    JSON, else the text as it is."""
    stripped = raw.strip()
    if not stripped.startswith("{"):
        return raw, []
    try:
        data = json.loads(stripped)
    except (ValueError, RecursionError):
        return raw, []
    if isinstance(data, dict) and isinstance(data.get("choices"), list) and data["choices"]:
        first = data["choices"][0]
        data = first.get("message", first) if isinstance(first, dict) else data
    if not isinstance(data, dict) or not ({"content", "tool_calls", "function_call"} & set(data)):
        return raw, []  # a JSON reply (artemis's own), not a message
    calls = []
    for c in data.get("tool_calls") or []:
        fn = c.get("function", {}) if isinstance(c, dict) else {}
        if not isinstance(fn, dict) or not isinstance(fn.get("name"), str):
            raise ModelResponseError(f"a tool call without a function name: {c!r:.200}")
        args = fn.get("arguments", "")
        calls.append(
            ToolCall(
                fn["name"], args if isinstance(args, str) else json.dumps(args), c.get("id") or ""
            )
        )
    legacy = data.get("function_call")
    if isinstance(legacy, dict) and isinstance(legacy.get("name"), str):
        args = legacy.get("arguments", "")
        calls.append(ToolCall(legacy["name"], args if isinstance(args, str) else json.dumps(args)))
    content = data.get("content")
    return content if isinstance(content, str) else "", calls


def _dialect(name: str) -> Dialect:
    if name != "auto":
        return get_dialect(name)
    s = settings()
    if s.models.dialect != "auto":
        return get_dialect(s.models.dialect)
    spec = s.role_model("manager")
    found = detect(spec) if spec else None
    return found.dialect if found else ARTEMIS


def _frame(
    dialect: Dialect, image: tuple[int, int] | None, screen: tuple[int, int] | None
) -> ImageFrame:
    sw, sh = screen or image or DEFAULT_SCREEN
    if image is not None:
        return ImageFrame(image[0], image[1], sw, sh)
    budget = settings().models.max_image_pixels
    rule = (dialect.image or ImageRule(1, 0, budget)).capped(budget)
    return rule.frame(sw, sh)


@models_app.command("parse")
def parse(
    file: Annotated[
        str, typer.Argument(help="a file holding one reply, or - for standard input")
    ] = "-",
    dialect: Annotated[
        str,
        typer.Option(
            "--dialect",
            "-d",
            help="the reply's dialect (`artemis models dialects`); auto: the configured "
            "Manager model's, else artemis",
        ),
    ] = "auto",
    image: Annotated[
        str | None,
        typer.Option(
            "--image",
            help="WxH of the image the model saw (default: the dialect's "
            "resize rule applied to --screen)",
        ),
    ] = None,
    screen: Annotated[
        str | None,
        typer.Option("--screen", help="WxH of the screen (default: --image, else 1080x2400)"),
    ] = None,
) -> None:
    """Print the artemis action a raw model reply means, in screen pixels.

    The reply is text, or a chat-completion message as JSON with tool_calls."""
    d = _dialect(dialect)
    frame = _frame(d, _size(image, "--image"), _size(screen, "--screen"))
    raw = _read(file)
    text, calls = read_reply(raw)
    reply = d.parse(text, calls)
    coords = reply.coords or d.coords or settings().models.coords
    space = "pixels" if coords == "auto" else coords
    action = to_device(reply.action, space, frame)
    out: dict[str, Any] = {
        "thought": reply.thought,
        "action": action.model_dump(mode="json", exclude_defaults=False),
        "dialect": d.name,
        "native": reply.native,
        "coords": space,
        "image": [frame.sent_width, frame.sent_height],
        "screen": [frame.original_width, frame.original_height],
    }
    if reply.rest:
        out["rest"] = reply.rest
    if reply.error_type:
        out["error_type"] = reply.error_type
    typer.echo(json.dumps(out, ensure_ascii=False))


def _read(file: str) -> str:
    try:
        if file == "-":
            data = sys.stdin.read(MAX_REPLY_CHARS * 4 + 1)
        else:
            with Path(file).open(encoding="utf-8", errors="replace") as f:
                data = f.read(MAX_REPLY_CHARS * 4 + 1)
    except OSError as exc:
        raise ArtemisError(f"cannot read {file}: {exc.strerror or exc}") from None
    if not data.strip():
        raise ModelResponseError(f"{'standard input' if file == '-' else file} holds no reply")
    return data
