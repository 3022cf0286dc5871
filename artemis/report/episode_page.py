"""The page of one episode: header (task, outcome, configuration, usage) and every step.

Each step shows its screenshot with the action drawn, the thought, the planned action, the
TAC verdict and who decided it, the correction, what was executed, the reflection, the UI
diff, the tips retrieved, timings per stage, tokens per role, and errors.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError

from artemis.actions import describe, parse_action
from artemis.report.figures import Figure
from artemis.report.html import (
    badge,
    esc,
    fmt_cost,
    fmt_int,
    fmt_seconds,
    kv,
    mark,
    page,
    pretty_json,
    score_badge,
    table,
    text_block,
)
from artemis.report.load import Episode

ROLES = ("manager", "tac", "aca", "sra")
ROLE_NAMES = {
    "manager": "manager",
    "tac": "checker (TAC)",
    "aca": "corrector (ACA)",
    "sra": "reflector (SRA)",
}
STAGES = ("observe", "tips", "plan", "check", "correct", "execute", "settle", "reflect")
SWITCHES = ("use_tips", "use_tac", "use_aca", "use_sra", "tac_skip_when_confident")
KEYS_HELP = (
    "<kbd>←</kbd> <kbd>→</kbd> or <kbd>k</kbd> <kbd>j</kbd> previous / next step · "
    "<kbd>Home</kbd> <kbd>End</kbd> first / last step · "
    "<kbd>p</kbd> <kbd>n</kbd> previous / next episode · <kbd>u</kbd> index"
)


@dataclass(frozen=True)
class Links:
    """Relative links from an episode page to its neighbours (None when there is none)."""

    index: str | None = None
    prev: str | None = None
    next: str | None = None


def action_text(value: Any) -> str:
    """An action record in words (`tap #5`, `type 'x' into (10,20)`), or its JSON."""
    if not isinstance(value, dict):
        return "–" if value is None else str(value)
    try:
        return describe(parse_action(value))
    except ValidationError:
        return f"unrecognised action {value}"


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def render_episode(
    ep: Episode,
    steps: list[list[Figure]],
    final: Figure | None,
    links: Links,
    unrecorded: list[Figure] | None = None,
) -> str:
    """The HTML of one episode page; `steps[i]` are the figures of `ep.steps[i]`;
    `unrecorded` are screens of steps that began and were never recorded."""
    parts = [_header(ep, links), _problems(ep), _summary(ep)]
    if ep.steps:
        parts.append(f'<p class="keys" id="keys">Keys: {KEYS_HELP}</p>')
        parts.append(_step_nav(ep))
        parts.append('<main id="steps">')
        parts.extend(
            _step(ep, i, rec, figs)
            for i, (rec, figs) in enumerate(zip(ep.steps, steps, strict=True))
        )
        parts.append("</main>")
    else:
        parts.append('<p class="empty">No step was recorded.</p>')
    if unrecorded:
        figs = "".join(_figure(f) for f in unrecorded)
        parts.append(
            '<section class="final unrecorded"><h2>Unfinished step</h2>'
            f'<p class="note">The episode stopped during this step.</p>{figs}</section>'
        )
    if final is not None:
        parts.append(f'<section class="final"><h2>Final screen</h2>{_figure(final)}</section>')
    title = f"{ep.task or ep.id} · {ep.result}"
    return page(title, "\n".join(parts), "episode.js")


# --- header ------------------------------------------------------------------------------


def _nav_link(href: str | None, label: str, link_id: str) -> str:
    if href is None:
        return f'<span class="off">{label}</span>'
    return f'<a id="{link_id}" href="{esc(href)}">{label}</a>'


def _header(ep: Episode, links: Links) -> str:
    nav = " · ".join(
        [
            _nav_link(links.index, "index", "to-index"),
            _nav_link(links.prev, "← previous episode", "prev-episode"),
            _nav_link(links.next, "next episode →", "next-episode"),
        ]
    )
    outcome = ep.outcome
    facts = [
        badge(ep.result),
        f"<span>{fmt_int(len(ep.steps))} steps</span>",
        f"<span>{fmt_int(ep.total_tokens)} tokens</span>",
        f"<span>{fmt_cost(ep.cost_usd)}</span>",
        f"<span>{fmt_seconds(ep.duration_s)}</span>",
    ]
    reason = outcome.get("reason")
    answer = outcome.get("answer")
    lines = []
    if ep.status == "crashed":
        errs = "; ".join(str(e) for e in ep.data.get("errors") or []) or "no error recorded"
        lines.append(
            f'<p class="banner bad">The episode crashed: {esc(errs)}. The steps recorded '
            "before the crash are shown below.</p>"
        )
    if reason:
        lines.append(f'<p class="reason">{esc(reason)}</p>')
    if ep.record is not None:
        lines.append(_case(ep.record))
    if answer is not None:
        lines.append(f'<p class="answer">Answer: {text_block(answer, "inline")}</p>')
    return (
        f'<header class="top"><nav class="crumbs">{nav}</nav>'
        f'<h1 id="task">{esc(ep.task or "(task unknown)")}</h1>'
        f'<div class="facts">{" ".join(facts)}</div>{"".join(lines)}'
        f'<p class="ident">{esc(ep.id)} · started {esc(ep.started or "?")} · ended '
        f"{esc(ep.data.get('ended') or '–')} · {esc(ep.data.get('format') or 'format unknown')}"
        "</p></header>"
    )


def _case(record: dict[str, Any]) -> str:
    """The benchmark's record of the episode: case, template, parameters, checker score."""
    score = record.get("score")
    facts = [
        f"benchmark case <b>{esc(record.get('id'))}</b>",
        f"template {esc(record.get('template') or '–')}",
        "checker score " + score_badge(float(score) if isinstance(score, int | float) else None),
    ]
    params = record.get("params")
    if params:
        facts.append(f"<code>{esc(json.dumps(params, ensure_ascii=False))}</code>")
    if record.get("error"):
        facts.append(f'<span class="no">{esc(record.get("error"))}</span>')
    return f'<p class="case">{" · ".join(facts)}</p>'


