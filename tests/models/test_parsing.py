"""Replies as hostile input: every malformed reply is a `ModelResponseError`, in linear time."""

from __future__ import annotations

import math
from typing import Any

import pytest
from pydantic import BaseModel

from artemis.errors import ModelResponseError
from artemis.models import parsing
from artemis.models.parsing import MAX_REPLY_CHARS, MAX_STARTS, extract_json, parse_reply


class Point(BaseModel):
    x: int
    y: int


def test_deep_nesting_is_a_response_error_not_a_recursion_error() -> None:
    deep = "[" * 100_000 + "]" * 100_000
    with pytest.raises(ModelResponseError, match="no JSON"):
        extract_json(deep)
    with pytest.raises(ModelResponseError):
        extract_json('{"a": ' * 50_000 + "1" + "}" * 50_000)


def test_an_integer_of_thousands_of_digits_is_read_as_a_number() -> None:
    huge = "9" * 5000
    assert extract_json(f'{{"x": {huge}, "y": 2}}') == {"x": math.inf, "y": 2}
    assert extract_json(f'{{"x": -{huge}}}') == {"x": -math.inf}
    with pytest.raises(ModelResponseError, match="Point schema"):
        parse_reply(f'{{"x": {huge}, "y": 2}}', Point)
    assert extract_json('{"x": 12345678901234567890}') == {"x": 12345678901234567890}


def test_a_long_reply_is_read_only_up_to_the_cap() -> None:
    reply = '{"a": 1}' + " blah" * 600_000  # 3 MB of chatter after the JSON
    assert extract_json(reply) == {"a": 1}
    tail = "x" * (MAX_REPLY_CHARS + 10) + '{"a": 1}'  # the JSON lies beyond the cap
    with pytest.raises(ModelResponseError, match="only the first 100,000 of its"):
        extract_json(tail)


@pytest.mark.parametrize(
    "reply",
    [
        '{"a": [' * 100_000,  # 700 KB of openings that never close
        "[" * 600_000,
        '{"k": {"k": 1, ' * 40_000,
        "<think>" * 100_000 + "{",
        "```" + " " * 300_000,
    ],
)
def test_repetitive_replies_try_a_bounded_number_of_starts(
    reply: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[int] = []
    decode = parsing._decode

    def counting(text: str, start: int = 0) -> tuple[Any, int] | None:
        calls.append(start)
        return decode(text, start)

    monkeypatch.setattr(parsing, "_decode", counting)
    with pytest.raises(ModelResponseError):
        extract_json(reply)
    assert len(calls) <= MAX_STARTS + 1


def test_json_after_an_unclosed_thinking_tag_is_still_found() -> None:
    assert extract_json("<think>" * 10_000 + ' so: {"a": 1}') == {"a": 1}
    assert extract_json('<THINK>{"a": 2}</think>{"a": 1}') == {"a": 1}


def test_nan_and_infinity_come_through_for_the_caller_to_reject() -> None:
    data = extract_json('{"x": NaN, "y": Infinity}')
    assert math.isnan(data["x"]) and data["y"] == math.inf


def test_clip_says_how_much_was_left_out() -> None:
    assert parsing.clip("abc", 5) == "abc"
    assert parsing.clip("a" * 12, 5) == "aaaaa[... 7 more characters not shown]"
