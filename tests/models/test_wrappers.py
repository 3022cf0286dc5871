"""The recording wrapper: every call kept as JSON, images without their bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from pydantic import BaseModel

from artemis.errors import ModelResponseError
from artemis.models.base import Message, ModelRequest
from artemis.models.testing import ScriptedModel
from artemis.models.wrappers import RecordingModel
from tests.models.conftest import png


class Ok(BaseModel):
    ok: bool


async def test_calls_and_failures_are_recorded_without_image_bytes(tmp_path: Path) -> None:
    inner = ScriptedModel(['{"ok": true}', "not json"], name="scripted", coords="norm1000")
    model = RecordingModel(inner, tmp_path / "calls.jsonl")
    assert (model.name, model.coords) == ("scripted", "norm1000")
    image = png(64, 32)
    r = await model.complete(
        [Message.user("look", image)], output_schema=Ok, request=ModelRequest(role="tac")
    )
    # The wrapper speaks for the wrapped model: its image rule and dialect too.
    assert (model.image_rule, model.dialect) == (inner.image_rule, inner.dialect)
    assert r.parsed == Ok(ok=True)
    with pytest.raises(ModelResponseError):
        await model.complete([Message.user("again")], output_schema=Ok)
    lines = (tmp_path / "calls.jsonl").read_text().splitlines()
    first, second = (json.loads(line) for line in lines)
    assert first["role"] == "tac" and first["schema"] == "Ok"
    assert first["messages"][0]["parts"] == [
        {"text": "look"},
        {"image": "image", "size": [64, 32], "bytes": len(image)},
    ]
    assert first["reply"] == '{"ok": true}' and first["frames"][0]["sent"] == [64, 32]
    assert second["error"].startswith("ModelResponseError") and second["reply"] == "not json"
    assert "base64" not in "\n".join(lines)


async def test_records_can_go_to_a_function() -> None:
    seen: list[dict[str, object]] = []
    model = RecordingModel(ScriptedModel(["hi"]), seen.append)
    await model.complete([Message.user("x")])
    assert seen[0]["reply"] == "hi"
