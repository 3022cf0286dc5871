"""HTML building blocks shared by the pages: escaping, number formats, and the page shell.

Everything that came from a model or a device (thoughts, typed text, element text, reasons,
errors) goes through `esc`. The shell adds a Content-Security-Policy that allows only the
page's own script (by its hash), inline styles and data: images, so a page loads nothing from
the network and a script that slipped into the content would not run either.
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from functools import cache
from importlib import resources
from typing import Any

from artemis.agent.trajectory import REDACTED


def esc(value: object) -> str:
    """Text for HTML content or a quoted attribute."""
    return html.escape("" if value is None else str(value), quote=True)


def text_block(value: object, cls: str = "text") -> str:
    """Multi-line model text, escaped, whitespace kept, redaction marks made visible."""
    escaped = esc(value)
    escaped = escaped.replace(esc(REDACTED), f'<span class="redacted">{esc(REDACTED)}</span>')
    return f'<div class="{cls}">{escaped}</div>'


def pretty_json(value: object) -> str:
    return esc(json.dumps(value, ensure_ascii=False, indent=1, default=str))


def as_dict(value: Any) -> dict[str, Any]:
    """`value` when it is a mapping, else empty: records are read defensively."""
    return value if isinstance(value, dict) else {}


def as_list(value: Any) -> list[Any]:
    """`value` when it is a list, `[value]` for another single value, else empty."""
    if isinstance(value, list):
        return value
    return [] if value is None or value == "" else [value]


def num(value: Any) -> float:
    """`value` when it is a number (not a bool), else 0."""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return float(value)
    return 0.0


def fmt_int(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–"
    return f"{int(value):,}"


def fmt_seconds(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–"
    s = float(value)
    if s < 1:
        return f"{s * 1000:.0f} ms"
    if s < 60:
        return f"{s:.2f} s"
    minutes, rest = divmod(round(s), 60)
    if minutes < 60:
        return f"{minutes} min {rest:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def fmt_cost(value: object) -> str:
    if isinstance(value, bool) or not isinstance(value, int | float):
        return "–"
    return f"${float(value):.4f}" if value else "$0"


def fmt_pct(part: float, whole: float) -> str:
    return f"{100 * part / whole:.1f}%" if whole else "–"


def score_badge(score: float | None) -> str:
    """A checker's score: 1 passed, 0 failed, between partial credit."""
    if score is None:
        return "–"
    return badge(f"{score:g}", "ok" if score >= 1 else "bad" if score <= 0 else "warn")


RESULT_CLASS = {
    "success": "ok",
    "answered": "ok",
    "done": "ok",
    "failure": "bad",
    "infeasible": "warn",
    "step_budget": "bad",
    "step_failures": "bad",
    "time_budget": "bad",
    "error": "bad",
    "crashed": "bad",
    "interrupted": "warn",
    "failed": "bad",
    "rejected": "warn",
    "blocked": "bad",
    "running": "warn",
    "unknown": "warn",
}


def badge(label: str, cls: str | None = None) -> str:
    kind = cls or RESULT_CLASS.get(label, "neutral")
    return f'<span class="badge {kind}">{esc(label)}</span>'


def mark(flag: object) -> str:
    """✓ / ✗ / ? for a boolean that may be absent."""
    if flag is True:
        return '<span class="yes" title="yes">✓</span>'
    if flag is False:
        return '<span class="no" title="no">✗</span>'
    return '<span class="unk" title="unknown">?</span>'


def table(head: list[str], rows: list[list[str]], cls: str = "grid") -> str:
    """A table of already-escaped cells."""
    th = "".join(f"<th>{h}</th>" for h in head)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    return f'<table class="{cls}"><thead><tr>{th}</tr></thead><tbody>{body}</tbody></table>'


def kv(pairs: list[tuple[str, str]]) -> str:
    """A definition list of already-escaped values."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="kv">{items}</dl>'


@cache
def asset(name: str) -> str:
    return resources.files("artemis.report").joinpath(name).read_text(encoding="utf-8")


def _script_hash(script: str) -> str:
    digest = hashlib.sha256(script.encode("utf-8")).digest()
    return "'sha256-" + base64.b64encode(digest).decode("ascii") + "'"


def page(title: str, body: str, script_name: str) -> str:
    """A complete, self-contained HTML document."""
    script = asset(script_name)
    csp = (
        "default-src 'none'; img-src data:; style-src 'unsafe-inline'; "
        f"script-src {_script_hash(script)}"
    )
    return (
        "<!doctype html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{csp}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)}</title><style>{asset('report.css')}</style></head>"
        f"<body>{body}<script>{script}</script></body></html>\n"
    )
