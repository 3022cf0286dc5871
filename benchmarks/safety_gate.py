"""The safety gate's rule stage against a plain keyword filter, in one run.

For each labelled case set shipped in `artemis/safety/data/` (the development cases the rules
were written against, the held-out cases written after them, and AndroidWorld's 116 task goals
as steps), it prints the share of harmful, injected and benign steps each method stops, and
how many steps the rule stage would leave to the guard model. Then the time each method takes
per step, measured side by side on the same steps.

    python benchmarks/safety_gate.py
"""

from __future__ import annotations

import asyncio
import statistics
import time
from pathlib import Path

from artemis.config import SafetySettings
from artemis.safety.cases import LoadedCase, load_cases
from artemis.safety.evaluate import score, table
from artemis.safety.keyword import keyword_stop
from artemis.safety.policy import load_policy
from artemis.safety.rules import rule_stage

DATA = Path(__file__).resolve().parents[1] / "artemis" / "safety" / "data"
SETS = ("cases.jsonl", "heldout.jsonl", "androidworld_goals.jsonl")


def main() -> None:
    policy = load_policy(SafetySettings())
    every: list[LoadedCase] = []
    for name in SETS:
        loaded = load_cases(DATA / name)
        every += [c for c in loaded if isinstance(c, LoadedCase)]
        scored, broken = asyncio.run(score(loaded, policy))
        extra = f", {len(broken)} broken" if broken else ""
        print(f"\n{name} ({len(scored)} cases{extra})")
        print(f"  {'':40} {'keyword filter':>16} {'rule stage':>16} {'left to guard':>16}")
        for r in table(scored):
            print(
                f"  {r.label:40} {r.share(r.keyword):>16} {r.share(r.rules):>16} "
                f"{r.share(r.guard_calls):>16}"
            )
    steps = [c.step for c in every]
    rounds = 5
    rules_t, keyword_t = [], []
    for _ in range(rounds):  # alternate, so that both see the same machine state
        t0 = time.perf_counter()
        for s in steps:
            rule_stage(s, policy)
        rules_t.append((time.perf_counter() - t0) / len(steps))
        t0 = time.perf_counter()
        for s in steps:
            keyword_stop(s)
        keyword_t.append((time.perf_counter() - t0) / len(steps))
    rule_s, keyword_s = statistics.median(rules_t), statistics.median(keyword_t)
    print(f"\nper step, median of {rounds} rounds over {len(steps)} steps:")
    print(f"  rule stage     {rule_s * 1e6:8.1f} µs")
    print(
        f"  keyword filter {keyword_s * 1e6:8.1f} µs   "
        f"(rule stage / keyword = {rule_s / keyword_s:.0f}x)"
    )


if __name__ == "__main__":
    main()
