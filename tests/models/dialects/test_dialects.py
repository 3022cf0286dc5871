"""Each dialect writes and reads its own format back; hostile replies end in a clear
`ModelResponseError`, never another exception; the registry and the settings choose them."""

from __future__ import annotations

import contextlib
from typing import Any

import pytest
from pydantic import ValidationError

from artemis.agent import HeuristicPolicy
from artemis.config import Settings
from artemis.errors import ModelConfigError, ModelResponseError, TargetError
from artemis.models.coords import ImageFrame
from artemis.models.dialects import (
    ARTEMIS,
    DIALECTS,
    Dialect,
    choose,
    get_dialect,
    role_coords,
)
from artemis.models.dialects.convert import same_action, to_device
from artemis.models.dialects.text import MAX_REPLY_CHARS
from artemis.models.testing import ScriptedModel

NAMES = list(DIALECTS)
FRAME = ImageFrame(1080, 2400, 1080, 2400)


def _space(d: Dialect) -> str:
    return d.coords or "pixels"


def _pt(d: Dialect, x: float, y: float) -> dict[str, float]:
    if _space(d) == "norm1":
        return {"x": round(x / 1000, 3), "y": round(y / 1000, 3)}
    return {"x": x, "y": y}


def _actions(d: Dialect) -> list[dict[str, Any]]:
    return [
        {"type": "tap", "target": _pt(d, 250, 500)},
        {"type": "double_tap", "target": _pt(d, 250, 500)},
        {"type": "long_press", "target": _pt(d, 250, 500), "duration_ms": 1000},
        {"type": "swipe", "start": _pt(d, 500, 800), "end": _pt(d, 500, 200)},
        {"type": "scroll", "direction": "down"},
        {"type": "type", "text": "hello 'world'\n \"quoted\""},
        {"type": "type", "text": "sent", "submit": True},
        {"type": "type", "text": "hello"},
        {"type": "type", "text": "replaced", "clear_first": True},
        {"type": "press", "key": "back"},
        {"type": "press", "key": "home"},
        {"type": "press", "key": "enter"},
        {"type": "open_app", "app": "Settings"},
        {"type": "wait"},
        {"type": "answer", "text": "42"},
        {"type": "finish", "status": "success"},
        {"type": "finish", "status": "failure"},
    ]


@pytest.mark.parametrize("name", NAMES)
def test_what_a_dialect_writes_it_reads_back(name: str) -> None:
    d = get_dialect(name)
    written = []
    for action in _actions(d):
        if not d.can_express(action):  # written and read back as the same action
            continue
        rendered = d.render("I do the next step.", action)
        reply = d.parse(rendered.text, rendered.tool_calls)
        assert same_action(reply.action, action), (rendered, reply.action)
        assert reply.thought.startswith("I do the next step.") or not reply.thought  # (SeeClick)
        written.append(action["type"])
    # Every family taps, types and ends a task; most do far more.
    assert {"tap", "type", "finish"} <= set(written) or {"tap", "type", "answer"} <= set(written)
    assert len(written) >= 6, f"{name} writes only {written}"


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize(
    "hostile",
    [
        "",
        "   \n\t",
        "x" * (MAX_REPLY_CHARS + 1),
        "(" * 60_000,
        "[" * 60_000,
        '{"a": ' * 10_000,
        "click(" * 5_000,
        "<tool_call>" * 5_000,
        "Action: click(start_box='(" + "9" * 5_000 + ",1)')",
        '{"thought": "t", "action": {"type": "tap", "target": {"x": 1e999, "y": 5}}}',
        "Thought: ok\nAction: hotkey(key='ctrl c')",
        '<tool_call>{"name": "mobile_use", "arguments": {"action": "teleport"}}</tool_call>',
        "\x00\x01\x02 \ud800",
    ],
    ids=lambda s: repr(s[:24]),
)
def test_hostile_replies_are_clear_errors_or_actions_that_convert_safely(
    name: str, hostile: str
) -> None:
    d = get_dialect(name)
    try:
        reply = d.parse(hostile)
    except ModelResponseError as exc:
        assert len(str(exc)) < 2_000  # the message goes back to the model: bounded
        return
    space = reply.coords or _space(d)
    with contextlib.suppress(ModelResponseError, TargetError):
        to_device(reply.action, space, FRAME)  # type: ignore[arg-type]