def _problems(ep: Episode) -> str:
    if not ep.problems:
        return ""
    items = "".join(f"<li>{esc(p)}</li>" for p in ep.problems)
    return (
        '<section class="problems" id="problems"><h2>Missing or broken</h2>'
        f"<ul>{items}</ul></section>"
    )


def _summary(ep: Episode) -> str:
    blocks = [_config(ep), _usage(ep), _timings(ep)]
    lessons = ep.data.get("lessons") or []
    if lessons:
        rows = [
            [
                fmt_int(
                    _dict(x).get("step", 0) + 1 if isinstance(_dict(x).get("step"), int) else None
                ),
                esc(_dict(x).get("app")),
                text_block(_dict(x).get("text"), "inline"),
                "duplicate" if _dict(x).get("duplicate") else esc(_dict(x).get("id") or ""),
            ]
            for x in lessons
        ]
        blocks.append(
            '<div class="card"><h2>Lessons proposed</h2>'
            + table(["step", "app", "lesson", "tip"], rows)
            + "</div>"
        )
    errors = ep.data.get("errors") or []
    if errors and ep.status != "crashed":
        items = "".join(f"<li>{text_block(e, 'inline')}</li>" for e in errors)
        blocks.append(
            f'<div class="card"><h2>Episode errors</h2><ul class="errors">{items}</ul></div>'
        )
    return f'<section class="summary">{"".join(blocks)}</section>'


def _config(ep: Episode) -> str:
    cfg = ep.config
    models = _dict(cfg.get("models"))
    agent = _dict(cfg.get("agent"))
    rows = [[esc(ROLE_NAMES.get(r, r)), esc(models.get(r, "–"))] for r in ROLES if r in models]
    rows += [[esc(r), esc(m)] for r, m in models.items() if r not in ROLES]
    switches = " ".join(
        f'<span class="switch {"on" if agent.get(k) else "off"}">{esc(k)}</span>'
        for k in SWITCHES
        if k in agent
    )
    pairs = [
        ("switches", switches or "–"),
        ("max steps", fmt_int(agent.get("max_steps"))),
        ("device", esc(cfg.get("device") or "–")),
        ("screenshots kept", mark(cfg.get("log_screens"))),
        ("typed text kept", mark(cfg.get("log_typed_text"))),
    ]
    note = ""
    if cfg.get("log_typed_text") is False:
        note = '<p class="note">Typed text was redacted when the episode was recorded.</p>'
    return (
        '<div class="card"><h2>Configuration</h2>'
        + (table(["role", "model"], rows) if rows else '<p class="note">no models recorded</p>')
        + kv(pairs)
        + note
        + "</div>"
    )


