"""The safety gate: the rule stage, then, when it is unsure or sees risk, the guard model.

`judge` never calls the guard on a step the rule stage clears with certainty (an `allow` it
is sure of): that is most steps, and they cost nothing. Otherwise the guard reasons over the
written policy and its verdict stands, with two limits:

- a `block` the rule stage is sure of never drops below `confirm` (an injected text cannot
  talk the guard into letting a known attack through unasked);
- the guard is bounded in time (`timeout_s`, re-asks included): when it does not answer in
  time, or answers nothing usable, the gate fails closed to `confirm` (or to the rule stage's
  `block`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from artemis.safety.facts import StepFacts
from artemis.safety.policy import Policy, strictest
from artemis.safety.rules import rule_stage
from artemis.safety.verdict import GateVerdict, GuardVerdict, RuleVerdict


@dataclass(frozen=True)
class GuardAnswer:
    """What a deliberation gave: a verdict, or why there is none."""

    verdict: GuardVerdict | None
    error: str | None = None


Deliberate = Callable[[StepFacts, RuleVerdict], Awaitable[GuardAnswer]]


def needs_guard(rules: RuleVerdict) -> bool:
    """Whether the rule stage leaves the step to the guard: unsure, or not an allow."""
    return not (rules.verdict == "allow" and rules.sure)


async def judge(
    step: StepFacts,
    policy: Policy,
    *,
    deliberate: Deliberate | None = None,
    timeout_s: float = 30.0,
) -> GateVerdict:
    """The gate's verdict on one step (see the module docstring)."""
    rules = rule_stage(step, policy)
    if deliberate is None or not needs_guard(rules):
        return GateVerdict.from_rules(rules)
    try:
        async with asyncio.timeout(timeout_s):
            answer = await deliberate(step, rules)
    except TimeoutError:
        return fail_closed(rules, f"the guard did not decide within {timeout_s:g}s")
    if answer.verdict is None:
        return fail_closed(rules, answer.error or "the guard gave no verdict")
    return combine(rules, answer.verdict, policy)


def fail_closed(rules: RuleVerdict, why: str) -> GateVerdict:
    """No usable guard verdict: confirm, or the rule stage's block."""
    verdict = strictest("confirm", rules.verdict)
    reason = f"{why}; failing closed" + (f" ({rules.reason})" if rules.reason else "")
    return GateVerdict(verdict, rules.category, rules.clause, reason, "rules", rules, error=why)


def combine(rules: RuleVerdict, guard: GuardVerdict, policy: Policy) -> GateVerdict:
    verdict = guard.verdict
    if rules.sure and rules.verdict == "block":
        verdict = strictest(verdict, "confirm")
    category, clause = guard.category, guard.clause
    found = policy.clause(clause) if clause else None
    if found is not None:
        category = found[0].id
    elif clause is not None and clause not in policy.clause_ids:
        clause = f"{clause} (not in the policy)"
    reason = guard.reason
    if verdict != guard.verdict:
        reason = f"{guard.reason} (held at {verdict}: the rule stage blocks it: {rules.reason})"
    return GateVerdict(verdict, category, clause, reason, "model", rules, guard)
