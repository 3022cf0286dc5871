"""Escaping of typed text, checked against the device's own rules (the sim implements them)."""

from __future__ import annotations

import base64
import shlex

import pytest
from hypothesis import given
from hypothesis import strategies as st

from artemis.device.text import (
    adb_keyboard_command,
    clipper_set_command,
    input_text_chunks,
    input_text_commands,
    typeable,
)
from artemis.sim.shell.screen_cmds import decode_input_text

PRINTABLE = st.text(alphabet=st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1)


@given(PRINTABLE)
def test_chunks_decode_back_to_the_text(text: str) -> None:
    chunks = input_text_chunks(text)
    assert all(" " not in c for c in chunks)  # one argument each
    assert "".join(decode_input_text(c) for c in chunks) == text


@given(PRINTABLE)
def test_each_command_is_one_quoted_argument(text: str) -> None:
    for line, chunk in zip(input_text_commands(text), input_text_chunks(text), strict=True):
        assert shlex.split(line) == ["input", "text", chunk]


@pytest.mark.parametrize(
    ("text", "chunks"),
    [
        ("a b", ["a%sb"]),
        ("100%", ["100%"]),
        ("50% off", ["50%%soff"]),
        ("say %s", ["say%s%", "s"]),
        ("%s%s", ["%", "s%", "s"]),
    ],
)
def test_percent_s_is_split_across_calls(text: str, chunks: list[str]) -> None:
    assert input_text_chunks(text) == chunks


def test_non_ascii_is_not_typeable() -> None:
    assert typeable("plain ASCII ~!@#$%^&*()")
    assert not typeable("caf\u00e9")
    assert not typeable("two\nlines")
    with pytest.raises(ValueError):
        input_text_commands("\U0001f600")


@given(st.text(min_size=1))
def test_fallback_commands_quote_any_text(text: str) -> None:
    words = shlex.split(clipper_set_command(text))
    assert words == ["am", "broadcast", "-a", "clipper.set", "-e", "text", text]
    words = shlex.split(adb_keyboard_command(text))
    assert base64.b64decode(words[-1]).decode("utf-8") == text