def _usage(ep: Episode) -> str:
    usage = _dict(ep.data.get("usage"))
    models = _dict(ep.config.get("models"))
    by_role = _dict(usage.get("by_role"))
    order = [r for r in ROLES if r in by_role] + [r for r in by_role if r not in ROLES]
    rows = []
    for role in order:
        tally = by_role[role]
        t = _dict(tally)
        rows.append(
            [
                esc(ROLE_NAMES.get(role, role)),
                esc(models.get(role, "")),
                fmt_int(t.get("calls")),
                fmt_int(t.get("input_tokens")),
                fmt_int(t.get("output_tokens")),
                fmt_cost(t.get("cost_usd")),
                fmt_seconds(t.get("latency_s")),
            ]
        )
    total = ep.usage_total
    if total:
        rows.append(
            [
                "<b>total</b>",
                "",
                fmt_int(total.get("calls")),
                fmt_int(total.get("input_tokens")),
                fmt_int(total.get("output_tokens")),
                fmt_cost(total.get("cost_usd")),
                fmt_seconds(total.get("latency_s")),
            ]
        )
    unpriced = usage.get("unpriced") or []
    note = (
        f'<p class="note">No price for {esc(", ".join(map(str, unpriced)))}: counted as $0.</p>'
        if unpriced
        else ""
    )
    body = (
        table(["role", "model", "calls", "input", "output", "cost", "model time"], rows)
        if rows
        else '<p class="note">no model calls recorded</p>'
    )
    return f'<div class="card usage"><h2>Usage</h2>{body}{note}</div>'


def _timings(ep: Episode) -> str:
    timings = _dict(ep.data.get("timings"))
    by_stage = _dict(timings.get("by_stage"))
    rows = [["total", f"<b>{fmt_seconds(ep.duration_s)}</b>"]]
    rows += [
        [f'<span class="swatch st-{esc(k)}"></span>{esc(k)}', fmt_seconds(v)]
        for k, v in _stages(by_stage).items()
    ]
    return (
        f'<div class="card time"><h2>Time</h2>{_stage_bar(_stages(by_stage))}'
        f"{table(['stage', 'seconds'], rows)}</div>"
    )


def _stages(timings: dict[str, Any]) -> dict[str, Any]:
    """Stage timings in the order of a step."""
    ordered = {k: timings[k] for k in STAGES if k in timings}
    ordered.update({k: v for k, v in timings.items() if k not in ordered})
    return ordered


def _stage_bar(by_stage: dict[str, Any]) -> str:
    values = {k: float(v) for k, v in by_stage.items() if isinstance(v, int | float) and v > 0}
    whole = sum(values.values())
    if whole <= 0:
        return ""
    segs = "".join(
        f'<span class="seg st-{esc(k)}" style="width:{100 * v / whole:.2f}%" '
        f'title="{esc(k)} {esc(fmt_seconds(v))}"></span>'
        for k, v in values.items()
    )
    return f'<div class="bar">{segs}</div>'


# --- steps -------------------------------------------------------------------------------


def _step_no(rec: dict[str, Any], fallback: int) -> int:
    n = rec.get("step")
    return n + 1 if isinstance(n, int) and not isinstance(n, bool) else fallback + 1


def _step_nav(ep: Episode) -> str:
    chips = []
    for i, rec in enumerate(ep.steps):
        n = _step_no(rec, i)
        status = str(rec.get("status") or "unknown")
        chips.append(
            f'<a class="chip {esc(status)}" href="#step-{n}" '
            f'title="step {n}: {esc(status)}">{n}</a>'
        )
    return f'<nav class="stepnav" id="stepnav">{"".join(chips)}</nav>'


