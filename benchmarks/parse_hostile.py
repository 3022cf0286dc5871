"""Parsing hostile model replies: `extract_json` now and as it was, side by side in one run.

A reply is hostile input: a server gone wrong can repeat one fragment until its token limit.
Before, `extract_json` tried `raw_decode` at every `{` and `[` of the reply, each attempt
scanning far ahead before it failed, so a repetitive reply took time quadratic in its
length, on the event loop; a 600 KB one took over 50 s. Now it reads at most
`MAX_REPLY_CHARS` characters and tries at most `MAX_STARTS` starts.

    python benchmarks/parse_hostile.py [--quick]

`--quick` leaves out the 600 KB replies (the old code needs minutes for them).
Each cell is the best of a few runs (one run for the old code above 100 KB).
"""

from __future__ import annotations

import json
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from artemis.errors import ModelResponseError
from artemis.models.parsing import MAX_REPLY_CHARS, extract_json

_FENCE = re.compile(r"```(?:json|JSON)?\s*\n?(.*?)```", re.DOTALL)
_THINK = re.compile(r"<think>.*?</think>", re.DOTALL | re.IGNORECASE)


def extract_json_before(text: str) -> Any:
    """`extract_json` as it was: every `{` and `[` tried in turn, on the whole reply."""
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
    raise ModelResponseError("the reply contains no JSON object")


def _time(fn: Callable[[str], Any], text: str, repeat: int) -> tuple[float, str]:
    best, outcome = float("inf"), ""
    for _ in range(repeat):
        started = time.perf_counter()
        try:
            fn(text)
            outcome = "parsed"
        except ModelResponseError:
            outcome = "no JSON"
        except (RecursionError, ValueError) as exc:
            outcome = type(exc).__name__
        best = min(best, time.perf_counter() - started)
    return best, outcome


def _repeat(unit: str, size: int, prefix: str = "") -> str:
    return prefix + unit * ((size - len(prefix)) // len(unit))


def _replies(quick: bool) -> list[tuple[str, str]]:
    sizes = (25_000, 100_000) if quick else (25_000, 100_000, 600_000)
    out: list[tuple[str, str]] = []
    for size in sizes:
        kb = f"{size // 1000} KB"
        out.append((f"unclosed <think> repeated, {kb}", _repeat("<think>", size)))
        # Lists nested 700 characters apart: each start scans to the end of the reply.
        out.append((f"'[1, 1, ...' nested, {kb}", _repeat("[" + "1, " * 233, size, "Here: ")))
        out.append((f"'{{\"a\": [' repeated, {kb}", _repeat('{"a": [', size)))
        chatter = '{"thought": "done", "action": {"type": "finish"}}' + " blah" * (size // 5)
        out.append((f"JSON, then chatter, {kb}", chatter))
    return out


def main() -> None:
    quick = "--quick" in sys.argv
    print(f"MAX_REPLY_CHARS = {MAX_REPLY_CHARS:,}")
    print(f"{'reply':44}{'before':>12}{'now':>12}{'before/now':>12}  outcome before -> now")
    for name, text in _replies(quick):
        slow = len(text) > 100_000
        before, was = _time(extract_json_before, text, 1 if slow else 3)
        now, is_ = _time(extract_json, text, 5)
        # A crash is no time to compare with.
        ratio = f"{before / now:11.0f}x" if was in ("parsed", "no JSON") else f"{'-':>12}"
        print(f"{name:44}{before:11.3f}s{now:11.4f}s{ratio}  {was} -> {is_}", flush=True)


if __name__ == "__main__":
    main()
