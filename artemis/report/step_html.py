"""One step of an episode page, and the pieces the page header shares with it.

A step shows its screenshot with the action drawn (with a badge when the screen could not
be captured), the thought, the planned action (with the names of the elements it targets), the
TAC verdict and who decided it, the correction, the safety gate's verdict (the rule stage's
findings, the guard's reasoning, the confirmation), what was executed, the reflection, the UI
diff, the tips retrieved, timings per stage, tokens per role, and errors. Records are read
defensively: a field of the wrong type shows as missing.
"""

from __future__ import annotations

from typing import Any

from pydantic import ValidationError

from artemis.actions import describe, parse_action
from artemis.report.figures import Figure
from artemis.report.html import (
    as_dict,
    as_list,
    badge,
    esc,
    fmt_int,
    fmt_seconds,
    mark,
    num,
    pretty_json,
    table,
    text_block,
)
from artemis.report.load import Episode
from artemis.roles import TITLES

STAGES = (
    "observe",
    "tips",
    "plan",
    "check",
    "correct",
    "gate",
    "confirm",
    "execute",
    "settle",
    "reflect",
)


def action_text(value: Any) -> str:
    """An action record in words (`tap #5`, `type 'x' into (10,20)`), or its JSON."""
    if not isinstance(value, dict):
        return "–" if value is None else str(value)
    try:
        return describe(parse_action(value))
    except ValidationError:
        return f"unrecognised action {value}"


def stages(timings: dict[str, Any]) -> dict[str, Any]:
    """Stage timings in the order of a step."""
    ordered = {k: timings[k] for k in STAGES if k in timings}
    ordered.update({k: v for k, v in timings.items() if k not in ordered})
    return ordered


def stage_bar(by_stage: dict[str, Any]) -> str:
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


def _step_no(rec: dict[str, Any], fallback: int) -> int:
    n = rec.get("step")
    return n + 1 if isinstance(n, int) and not isinstance(n, bool) else fallback + 1


def step_nav(ep: Episode) -> str:
    chips = []
    for i, rec in enumerate(ep.steps):
        n = _step_no(rec, i)
        status = str(rec.get("status") or "unknown")
        chips.append(
            f'<a class="chip {esc(status)}" href="#step-{n}" '
            f'title="step {n}: {esc(status)}">{n}</a>'
        )
    return f'<nav class="stepnav" id="stepnav">{"".join(chips)}</nav>'


def figure_html(fig: Figure) -> str:
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
        as_dict(elements.get(str(r["index"]))).get("name")
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
        agent = as_dict(ep.config.get("agent"))
        why = "not checked"
        if agent.get("use_tac") is False:
            why = "not checked: TAC is off"
        elif as_dict(rec.get("action")).get("type") in ("note", "answer", "finish"):
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
        + _action_line(cor.get("action"), as_dict(rec.get("elements")))
    )
    return _block("correction", "Correction (ACA)", body)


_OUTCOME = {
    "allowed": ("allowed", "ok"),
    "confirmed": ("confirmed, then run", "warn"),
    "denied": ("not confirmed: not run", "bad"),
    "blocked": ("blocked: not run", "bad"),
    "pending": ("waiting for a confirmation", "warn"),
}


def _safety(ep: Episode, rec: dict[str, Any]) -> str:
    """The safety gate's verdict: who decided, the clause, the rule stage and the guard."""
    gate = rec.get("safety")
    if not isinstance(gate, dict):
        if as_dict(ep.config.get("safety")).get("enabled") is False:
            return _block("safety", "Safety gate", '<p class="note">the gate is off</p>')
        return ""
    label, cls = _OUTCOME.get(str(gate.get("outcome")), (str(gate.get("outcome")), "neutral"))
    who = "the rule stage" if gate.get("decided_by") == "rules" else "the guard model"
    clause = f" · clause {esc(gate['clause'])}" if gate.get("clause") else ""
    category = f" · {esc(gate['category'])}" if gate.get("category") else ""
    body = (
        f'<p class="verdict">{badge(str(gate.get("verdict")), cls)} {esc(label)} · decided by '
        f"{esc(who)}{clause}{category}</p>" + text_block(gate.get("reason"))
    )
    rules = as_dict(gate.get("rules"))
    if rules:
        sure = "sure" if rules.get("sure") else "unsure"
        body += (
            f'<p class="label">rule stage: {esc(rules.get("verdict"))} ({sure})'
            + (f" · clause {esc(rules['clause'])}" if rules.get("clause") else "")
            + "</p>"
        )
        signals = as_list(rules.get("signals"))
        if signals:
            items = "".join(f"<li>{text_block(s, 'inline')}</li>" for s in signals)
            body += f"<ul>{items}</ul>"
    guard = as_dict(gate.get("guard"))
    if guard:
        body += (
            f'<p class="label">guard: {esc(guard.get("verdict"))}'
            + (f" · clause {esc(guard['clause'])}" if guard.get("clause") else "")
            + "</p>"
        )
        if guard.get("analysis"):
            body += text_block(guard.get("analysis"))
    if gate.get("error"):
        body += (
            f'<p class="note">the guard failed, so the gate failed closed: {esc(gate["error"])}</p>'
        )
    conf = as_dict(gate.get("confirmation"))
    if conf:
        by = "the person at the terminal" if conf.get("by") == "terminal" else "safety.on_confirm"
        answer = "yes" if conf.get("approved") else "no"
        body += f'<p class="note">confirmation: {answer}, answered by {esc(by)}</p>'
    return _block("safety", "Safety gate", body)


