"""The gate's answers: the rule stage's, the guard model's, and the gate's own.

`GateVerdict.as_dict()` is what `steps.jsonl` records under `safety` and what
`artemis safety check` prints (with the case id in front).
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace
from typing import Any, Literal

from artemis.safety.policy import Verdict

DecidedBy = Literal["rules", "model"]


@dataclass(frozen=True)
class _Record:
    """`as_dict`: a verdict's fields in their order, as JSON data (tuples as lists)."""

    def as_dict(self) -> dict[str, Any]:
        out = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out


@dataclass(frozen=True)
class RuleVerdict(_Record):
    """The rule stage's verdict. `sure` is False when it guessed (weak evidence, or a screen
    that carries instructions); `signals` lists what it noticed, for people and the guard."""

    verdict: Verdict
    category: str | None
    clause: str | None
    reason: str
    sure: bool
    signals: tuple[str, ...] = ()


@dataclass(frozen=True)
class GuardVerdict(_Record):
    """The guard model's answer: a verdict, the category and clause it applied, why."""

    verdict: Verdict
    category: str | None
    clause: str | None
    reason: str
    analysis: str = ""


@dataclass(frozen=True)
class Confirmation(_Record):
    """Who answered a "confirm" verdict, and how: a person on the terminal, or the setting
    `safety.on_confirm` when no one can be asked."""

    approved: bool
    by: Literal["terminal", "setting"]


@dataclass(frozen=True)
class GateVerdict:
    verdict: Verdict
    category: str | None
    clause: str | None
    reason: str
    decided_by: DecidedBy
    rules: RuleVerdict
    guard: GuardVerdict | None = None
    #: Why the guard gave no usable answer (the gate then failed closed).
    error: str | None = None
    confirmation: Confirmation | None = None
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def runs(self) -> bool:
        """Whether the action may run: allowed, or confirmed by someone."""
        if self.verdict == "allow":
            return True
        return (
            self.verdict == "confirm"
            and self.confirmation is not None
            and (self.confirmation.approved)
        )

    @property
    def outcome(self) -> Literal["allowed", "confirmed", "denied", "blocked", "pending"]:
        if self.verdict == "allow":
            return "allowed"
        if self.verdict == "block":
            return "blocked"
        if self.confirmation is None:
            return "pending"
        return "confirmed" if self.confirmation.approved else "denied"

    def confirmed(self, confirmation: Confirmation) -> GateVerdict:
        return replace(self, confirmation=confirmation)

    @classmethod
    def from_rules(cls, rules: RuleVerdict) -> GateVerdict:
        return cls(rules.verdict, rules.category, rules.clause, rules.reason, "rules", rules)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "verdict": self.verdict,
            "category": self.category,
            "clause": self.clause,
            "reason": self.reason,
            "decided_by": self.decided_by,
            "outcome": self.outcome,
            "rules": self.rules.as_dict(),
            "guard": None if self.guard is None else self.guard.as_dict(),
            "confirmation": None if self.confirmation is None else self.confirmation.as_dict(),
        }
        if self.error is not None:
            out["error"] = self.error
        return out | self.extra