def _figure(fig: Figure) -> str:
    cap = esc(fig.caption)
    if fig.uri is None:
        return (
            f'<figure class="missing"><div class="hole">{esc(fig.missing)}</div>'
            f"<figcaption>{cap}</figcaption></figure>"
        )
    note = f'<p class="note">{esc(fig.note)}</p>' if fig.note else ""
    return (
        f'<figure><img src="{fig.uri}" alt="{cap}" width="{fig.width}" height="{fig.height}" '
        f'decoding="async"><figcaption>{cap}</figcaption>{note}</figure>'
    )


def _block(cls: str, title: str, body: str) -> str:
    return f'<div class="block {cls}"><h3>{title}</h3>{body}</div>'


def _named(value: Any, elements: dict[str, Any]) -> str:
    """The names of the elements an action targets by index, from the step's `elements`."""
    refs = [value.get(k) for k in ("target", "anchor")] if isinstance(value, dict) else []
    names = [
        _dict(elements.get(str(r["index"]))).get("name")
        for r in refs
        if isinstance(r, dict) and "index" in r
    ]
    return "".join(f' <span class="target">"{esc(n)}"</span>' for n in names if n)


def _action_line(value: Any, elements: dict[str, Any] | None = None) -> str:
    if value is None:
        return '<p class="note">none</p>'
    return (
        f'<p><code class="act">{esc(action_text(value))}</code>{_named(value, elements or {})}</p>'
        f"<details><summary>JSON</summary><pre>{pretty_json(value)}</pre></details>"
    )


def _tac(ep: Episode, rec: dict[str, Any]) -> str:
    tac = rec.get("tac")
    if not isinstance(tac, dict):
        agent = _dict(ep.config.get("agent"))
        why = "not checked"
        if agent.get("use_tac") is False:
            why = "not checked: TAC is off"
        elif _dict(rec.get("action")).get("type") in ("note", "answer", "finish"):
            why = "not checked: the action does not touch the device"
        return _block("tac", "Check (TAC)", f'<p class="note">{why}</p>')
    by = str(tac.get("decided_by") or "?")
    who = {
        "precheck": "decided by the UI-tree pre-check (no model call)",
        "model": "decided by the checker model",
        "unchecked": "unchecked: the checker's replies were unusable, so the action went ahead",
    }.get(by, f"decided by {by}")
    body = (
        f'<p class="verdict">{mark(tac.get("consistent"))} '
        f"{'consistent' if tac.get('consistent') else 'inconsistent'} · {esc(who)}</p>"
        + text_block(tac.get("reason"))
    )
    pre = tac.get("precheck")
    if isinstance(pre, dict):
        score = pre.get("score")
        body += (
            f'<p class="pre">pre-check: {mark(pre.get("consistent"))} {esc(pre.get("reason"))}'
            + (f' · target "{esc(pre.get("element"))}"' if pre.get("element") else "")
            + (f" · score {esc(score)}" if score is not None else "")
            + "</p>"
        )
    return _block("tac", "Check (TAC)", body)


def _correction(rec: dict[str, Any]) -> str:
    cor = rec.get("correction")
    if not isinstance(cor, dict):
        return ""
    body = (
        f"<p>error type: <b>{esc(cor.get('error_type'))}</b></p>"
        + text_block(cor.get("thought"))
        + _action_line(cor.get("action"), _dict(rec.get("elements")))
    )
    return _block("correction", "Correction (ACA)", body)


def _reflection(ep: Episode, rec: dict[str, Any]) -> str:
    ref = rec.get("reflection")
    if not isinstance(ref, dict):
        if _dict(ep.config.get("agent")).get("use_sra") is False:
            return _block("reflection", "Reflection (SRA)", '<p class="note">SRA is off</p>')
        return ""
    worked = "worked" if ref.get("success") else "did not work"
    body = f'<p class="verdict">{mark(ref.get("success"))} {worked}</p>'
    for key in ("analysis", "guidance"):
        if ref.get(key):
            body += f'<p class="label">{key}</p>{text_block(ref.get(key))}'
    if ref.get("lesson"):
        body += f'<p class="label">lesson</p>{text_block(ref.get("lesson"))}'
    return _block("reflection", "Reflection (SRA)", body)


