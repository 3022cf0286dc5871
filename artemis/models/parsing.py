"""Turning a model's reply text into a validated object.

Models wrap JSON in prose, code fences or thinking tags. `extract_json` finds the first JSON
object or array in the text; `parse_reply` validates it against a pydantic schema and raises
`ModelResponseError` with a message meant to be shown back to the model.

A reply is hostile input: a server gone wrong can send megabytes, nesting thousands deep or
numbers of thousands of digits. Every such reply ends in `ModelResponseError`, and the time
spent on one grows linearly with its length:

- only the first `MAX_REPLY_CHARS` characters are read;
- thinking blocks and code fences are found with plain searches, never a regular expression
  that backtracks;
- inside prose, at most `MAX_STARTS` positions are tried as the start of the JSON;
- integers too long for Python to convert become floats (infinite when absurd), so that the
  schema or the coordinate check rejects them with a message, not a crash.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from artemis.errors import ModelResponseError

T = TypeVar("T", bound=BaseModel)

#: The longest reply read: an agent's reply is a few thousand characters; what lies beyond
#: this is never looked at.
MAX_REPLY_CHARS = 100_000
#: How many `{` / `[` positions in prose are tried as the start of the JSON value.
MAX_STARTS = 64
#: Integers with more digits than this are read as floats (Python refuses to convert an
#: integer string of more than 4,300 digits; no coordinate needs 20).
_MAX_INT_DIGITS = 20
#: The thinking tags models put around their reasoning.
THINK_TAGS = ("think",)
_FENCE = "```"


def _parse_int(text: str) -> int | float:
    return int(text) if len(text.lstrip("-")) <= _MAX_INT_DIGITS else float(text)


_DECODER = json.JSONDecoder()
# Slower (a Python call per integer): only for the rare reply the fast decoder refuses.
_BIG_INT_DECODER = json.JSONDecoder(parse_int=_parse_int)
_STARTS = re.compile(r"[{\[]")


def clip(text: str, limit: int = MAX_REPLY_CHARS) -> str:
    """`text` cut to `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}[... {len(text) - limit:,} more characters not shown]"


def strip_thinking(text: str, tags: tuple[str, ...] = THINK_TAGS, *, sep: str = "") -> str:
    """`text` with each `<tag>...</tag>` block (tags matched case-insensitively) replaced by
    `sep`."""
    names = "|".join(re.escape(t) for t in tags)
    opening = re.compile(rf"<({names})>", re.IGNORECASE)
    pieces: list[str] = []
    pos = 0
    while (start := opening.search(text, pos)) is not None:
        close = re.compile(rf"</{re.escape(start.group(1))}>", re.IGNORECASE)
        end = close.search(text, start.end())
        if end is None:
            # Searching on from the next opening tag would scan the same tail again.
            break
        pieces.append(text[pos : start.start()])
        pos = end.end()
    pieces.append(text[pos:])
    return sep.join(pieces)


def _fenced_blocks(text: str) -> Iterator[str]:
    """The bodies of the ```-fenced blocks in `text` (a `json` language tag dropped)."""
    pos = 0
    while (start := text.find(_FENCE, pos)) >= 0:
        end = text.find(_FENCE, start + len(_FENCE))
        if end < 0:
            return
        body = text[start + len(_FENCE) : end]
        if body[:4] in ("json", "JSON"):
            body = body[4:]
        yield body.strip()
        pos = end + len(_FENCE)


def _decode(text: str, start: int = 0) -> tuple[Any, int] | None:
    """The JSON value at `start` and where it ends, or None when there is none."""
    try:
        return _DECODER.raw_decode(text, start)
    except (json.JSONDecodeError, RecursionError):
        return None
    except ValueError:  # an integer too long for int(): read it as a float instead
        pass
    try:
        return _BIG_INT_DECODER.raw_decode(text, start)
    except (ValueError, RecursionError):
        return None


def _first_value(candidate: str) -> tuple[bool, Any]:
    found = _decode(candidate)
    if found is not None and not candidate[found[1] :].strip():
        return True, found[0]  # the whole candidate is one JSON value
    for tries, start in enumerate(_STARTS.finditer(candidate)):
        if tries == MAX_STARTS:
            break
        found = _decode(candidate, start.start())
        if found is not None:
            return True, found[0]
    return False, None


def extract_json(text: str) -> Any:
    """The first JSON value (object or array) in `text`; raises `ModelResponseError`."""
    read = text[:MAX_REPLY_CHARS]
    cleaned = strip_thinking(read).strip()
    for candidate in (*_fenced_blocks(cleaned), cleaned):
        ok, value = _first_value(candidate)
        if ok:
            return value
    snippet = read[:400].strip().replace("\n", " ")[:200]
    cut = ""
    if len(text) > MAX_REPLY_CHARS:
        cut = f" (only the first {MAX_REPLY_CHARS:,} of its {len(text):,} characters were read)"
    raise ModelResponseError(f"the reply contains no JSON object{cut}: {snippet!r}", raw=text)


def parse_reply(text: str, schema: type[T]) -> T:
    """Validate the JSON in `text` against `schema`; errors are phrased for the model."""
    data = extract_json(text)
    try:
        return schema.model_validate(data)
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or '(root)'}: {err['msg']}"
            for err in exc.errors()[:8]
        )
        raise ModelResponseError(
            f"the reply does not fit the {schema.__name__} schema: {problems}", raw=text
        ) from exc
