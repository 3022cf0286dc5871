"""Every dialect on replies its model family published (`samples/<dialect>.json`; the README
beside them says where each came from): each is read into the artemis action the sample
expects, points still in the reply's own space, or rejected with a `ModelResponseError` when
the sample says it must be."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from artemis.errors import ModelResponseError
from artemis.models.base import ToolCall
from artemis.models.dialects import DIALECTS, get_dialect

SAMPLES = Path(__file__).parent / "samples"
POINT_FIELDS = ("target", "start", "end", "anchor")


def _load() -> list[tuple[str, dict[str, Any]]]:
    out = []
    for path in sorted(SAMPLES.glob("*.json")):
        for sample in json.loads(path.read_text(encoding="utf-8")):
            out.append((path.stem, sample))
    return out


ALL = _load()


def _reply(sample: dict[str, Any]) -> tuple[str, list[ToolCall]]:
    """The reply's text and tool calls; a chat-completion message as a server returns it."""
    if "message" not in sample or sample["message"] is None:
        return sample["reply"], []
    m = sample["message"]
    calls = []
    for c in m.get("tool_calls") or []:
        args = c["function"]["arguments"]
        calls.append(
            ToolCall(
                c["function"]["name"],
                args if isinstance(args, str) else json.dumps(args),
                c.get("id", ""),
            )
        )
    if m.get("function_call"):  # the legacy field some servers still fill
        fc = m["function_call"]
        calls.append(ToolCall(fc["name"], fc["arguments"]))
    return m.get("content") or "", calls


def _point(value: Any) -> tuple[float, float]:
    if isinstance(value, dict):
        return (float(value["x"]), float(value["y"]))
    return (float(value[0]), float(value[1]))


def test_every_dialect_has_published_samples() -> None:
    have = {name for name, _ in ALL}
    assert have == set(DIALECTS) - {"artemis"}
    real = {name for name, s in ALL if not s.get("constructed")}
    assert real == have  # at least one real reply (or real target-format text) each


@pytest.mark.parametrize(("dialect", "sample"), ALL, ids=[s["id"] for _, s in ALL])
def test_a_published_reply_reads_as_expected(dialect: str, sample: dict[str, Any]) -> None:
    assert sample["source"], "every sample says where it came from"
    d = get_dialect(dialect)
    text, calls = _reply(sample)
    grounding = sample["kind"] == "grounding"
    if sample.get("unsupported"):
        with pytest.raises(ModelResponseError) as caught:
            d.parse_grounding(text, calls) if grounding else d.parse(text, calls)
        assert str(caught.value) and "\n" not in str(caught.value).split(";")[0]
        return
    expect = dict(sample["expect"])
    if grounding:
        got = d.parse_grounding(text, calls)
        assert (got.x, got.y) == pytest.approx(_point(expect["target"]), abs=0.51)
        return
    reply = d.parse(text, calls)
    action = reply.action
    if expect["type"] == "type" and str(expect.get("text", "")).endswith("\n"):
        # A trailing newline means "and submit" (UI-TARS): typed text, then Enter.
        expect["text"], expect["submit"] = expect["text"].rstrip("\n"), True
    assert action["type"] == expect.pop("type")
    for key, want in expect.items():
        if key in POINT_FIELDS:
            assert _point(action[key]) == pytest.approx(_point(want), abs=0.51), key
        else:
            assert action.get(key) == want, key
    extra = sample.get("extra_actions")
    if extra:
        assert len(reply.rest) == (extra if isinstance(extra, int) else len(extra))
    assert reply.native  # what the model wrote, for the trajectory
