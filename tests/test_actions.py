"""The action union: validation, unrepresentable combinations, schema, point mapping."""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import ValidationError

from artemis.actions import (
    ElementTarget,
    Finish,
    PointTarget,
    Scroll,
    Swipe,
    Tap,
    TypeText,
    action_json_schema,
    describe,
    is_terminal,
    map_points,
    parse_action,
)


def test_tap_accepts_a_point_or_an_index() -> None:
    assert parse_action({"type": "tap", "target": {"x": 10, "y": 20}}) == Tap(
        target=PointTarget(x=10, y=20)
    )
    assert parse_action('{"type": "tap", "target": {"index": 3}}') == Tap(
        target=ElementTarget(index=3)
    )


def test_a_target_with_both_a_point_and_an_index_is_unrepresentable() -> None:
    with pytest.raises(ValidationError):
        parse_action({"type": "tap", "target": {"x": 1, "y": 2, "index": 3}})
    with pytest.raises(ValidationError):
        PointTarget(x=1, y=2, index=3)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    "bad",
    [
        {"type": "tap"},
        {"type": "tap", "target": {"x": -1, "y": 2}},
        {"type": "teleport", "target": {"x": 1, "y": 2}},
        {"type": "press", "key": "power"},
        {"type": "finish", "status": "maybe"},
        {"type": "type", "text": ""},
        {"type": "wait", "seconds": 0},
        {"type": "scroll", "direction": "sideways"},
        {"type": "tap", "target": {"x": 1, "y": 2}, "extra": True},
    ],
)
def test_invalid_actions_are_rejected(bad: dict[str, object]) -> None:
    with pytest.raises(ValidationError):
        parse_action(bad)


def test_every_action_type_round_trips_through_json() -> None:
    samples: list[dict[str, Any]] = [
        {"type": "tap", "target": {"x": 1, "y": 2}},
        {"type": "double_tap", "target": {"index": 0}},
        {"type": "long_press", "target": {"x": 5, "y": 5}, "duration_ms": 1000},
        {"type": "swipe", "start": {"x": 0, "y": 0}, "end": {"x": 9, "y": 9}, "duration_ms": 200},
        {"type": "scroll", "direction": "down", "anchor": {"index": 2}},
        {"type": "type", "text": "hi; rm -rf /", "target": {"index": 1}, "clear_first": True},
        {"type": "clear_text"},
        {"type": "press", "key": "app_switch"},
        {"type": "open_app", "app": "Settings"},
        {"type": "wait", "seconds": 2},
        {"type": "note", "text": "price is 4"},
        {"type": "answer", "text": "42"},
        {"type": "finish", "status": "infeasible", "reason": "no such app"},
    ]
    types = set()
    for sample in samples:
        action = parse_action(sample)
        assert parse_action(action.model_dump_json()) == action
        types.add(action.type)
        assert describe(action)
    assert len(types) == 13


def test_schema_is_a_discriminated_union_usable_in_prompts() -> None:
    schema = action_json_schema()
    assert schema["discriminator"]["propertyName"] == "type"
    assert set(schema["discriminator"]["mapping"]) >= {"tap", "scroll", "finish", "answer"}
    json.dumps(schema)  # serialisable


def test_terminal_actions() -> None:
    assert is_terminal(Finish(status="success"))
    assert is_terminal(parse_action({"type": "answer", "text": "x"}))
    assert not is_terminal(Tap(target=PointTarget(x=1, y=1)))


def test_map_points_converts_every_point_and_leaves_indices() -> None:
    def double(x: int, y: int) -> tuple[int, int]:
        return (2 * x, 2 * y)

    swipe = Swipe(start=PointTarget(x=1, y=2), end=PointTarget(x=3, y=4))
    out = map_points(swipe, double)
    assert isinstance(out, Swipe)
    assert (out.start, out.end) == (PointTarget(x=2, y=4), PointTarget(x=6, y=8))
    typed = TypeText(text="a", target=ElementTarget(index=4))
    assert map_points(typed, double) == typed
    scroll = Scroll(direction="up", anchor=PointTarget(x=5, y=6))
    assert map_points(scroll, double) == Scroll(direction="up", anchor=PointTarget(x=10, y=12))
