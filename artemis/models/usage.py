"""Token usage and cost: per call, per role, per model, per episode, summed across episodes.

The loop feeds a `UsageTracker` (one per episode) with each role's `ModelResponse`; replies that
failed to parse still spent tokens, so `record_error` takes the `ModelResponseError` too. A
`UsageSummary` is plain data: it goes into `episode.json` and back (`to_dict` / `from_dict`),
and summaries add up (`+`, `UsageSummary.combine`) for benchmark totals.

Cost comes from the price table in settings (`models.prices`: model name -> US dollars per
million input and output tokens). A model is looked up by its full name (`openai:gpt-4o`),
then without the backend prefix (`gpt-4o`), ignoring case. Models without a price cost 0 and are
listed under `unpriced`, so that a total is never silently incomplete.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from artemis.config import Price, Settings
from artemis.models.base import ModelResponse, Usage


def find_price(model: str, prices: Mapping[str, Price]) -> Price | None:
    """The price of `model`: full name first, then without the backend prefix; any case."""
    lowered = {name.lower(): price for name, price in prices.items()}
    for candidate in (model, model.partition(":")[2]):
        if candidate and candidate.lower() in lowered:
            return lowered[candidate.lower()]
    return None


def cost_usd(input_tokens: int, output_tokens: int, price: Price) -> float:
    return (input_tokens * price.input + output_tokens * price.output) / 1_000_000


@dataclass(slots=True)
class Tally:
    """Tokens, calls, dollars and model time, adding up."""

    input_tokens: int = 0
    output_tokens: int = 0
    calls: int = 0
    cost_usd: float = 0.0
    latency_s: float = 0.0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    def __add__(self, other: Tally) -> Tally:
        return Tally(
            self.input_tokens + other.input_tokens,
            self.output_tokens + other.output_tokens,
            self.calls + other.calls,
            self.cost_usd + other.cost_usd,
            self.latency_s + other.latency_s,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
            "calls": self.calls,
            "cost_usd": round(self.cost_usd, 6),
            "latency_s": round(self.latency_s, 3),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Tally:
        return cls(
            int(data.get("input_tokens", 0)),
            int(data.get("output_tokens", 0)),
            int(data.get("calls", 0)),
            float(data.get("cost_usd", 0.0)),
            float(data.get("latency_s", 0.0)),
        )


def _merge(a: Mapping[str, Tally], b: Mapping[str, Tally]) -> dict[str, Tally]:
    out = dict(a)
    for key, tally in b.items():
        out[key] = out.get(key, Tally()) + tally
    return out


@dataclass(slots=True)
class UsageSummary:
    """Totals of one or more episodes."""

    total: Tally = field(default_factory=Tally)
    by_role: dict[str, Tally] = field(default_factory=dict)
    by_model: dict[str, Tally] = field(default_factory=dict)
    unpriced: set[str] = field(default_factory=set)
    episodes: int = 0

    def __add__(self, other: UsageSummary) -> UsageSummary:
        return UsageSummary(
            self.total + other.total,
            _merge(self.by_role, other.by_role),
            _merge(self.by_model, other.by_model),
            self.unpriced | other.unpriced,
            self.episodes + other.episodes,
        )

    @classmethod
    def combine(cls, summaries: Iterable[UsageSummary]) -> UsageSummary:
        out = cls()
        for summary in summaries:
            out = out + summary
        return out

    def to_dict(self) -> dict[str, Any]:
        return {
            "episodes": self.episodes,
            "total": self.total.to_dict(),
            "by_role": {k: v.to_dict() for k, v in sorted(self.by_role.items())},
            "by_model": {k: v.to_dict() for k, v in sorted(self.by_model.items())},
            "unpriced": sorted(self.unpriced),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> UsageSummary:
        return cls(
            Tally.from_dict(data.get("total", {})),
            {k: Tally.from_dict(v) for k, v in data.get("by_role", {}).items()},
            {k: Tally.from_dict(v) for k, v in data.get("by_model", {}).items()},
            set(data.get("unpriced", [])),
            int(data.get("episodes", 0)),
        )


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One model call as counted."""

    role: str
    model: str
    input_tokens: int
    output_tokens: int
    cost_usd: float
    latency_s: float
    priced: bool

    def tally(self) -> Tally:
        return Tally(self.input_tokens, self.output_tokens, 1, self.cost_usd, self.latency_s)


class UsageTracker:
    """Counts one episode's model calls. Feed it `(role, response)` after every call."""

    def __init__(self, prices: Mapping[str, Price] | None = None) -> None:
        self.prices: dict[str, Price] = dict(prices or {})
        self.calls: list[CallRecord] = []

    @classmethod
    def from_settings(cls, settings: Settings) -> UsageTracker:
        return cls(settings.models.prices)

    def add(self, role: str, model: str, usage: Usage, latency_s: float = 0.0) -> CallRecord:
        price = find_price(model, self.prices)
        record = CallRecord(
            role=role,
            model=model,
            input_tokens=usage.input_tokens,
            output_tokens=usage.output_tokens,
            cost_usd=cost_usd(usage.input_tokens, usage.output_tokens, price) if price else 0.0,
            latency_s=latency_s,
            # a call that spent nothing (an offline policy) needs no price
            priced=price is not None or usage.total_tokens == 0,
        )
        self.calls.append(record)
        return record

    def record(self, role: str, response: ModelResponse[Any]) -> CallRecord:
        return self.add(role, response.model, response.usage, response.latency_s)

    def record_error(self, role: str, error: BaseException) -> CallRecord | None:
        """Count a failed call whose reply did arrive (a `ModelResponseError` with `.response`)."""
        response = getattr(error, "response", None)
        if isinstance(response, ModelResponse):
            return self.record(role, response)
        return None

    def summary(self) -> UsageSummary:
        out = UsageSummary(episodes=1)
        for call in self.calls:
            tally = call.tally()
            out.total = out.total + tally
            out.by_role[call.role] = out.by_role.get(call.role, Tally()) + tally
            out.by_model[call.model] = out.by_model.get(call.model, Tally()) + tally
            if not call.priced:
                out.unpriced.add(call.model)
        return out

    def to_dict(self) -> dict[str, Any]:
        return self.summary().to_dict()

    def dump(self, path: Path) -> None:
        """Write the summary as JSON."""
        path.write_text(json.dumps(self.to_dict(), indent=2) + "\n", encoding="utf-8")