def _costs(rec: dict[str, Any]) -> str:
    ordered = _stages(_dict(rec.get("timings")))
    total = sum(float(v) for v in ordered.values() if isinstance(v, int | float))
    body = ""
    if ordered:
        cells = " · ".join(f"{esc(k)} {fmt_seconds(v)}" for k, v in ordered.items())
        body += f'<p class="stages">{cells} · <b>{fmt_seconds(total)}</b></p>{_stage_bar(ordered)}'
    tokens = _dict(rec.get("tokens"))
    rows = []
    any_rejected = any(_dict(c).get("errors") for c in tokens.values())
    for role, cost in tokens.items():
        c = _dict(cost)
        row = [
            esc(ROLE_NAMES.get(role, role)),
            esc(c.get("model") or ""),
            fmt_int(c.get("input_tokens")),
            fmt_int(c.get("output_tokens")),
            fmt_int(c.get("calls")),
            fmt_int(c.get("attempts")),
            fmt_seconds(c.get("latency_s")),
        ]
        if any_rejected:
            row.append("<br>".join(esc(e) for e in c.get("errors") or []))
        rows.append(row)
    if rows:
        head = ["role", "model", "input", "output", "calls", "attempts", "latency"]
        body += table(head + (["rejected replies"] if any_rejected else []), rows)
    settle = rec.get("settle")
    if isinstance(settle, dict):
        body += (
            f'<p class="note">settle: {"stable" if settle.get("stable") else "not stable"} after '
            f"{fmt_int(settle.get('polls'))} polls, {fmt_seconds(settle.get('waited_s'))}</p>"
        )
    return _block("costs", "Timings and tokens", body) if body else ""


#: UI diffs longer than this many lines start folded.
DIFF_LINES_SHOWN = 12


def _diff(text: str) -> str:
    lines = text.count("\n") + 1
    if lines <= DIFF_LINES_SHOWN:
        return f"<pre>{esc(text)}</pre>"
    return f"<details><summary>{lines} lines</summary><pre>{esc(text)}</pre></details>"


def _step(ep: Episode, i: int, rec: dict[str, Any], figures: list[Figure]) -> str:
    n = _step_no(rec, i)
    status = str(rec.get("status") or "unknown")
    tokens = sum(
        int(_dict(c).get("input_tokens") or 0) + int(_dict(c).get("output_tokens") or 0)
        for c in _dict(rec.get("tokens")).values()
    )
    seconds = sum(
        float(v) for v in _dict(rec.get("timings")).values() if isinstance(v, int | float)
    )
    head = (
        f'<div class="step-head"><h2>Step {n}</h2>{badge(status)}'
        f'<span class="app">{esc(rec.get("app") or "")}</span>'
        f'<span class="when">{esc(rec.get("started") or "")}</span>'
        f'<span class="sum">{fmt_int(tokens)} tokens · {fmt_seconds(seconds)}</span></div>'
    )
    elements = _dict(rec.get("elements"))
    details = [
        _block("thought", "Thought", text_block(rec.get("thought") or "–")),
        _block("action", "Planned action", _action_line(rec.get("action"), elements)),
        _tac(ep, rec),
        _correction(rec),
        _block(
            "executed",
            "Executed",
            _action_line(rec.get("executed"), elements)
            if rec.get("executed") is not None
            else '<p class="note">nothing was carried out</p>',
        ),
        _reflection(ep, rec),
    ]
    if rec.get("ui_diff"):
        details.append(_block("diff", "UI change", _diff(str(rec["ui_diff"]))))
    tips = rec.get("tips") or []
    if tips:
        items = "".join(f"<li>{text_block(t, 'inline')}</li>" for t in tips)
        details.append(_block("tips", "Tips retrieved", f"<ul>{items}</ul>"))
    details.append(_costs(rec))
    errors = rec.get("errors") or []
    retries = rec.get("device_retries") or 0
    if errors or retries:
        items = "".join(f"<li>{text_block(e, 'inline')}</li>" for e in errors)
        extra = f'<p class="note">device retries: {fmt_int(retries)}</p>' if retries else ""
        details.append(_block("errors", "Errors", f'<ul class="errors">{items}</ul>{extra}'))
    shots = "".join(_figure(f) for f in figures)
    return (
        f'<section class="step {esc(status)}" id="step-{n}" data-step="{n}" tabindex="-1">'
        f'{head}<div class="step-body"><div class="shots">{shots}</div>'
        f'<div class="details">{"".join(details)}</div></div></section>'
    )
