"""Turning a model's reply text into a validated object.

Models wrap JSON in prose, code fences or thinking tags. `extract_json` finds the first JSON
object or array in the text; `parse_reply` validates it against a pydantic schema and raises
`ModelResponseError` with a message meant to be shown back to the model.
"""

from __future__ import annotations

import json
import re
from typing import Any, TypeVar

from pydantic import BaseModel, ValidationError

from artemis.errors import ModelResponseError

T = TypeVar("T", bound=BaseModel)

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def extract_json(text: str) -> Any:
    """The first JSON value (object or array) in `text`; raises `ModelResponseError`."""
    cleaned = _THINK.sub("", text).strip()
    candidates = [m.group(1).strip() for m in _FENCE.finditer(cleaned)] + [cleaned]
    decoder = json.JSONDecoder()
    for candidate in candidates:
        try:
            return json.loads(candidate)
        except json.JSONDecodeError:
            pass
        for i, ch in enumerate(candidate):
            if ch in "{[":
                try:
                    value, _ = decoder.raw_decode(candidate, i)
                except json.JSONDecodeError:
                    continue
                return value
    snippet = text.strip().replace("\n", " ")[:200]
    raise ModelResponseError(f"the reply contains no JSON object: {snippet!r}", raw=text)


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
