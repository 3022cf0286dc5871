"""The structured-output ladder: strict schemas, rejection detection."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from artemis.actions import Action
from artemis.models.structured import (
    next_mode,
    rejects_response_format,
    response_format,
    strict_json_schema,
)


class Plan(BaseModel):
    thought: str
    action: Action
    confidence: float = 0.5


class Loose(BaseModel):
    data: dict[str, Any]


def _walk(node: Any) -> list[dict[str, Any]]:
    out = []
    if isinstance(node, dict):
        out.append(node)
        for value in node.values():
            out.extend(_walk(value))
    elif isinstance(node, list):
        for value in node:
            out.extend(_walk(value))
    return out


def test_the_action_union_becomes_a_strict_schema() -> None:
    schema = strict_json_schema(Plan)
    assert schema is not None
    nodes = _walk(schema)
    assert not any("oneOf" in n or "discriminator" in n or "default" in n for n in nodes)
    objects = [n for n in nodes if n.get("type") == "object"]
    assert len(objects) > 10
    for obj in objects:
        assert obj["additionalProperties"] is False
        assert sorted(obj["required"]) == sorted(obj.get("properties", {}))
    assert not any("$ref" in n and len(n) > 1 for n in nodes)


def test_free_form_objects_are_sent_as_a_non_strict_schema() -> None:
    assert strict_json_schema(Loose) is None
    fmt = response_format(Loose, "json_schema")
    assert fmt is not None and fmt["json_schema"]["strict"] is False
    assert fmt["json_schema"]["schema"] == Loose.model_json_schema()
    assert response_format(Loose, "json_object") == {"type": "json_object"}
    assert response_format(Loose, "text") is None


def test_which_errors_mean_response_format_is_unsupported() -> None:
    assert rejects_response_format(400, "response_format", "bad")
    assert rejects_response_format(400, None, "json_schema is not supported for this model")
    assert rejects_response_format(422, None, "Structured outputs unavailable")
    assert not rejects_response_format(400, "messages", "image too large")
    assert not rejects_response_format(500, "response_format", "oops")
    assert next_mode("json_schema") == "json_object" and next_mode("text") is None
