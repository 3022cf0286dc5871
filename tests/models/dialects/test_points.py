"""The grounding-answer parser, on every form it accepts and on answers it must refuse."""

from __future__ import annotations

import pytest

from artemis.errors import ModelResponseError
from artemis.models.dialects import ARTEMIS, GroundedPoint
from artemis.models.dialects.points import parse_point


@pytest.mark.parametrize(
    ("answer", "x", "y", "space"),
    [
        ("(540, 1200)", 540, 1200, None),
        ("The element is at (540, 1200).", 540, 1200, None),
        ("[540, 1200]", 540, 1200, None),
        ('{"coordinate": [540, 1200]}', 540, 1200, None),
        ('```json\n{"point_2d": [540, 1200], "label": "Send"}\n```', 540, 1200, None),
        ('[{"point_2d": [540, 1200], "label": "Send"}]', 540, 1200, None),
        ('{"bbox_2d": [500, 1100, 580, 1300]}', 540, 1200, None),
        ('{"x": 540, "y": 1200}', 540, 1200, None),
        ('{"action": "click", "coordinate": [540, 1200]}', 540, 1200, None),
        ('{"name": "click", "arguments": {"x": 540, "y": 1200}}', 540, 1200, None),
        ("<point>540 1200</point>", 540, 1200, None),
        ("<point>(540,1200)</point>", 540, 1200, None),
        ("<point>[540, 1200]</point>", 540, 1200, None),
        ("<bbox>500 1100 580 1300</bbox>", 540, 1200, None),
        ("<|box_start|>(500,1100),(580,1300)<|box_end|>", 540, 1200, None),
        ("<|box_start|>(540,1200)<|box_end|>", 540, 1200, None),
        ("click(x=540, y=1200)", 540, 1200, None),
        ("pyautogui.click(x=540.0, y=1200.0)", 540, 1200, None),
        ("x: 540, y: 1200", 540, 1200, None),
        ("click(start_box='(540,1200)')", 540, 1200, None),
        ("click(start_box='[500,1100,580,1300]')", 540, 1200, None),
        ("click(start_box='<|box_start|>(540,1200)<|box_end|>')", 540, 1200, None),
        (
            "Thought: the send button is at (10, 10) on the left.\n"
            "Action: click(start_box='(540,1200)')",
            540,
            1200,
            None,
        ),
        ("[500, 1100, 580, 1300]", 540, 1200, None),
        ("(500, 1100, 580, 1300)", 540, 1200, None),
        ("540, 1200", 540, 1200, None),
        ("540 1200", 540, 1200, None),
        ("<think>maybe (1, 2)? no.</think>(540, 1200)", 540, 1200, None),
        ("it is (1,2)... </think> (540, 1200)", 540, 1200, None),
        ("<thinking>[7, 7]</thinking>\n[540, 1200]", 540, 1200, None),
        ("(0.25, 0.5)", 0.25, 0.5, "norm1"),
        ('{"coordinate": [0.25, 0.5]}', 0.25, 0.5, "norm1"),
        ("[0.2, 0.4, 0.3, 0.6]", 0.25, 0.5, "norm1"),
        ('<point x="25.0" y="50.0" alt="Send">Send</point>', 0.25, 0.5, "norm1"),
        ("(0, 1)", 0, 1, None),  # integers are pixels (or the model's own space)
        ("(1.5, 0.5)", 1.5, 0.5, None),  # one value above 1: not normalised
    ],
)
def test_every_answer_form_gives_its_point(
    answer: str, x: float, y: float, space: str | None
) -> None:
    p = parse_point(answer)
    assert (p.x, p.y) == pytest.approx((x, y))
    assert p.space == space


@pytest.mark.parametrize(
    "answer",
    [
        "",
        "I cannot find that element.",
        "The button at the top",
        "(540)",
        "[1, 2, 3]",
        '{"label": "Send"}',
        "<point></point>",
        "<think>(1, 2)</think>",
        # Numbers that are not finite are no point:
        "(" + "9" * 400 + ", 5)",  # beyond a float: infinity
        '{"coordinate": [NaN, 5]}',
        '{"x": Infinity, "y": 5}',
        "[1e999, 5, 7, 9]",
    ],
)
def test_answers_without_a_point_are_wrong_format(answer: str) -> None:
    with pytest.raises(ModelResponseError, match="no point found"):
        parse_point(answer)


def parse_tap(answer: str) -> GroundedPoint:
    """A grounding answer read as the Manager's tap (`bench screenspot --as-manager`)."""
    return ARTEMIS.tap_point(answer)


def test_a_tag_without_its_close_does_not_hide_a_later_point() -> None:
    assert parse_point("<point>" * 5000 + " (10, 20)").x == 10
    assert parse_point("<think>" * 5000 + " (10, 20)").y == 20
    assert parse_point("(1" + " " * 50_000 + "x) and then (10, 20)").x == 10


def test_the_manager_tap_gives_its_point() -> None:
    answer = '{"thought": "tap Send", "action": {"type": "tap", "target": {"x": 540, "y": 1200}}}'
    p = parse_tap(answer)
    assert (p.x, p.y, p.space, p.form) == (540, 1200, None, "tap")
    long_press = '{"action": {"type": "long_press", "target": {"x": 5, "y": 6}}}'
    assert (parse_tap(long_press).x, parse_tap(long_press).y) == (5, 6)


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        ('{"thought": "t", "action": {"type": "press", "key": "back"}}', "expected a tap"),
        ('{"action": {"type": "tap", "target": {"index": 3}}}', "names an element"),
        ('{"action": {"type": "tap", "target": {"x": 1}}}', "numeric x and y"),
        ('{"action": {"type": "tap", "target": {"x": 1, "y": 2, "index": 3}}}', "names an"),
        ("tap at (5, 6)", "no JSON"),
    ],
)
def test_manager_answers_that_are_not_a_point_tap_are_wrong_format(
    answer: str, message: str
) -> None:
    with pytest.raises(ModelResponseError, match=message):
        parse_tap(answer)
