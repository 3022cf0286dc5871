"""Usage and cost: per call, role, model and episode, summed across episodes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from artemis.config import ModelSettings, Price, Settings
from artemis.errors import ModelResponseError
from artemis.models.base import ModelResponse, Usage
from artemis.models.usage import UsageSummary, UsageTracker, cost_usd, find_price

PRICES = {
    "gpt-4o": Price(input=2.5, output=10.0),
    "openai:qwen-vl-max": Price(input=0.8, output=3.2),
}


def _response(model: str, tokens_in: int, tokens_out: int, latency: float = 1.0) -> ModelResponse:
    return ModelResponse(
        text="", model=model, usage=Usage(tokens_in, tokens_out, 1), latency_s=latency
    )


def test_cost_arithmetic() -> None:
    assert cost_usd(1_000_000, 0, Price(input=2.5, output=10)) == pytest.approx(2.5)
    assert cost_usd(12_000, 800, Price(input=2.5, output=10)) == pytest.approx(0.03 + 0.008)


def test_prices_are_found_with_or_without_the_backend_prefix() -> None:
    assert find_price("openai:gpt-4o", PRICES) == PRICES["gpt-4o"]
    assert find_price("OpenAI:GPT-4o", PRICES) == PRICES["gpt-4o"]
    assert find_price("openai:qwen-vl-max", PRICES) == PRICES["openai:qwen-vl-max"]
    assert find_price("openai:unknown", PRICES) is None


def test_tracker_totals_by_role_and_model() -> None:
    tracker = UsageTracker.from_settings(Settings(models=ModelSettings(prices=PRICES)))
    tracker.record("manager", _response("openai:gpt-4o", 10_000, 500, 2.0))
    tracker.record("manager", _response("openai:gpt-4o", 12_000, 300, 1.5))
    tracker.record("tac", _response("openai:local-small", 3_000, 50))
    tracker.record("sra", _response("heuristic", 0, 0))
    s = tracker.summary()
    assert (s.total.input_tokens, s.total.output_tokens, s.total.calls) == (25_000, 850, 4)
    assert s.by_role["manager"].cost_usd == pytest.approx(22_000 * 2.5e-6 + 800 * 10e-6)
    assert s.by_role["tac"].cost_usd == 0.0 and s.by_model["openai:gpt-4o"].calls == 2
    assert s.total.latency_s == pytest.approx(5.5)
    assert s.unpriced == {"openai:local-small"}  # a zero-token policy needs no price


def test_a_failed_reply_still_counts() -> None:
    tracker = UsageTracker(PRICES)
    error = ModelResponseError("bad", raw="x", response=_response("openai:gpt-4o", 100, 10))
    assert tracker.record_error("aca", error) is not None
    assert tracker.record_error("aca", ModelResponseError("no reply at all")) is None
    assert tracker.summary().by_role["aca"].input_tokens == 100


def test_summaries_round_trip_through_json_and_add_up(tmp_path: Path) -> None:
    a, b = UsageTracker(PRICES), UsageTracker(PRICES)
    a.record("manager", _response("openai:gpt-4o", 1_000, 100))
    b.record("manager", _response("openai:gpt-4o", 3_000, 300))
    b.record("tac", _response("openai:other", 10, 1))
    a.dump(tmp_path / "a.json")
    loaded = UsageSummary.from_dict(json.loads((tmp_path / "a.json").read_text()))
    total = UsageSummary.combine([loaded, b.summary()])
    assert total.episodes == 2 and total.total.calls == 3
    assert total.by_role["manager"].input_tokens == 4_000
    assert total.by_model["openai:gpt-4o"].cost_usd == pytest.approx(4_000 * 2.5e-6 + 400 * 1e-5)
    assert total.unpriced == {"openai:other"}
    assert total.to_dict()["total"]["total_tokens"] == 4_411
