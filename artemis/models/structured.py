"""Structured output for OpenAI-compatible servers: the three ways to ask for JSON.

Servers differ in what they accept, so a backend steps down this ladder and remembers where it
landed:

1. `json_schema`: `response_format={"type": "json_schema", ...}`; strict when the schema can be
   made to follow OpenAI's strict rules (every property required, no extra properties, no
   `oneOf`), otherwise sent as a non-strict hint (vLLM and others still enforce it);
2. `json_object`: JSON mode; the prompt must carry the schema and the word "JSON" (DashScope
   refuses JSON mode otherwise);
3. `text`: no `response_format`; the JSON is found in the reply text.

In every mode the reply is validated by `artemis.models.parsing.parse_reply`.
"""

from __future__ import annotations

import copy
import functools
import json
import re
from typing import Any, Literal, TypeAlias

from pydantic import BaseModel

StructuredMode: TypeAlias = Literal["json_schema", "json_object", "text"]
LADDER: tuple[StructuredMode, ...] = ("json_schema", "json_object", "text")

# Words a server's 400 uses when it does not support the `response_format` we sent. Only
# consulted for a 400/422 answering a request that carried a response_format.
_REJECTION_HINTS = re.compile(
    r"response_format|json_schema|json_object|json mode|structured output|guided", re.IGNORECASE
)


def next_mode(mode: StructuredMode) -> StructuredMode | None:
    """The step below `mode`, or None at the bottom."""
    i = LADDER.index(mode)
    return LADDER[i + 1] if i + 1 < len(LADDER) else None


def rejects_response_format(status: int, param: str | None, message: str) -> bool:
    """Whether an error answer means "this server does not take that response_format"."""
    if status not in (400, 422):
        return False
    return param == "response_format" or bool(_REJECTION_HINTS.search(message))


def schema_name(schema: type[BaseModel]) -> str:
    """A name OpenAI accepts for a json_schema (`^[a-zA-Z0-9_-]{1,64}$`)."""
    return re.sub(r"[^a-zA-Z0-9_-]", "_", schema.__name__)[:64] or "reply"


def schema_text(schema: type[BaseModel]) -> str:
    """The instruction put into the prompt in JSON-mode and text mode.

    Roles may include this exact text in their own prompt; a backend then does not add it a
    second time.
    """
    compact = json.dumps(json_schema(schema), separators=(",", ":"))
    return f"Reply with one JSON object that fits this JSON schema:\n{compact}"


@functools.cache
def json_schema(schema: type[BaseModel]) -> dict[str, Any]:
    """`schema.model_json_schema()`, built once per class (pydantic builds it anew on every
    call, some milliseconds for the action union). Shared: do not modify it."""
    return schema.model_json_schema()


def response_format(schema: type[BaseModel], mode: StructuredMode) -> dict[str, Any] | None:
    """The `response_format` request field for `mode` (None in text mode)."""
    if mode == "text":
        return None
    if mode == "json_object":
        return {"type": "json_object"}
    strict = strict_json_schema(schema)
    return {
        "type": "json_schema",
        "json_schema": {
            "name": schema_name(schema),
            "schema": strict if strict is not None else json_schema(schema),
            "strict": strict is not None,
        },
    }


@functools.cache
def strict_json_schema(schema: type[BaseModel]) -> dict[str, Any] | None:
    """`schema` rewritten to OpenAI's strict rules, or None when it cannot be; built once per
    class and shared: do not modify it.

    Every property becomes required (pydantic still applies defaults when validating, and a
    model that sends them is fine), objects forbid extra properties, `oneOf` becomes `anyOf`,
    and `discriminator` and `default` go. Free-form objects (dicts) cannot be strict.
    """
    out = copy.deepcopy(json_schema(schema))
    if out.get("type") != "object":
        return None
    try:
        _make_strict(out)
    except _NotStrict:
        return None
    return out


class _NotStrict(Exception):
    pass


def _make_strict(node: Any) -> None:
    if isinstance(node, list):
        for item in node:
            _make_strict(item)
        return
    if not isinstance(node, dict):
        return
    node.pop("discriminator", None)
    node.pop("default", None)
    if "oneOf" in node:
        node["anyOf"] = node.pop("oneOf")
    if "$ref" in node:
        # strict mode rejects keywords beside a $ref
        for key in [k for k in node if k != "$ref"]:
            del node[key]
        return
    if node.get("type") == "object" or "properties" in node:
        extra = node.get("additionalProperties")
        if extra not in (None, False):
            raise _NotStrict
        properties = node.get("properties", {})
        node["additionalProperties"] = False
        node["required"] = list(properties)
    for key, value in node.items():
        if key == "properties":
            for prop in value.values():
                _make_strict(prop)
        elif key in ("$defs", "definitions"):
            for sub in value.values():
                _make_strict(sub)
        elif isinstance(value, dict | list):
            _make_strict(value)


def with_schema_hint(
    wire: list[dict[str, Any]], schema: type[BaseModel], mode: StructuredMode
) -> list[dict[str, Any]]:
    """In JSON mode and text mode the schema travels in the prompt; json_schema carries it."""
    if mode == "json_schema":
        return wire
    hint = schema_text(schema)
    if any(hint in _text_of(m) for m in wire):
        return wire
    out = list(wire)
    for i in range(len(out) - 1, -1, -1):
        if out[i]["role"] == "user":
            content = out[i]["content"]
            if isinstance(content, str):
                out[i] = {**out[i], "content": f"{content}\n\n{hint}"}
            else:
                out[i] = {**out[i], "content": [*content, {"type": "text", "text": hint}]}
            return out
    return [*out, {"role": "user", "content": hint}]


def _text_of(message: dict[str, Any]) -> str:
    content = message["content"]
    if isinstance(content, str):
        return content
    return "\n".join(str(p.get("text", "")) for p in content if p.get("type") == "text")