@pytest.mark.parametrize("name", NAMES)
@pytest.mark.parametrize("bad", ["NaN", "Infinity", "-5", "1e999"])
def test_points_that_are_not_on_the_screen_never_reach_the_device(name: str, bad: str) -> None:
    d = get_dialect(name)
    tap = {"type": "tap", "target": _pt(d, 120, 456)}
    if not d.can_express(tap):
        pytest.skip(f"{name} cannot write a tap on a point")
    rendered = d.render("tap", tap)
    written = rendered.text + "".join(c.arguments for c in rendered.tool_calls)
    # x as the dialect writes it: the number, or a box's edges (CogAgent: x - 2, x + 2).
    xs = [v for v in (str(_pt(d, 120, 456)["x"]), "118", "122") if v in written]
    assert xs, written
    text = rendered.text
    calls = list(rendered.tool_calls)
    for x in xs:
        text = text.replace(x, bad)
        calls = [type(c)(c.name, c.arguments.replace(x, bad), c.id) for c in calls]
    try:
        reply = d.parse(text, calls)
        to_device(reply.action, reply.coords or _space(d), FRAME)  # type: ignore[arg-type]
    except (ModelResponseError, TargetError) as exc:
        assert str(exc)
    else:
        pytest.fail(f"{name} let {bad} through: {text!r}")


def test_an_unknown_dialect_name_suggests_the_closest() -> None:
    with pytest.raises(ModelConfigError, match=r"Did you mean 'ui-tars-1\.5'"):
        get_dialect("ui-tars1.5")
    with pytest.raises(ValidationError, match=r"unknown dialect 'qwen-vl2\.5'"):
        Settings.model_validate({"models": {"dialect": "qwen-vl2.5"}})
    assert Settings.model_validate({"models": {"dialect": "GUI-Owl"}}).models.dialect == "gui-owl"


def test_the_settings_choose_per_role_and_offline_policies_keep_their_own() -> None:
    qwen = ScriptedModel([], name="openai:Qwen2.5-VL-72B-Instruct")
    unknown = ScriptedModel([], name="openai:gpt-4o")
    auto = Settings()
    assert choose(qwen, auto).name == "qwen2.5-vl"
    assert choose(qwen, auto, "aca").name == "qwen2.5-vl"
    assert choose(qwen, auto, "tac") is ARTEMIS  # TAC and SRA always speak artemis JSON
    assert choose(unknown, auto) is ARTEMIS
    assert choose(HeuristicPolicy(), auto) is ARTEMIS
    pinned = Settings.model_validate(
        {"models": {"dialect": "ui-tars-1.5", "dialects": {"aca": "artemis"}}}
    )
    assert choose(unknown, pinned).name == "ui-tars-1.5"
    assert choose(unknown, pinned, "aca") is ARTEMIS
    assert choose(HeuristicPolicy(), pinned) is ARTEMIS


def test_the_space_is_the_settings_then_the_dialect_then_the_model() -> None:
    doubao = ScriptedModel([], name="openai:doubao-1.5-ui-tars-250328")
    plain = ScriptedModel([], name="x", coords="norm1000")
    auto = Settings()
    assert role_coords(get_dialect("ui-tars-1.5"), doubao, auto) == "norm1000"
    assert role_coords(get_dialect("ui-tars-1.5"), plain, auto) == "pixels"
    assert role_coords(ARTEMIS, plain, auto) == "norm1000"
    fixed = Settings.model_validate({"models": {"coords": "norm999"}})
    assert role_coords(get_dialect("ui-tars-1.5"), plain, fixed) == "norm999"