def _reflection(ep: Episode, rec: dict[str, Any]) -> str:
    ref = rec.get("reflection")
    if not isinstance(ref, dict):
        if as_dict(ep.config.get("agent")).get("use_sra") is False:
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
    ordered = stages(as_dict(rec.get("timings")))
    total = sum(float(v) for v in ordered.values() if isinstance(v, int | float))
    body = ""
    if ordered:
        cells = " · ".join(f"{esc(k)} {fmt_seconds(v)}" for k, v in ordered.items())
        body += f'<p class="stages">{cells} · <b>{fmt_seconds(total)}</b></p>{stage_bar(ordered)}'
    tokens = as_dict(rec.get("tokens"))
    rows = []
    any_rejected = any(as_dict(c).get("errors") for c in tokens.values())
    for role, cost in tokens.items():
        c = as_dict(cost)
        row = [
            esc(TITLES.get(role, role)),
            esc(c.get("model") or ""),
            fmt_int(c.get("input_tokens")),
            fmt_int(c.get("output_tokens")),
            fmt_int(c.get("calls")),
            fmt_int(c.get("attempts")),
            fmt_seconds(c.get("latency_s")),
        ]
        if any_rejected:
            row.append("<br>".join(esc(e) for e in as_list(c.get("errors"))))
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


#: Above the screens of a step whose screenshot came back blank (`screen_blank`).
BLANK_BADGE = (
    '<p class="blank" title="the screenshot is a black placeholder (the app forbids '
    'screenshots, or the capture came back empty); the agent went by the UI tree">'
    f"{badge('screen not captured', 'warn')}</p>"
)

#: UI diffs longer than this many lines start folded.
DIFF_LINES_SHOWN = 12


def _diff(text: str) -> str:
    lines = text.count("\n") + 1
    if lines <= DIFF_LINES_SHOWN:
        return f"<pre>{esc(text)}</pre>"
    return f"<details><summary>{lines} lines</summary><pre>{esc(text)}</pre></details>"


def render_step(ep: Episode, i: int, rec: dict[str, Any], figures: list[Figure]) -> str:
    n = _step_no(rec, i)
    status = str(rec.get("status") or "unknown")
    tokens = sum(
        num(as_dict(c).get("input_tokens")) + num(as_dict(c).get("output_tokens"))
        for c in as_dict(rec.get("tokens")).values()
    )
    seconds = sum(
        float(v) for v in as_dict(rec.get("timings")).values() if isinstance(v, int | float)
    )
    head = (
        f'<div class="step-head"><h2>Step {n}</h2>{badge(status)}'
        f'<span class="app">{esc(rec.get("app") or "")}</span>'
        f'<span class="when">{esc(rec.get("started") or "")}</span>'
        f'<span class="sum">{fmt_int(tokens)} tokens · {fmt_seconds(seconds)}</span></div>'
    )
    elements = as_dict(rec.get("elements"))
    details = [
        _block("thought", "Thought", text_block(rec.get("thought") or "–")),
        _block("action", "Planned action", _action_line(rec.get("action"), elements)),
        _tac(ep, rec),
        _correction(rec),
        _safety(ep, rec),
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
    tips = as_list(rec.get("tips"))
    if tips:
        items = "".join(f"<li>{text_block(t, 'inline')}</li>" for t in tips)
        details.append(_block("tips", "Tips retrieved", f"<ul>{items}</ul>"))
    details.append(_costs(rec))
    errors = as_list(rec.get("errors"))
    retries = rec.get("device_retries") if isinstance(rec.get("device_retries"), int) else 0
    if errors or retries:
        items = "".join(f"<li>{text_block(e, 'inline')}</li>" for e in errors)
        extra = f'<p class="note">device retries: {fmt_int(retries)}</p>' if retries else ""
        details.append(_block("errors", "Errors", f'<ul class="errors">{items}</ul>{extra}'))
    shots = "".join(figure_html(f) for f in figures)
    if rec.get("screen_blank") is True:
        shots = BLANK_BADGE + shots
    return (
        f'<section class="step {esc(status)}" id="step-{n}" data-step="{n}" tabindex="-1">'
        f'{head}<div class="step-body"><div class="shots">{shots}</div>'
        f'<div class="details">{"".join(details)}</div></div></section>'
    )
