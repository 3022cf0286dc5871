"""The page of one episode: header (task, outcome, benchmark case, configuration, usage,
time, lessons) and every step (`artemis.report.step_html`), with keyboard navigation."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from artemis.report.figures import Figure
from artemis.report.html import (
    as_dict,
    as_list,
    badge,
    esc,
    fmt_cost,
    fmt_int,
    fmt_seconds,
    kv,
    mark,
    page,
    score_badge,
    table,
    text_block,
)
from artemis.report.load import Episode
from artemis.report.step_html import (
    figure_html,
    render_step,
    stage_bar,
    stages,
    step_nav,
)
from artemis.roles import ROLES, TITLES

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
        parts.append(step_nav(ep))
        parts.append('<main id="steps">')
        parts.extend(
            render_step(ep, i, rec, figs)
            for i, (rec, figs) in enumerate(zip(ep.steps, steps, strict=True))
        )
        parts.append("</main>")
    else:
        parts.append('<p class="empty">No step was recorded.</p>')
    if unrecorded:
        figs = "".join(figure_html(f) for f in unrecorded)
        parts.append(
            '<section class="final unrecorded"><h2>Unfinished step</h2>'
            f'<p class="note">The episode stopped during this step.</p>{figs}</section>'
        )
    if final is not None:
        parts.append(f'<section class="final"><h2>Final screen</h2>{figure_html(final)}</section>')
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
        errs = "; ".join(str(e) for e in as_list(ep.data.get("errors"))) or "no error recorded"
        lines.append(
            f'<p class="banner bad">The episode crashed: {esc(errs)}. The steps recorded '
            "before the crash are shown below.</p>"
        )
    elif ep.status == "interrupted":
        lines.append(
            '<p class="banner warn">The episode was interrupted (Ctrl-C) before it ended. '
            "The steps it finished are shown below.</p>"
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
    lessons = [as_dict(x) for x in as_list(ep.data.get("lessons"))]
    if lessons:
        rows = [
            [
                fmt_int(x["step"] + 1) if isinstance(x.get("step"), int) else "–",
                esc(x.get("app")),
                text_block(x.get("text"), "inline"),
                "duplicate" if x.get("duplicate") else esc(x.get("id") or ""),
            ]
            for x in lessons
        ]
        blocks.append(
            '<div class="card"><h2>Lessons proposed</h2>'
            + table(["step", "app", "lesson", "tip"], rows)
            + "</div>"
        )
    errors = as_list(ep.data.get("errors"))
    if errors and ep.status not in ("crashed", "interrupted"):
        items = "".join(f"<li>{text_block(e, 'inline')}</li>" for e in errors)
        blocks.append(
            f'<div class="card"><h2>Episode errors</h2><ul class="errors">{items}</ul></div>'
        )
    return f'<section class="summary">{"".join(blocks)}</section>'


def _config(ep: Episode) -> str:
    cfg = ep.config
    models = as_dict(cfg.get("models"))
    agent = as_dict(cfg.get("agent"))
    rows = [[esc(TITLES.get(r, r)), esc(models.get(r, "–"))] for r in ROLES if r in models]
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
    usage = as_dict(ep.data.get("usage"))
    models = as_dict(ep.config.get("models"))
    by_role = as_dict(usage.get("by_role"))
    order = [r for r in ROLES if r in by_role] + [r for r in by_role if r not in ROLES]
    rows = []
    for role in order:
        tally = by_role[role]
        t = as_dict(tally)
        rows.append(
            [
                esc(TITLES.get(role, role)),
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
    timings = as_dict(ep.data.get("timings"))
    by_stage = as_dict(timings.get("by_stage"))
    rows = [["total", f"<b>{fmt_seconds(ep.duration_s)}</b>"]]
    rows += [
        [f'<span class="swatch st-{esc(k)}"></span>{esc(k)}', fmt_seconds(v)]
        for k, v in stages(by_stage).items()
    ]
    return (
        f'<div class="card time"><h2>Time</h2>{stage_bar(stages(by_stage))}'
        f"{table(['stage', 'seconds'], rows)}</div>"
    )
