"""Faults the simulated phone can inject, set when the server starts or later from a test.

- drop the connection after N more commands, or each command with a seeded probability;
- cut a command's output short and drop the connection in the middle of the transfer (a
  device unplugged mid screencap or mid dump);
- delay a command, or hang it until its client gives up (commands picked by a regex on the
  command line as the client sent it);
- answer the next K `uiautomator dump`s with `ERROR: could not get idle state.`.

Counters are shared by all connections of a server. Methods may be called from any thread
(tests drive the server on a background loop): each is a few attribute updates under a lock.
"""

from __future__ import annotations

import random
import re
import threading
from dataclasses import dataclass, replace
from typing import TypeVar


@dataclass(frozen=True, slots=True)
class Delay:
    """Commands matching `pattern` wait `seconds` first; `seconds=None` hangs them."""

    pattern: re.Pattern[str]
    seconds: float | None
    times: int | None  # how many more commands it applies to; None: all of them


@dataclass(frozen=True, slots=True)
class Cut:
    """Commands matching `pattern` send `after_bytes` of output, then the connection drops."""

    pattern: re.Pattern[str]
    after_bytes: int
    times: int | None


class Faults:
    def __init__(
        self,
        *,
        seed: int = 0,
        drop_after: int | None = None,
        drop_rate: float = 0.0,
        uidump_idle_failures: int = 0,
    ) -> None:
        self._lock = threading.Lock()
        self._rng = random.Random(seed)
        self._drop_after = drop_after
        self._drop_rate = drop_rate
        self._uidump_failures = uidump_idle_failures
        self._delays: list[Delay] = []
        self._cuts: list[Cut] = []
        self.commands = 0  # commands seen (shell and exec services)
        self.drops = 0  # connections dropped on purpose

    # --- set from tests or at start -------------------------------------------------------
    def drop_after(self, n: int | None) -> None:
        """Serve `n` more commands, then drop the connection of the next one (once)."""
        with self._lock:
            self._drop_after = n

    def drop_randomly(self, rate: float, seed: int | None = None) -> None:
        """Drop the connection of each command with probability `rate`."""
        if not 0.0 <= rate <= 1.0:
            raise ValueError(f"drop rate must be in [0, 1], got {rate}")
        with self._lock:
            self._drop_rate = rate
            if seed is not None:
                self._rng.seed(seed)

    def delay(self, pattern: str, seconds: float, *, times: int | None = None) -> None:
        """Commands whose line matches `pattern` (re.search) start `seconds` late."""
        with self._lock:
            self._delays.append(Delay(re.compile(pattern), seconds, times))

    def hang(self, pattern: str, *, times: int | None = None) -> None:
        """Commands matching `pattern` never answer; they end when their client goes away."""
        with self._lock:
            self._delays.append(Delay(re.compile(pattern), None, times))

    def cut(self, pattern: str, after_bytes: int, *, times: int | None = 1) -> None:
        """Commands whose line matches `pattern` send their first `after_bytes` bytes of
        output, then the connection drops, in the middle of the transfer."""
        if after_bytes < 0:
            raise ValueError(f"after_bytes must be >= 0, got {after_bytes}")
        with self._lock:
            self._cuts.append(Cut(re.compile(pattern), after_bytes, times))

    def fail_uidump(self, k: int) -> None:
        """The next `k` `uiautomator dump`s fail with `could not get idle state`."""
        with self._lock:
            self._uidump_failures = k

    def clear(self) -> None:
        with self._lock:
            self._drop_after = None
            self._drop_rate = 0.0
            self._uidump_failures = 0
            self._delays.clear()
            self._cuts.clear()

    # --- consulted by the server ----------------------------------------------------------
    def on_command(self) -> bool:
        """Count one command; True when its connection must be dropped instead."""
        with self._lock:
            self.commands += 1
            drop = False
            if self._drop_after is not None:
                if self._drop_after <= 0:
                    self._drop_after = None
                    drop = True
                else:
                    self._drop_after -= 1
            if not drop and self._drop_rate > 0.0:
                drop = self._rng.random() < self._drop_rate
            if drop:
                self.drops += 1
            return drop

    def delay_for(self, command: str) -> Delay | None:
        """The delay that applies to `command`, if any (and use one of its times)."""
        with self._lock:
            return _take(self._delays, command)

    def cut_for(self, command: str) -> int | None:
        """The byte count after which `command`'s output is cut, if a cut applies (and use
        one of its times)."""
        with self._lock:
            cut = _take(self._cuts, command)
            if cut is None:
                return None
            self.drops += 1
            return cut.after_bytes

    def take_uidump_failure(self) -> bool:
        with self._lock:
            if self._uidump_failures > 0:
                self._uidump_failures -= 1
                return True
            return False


_Rule = TypeVar("_Rule", Delay, Cut)


def _take(rules: list[_Rule], command: str) -> _Rule | None:
    """The first rule whose pattern matches `command`, using up one of its times."""
    for i, rule in enumerate(rules):
        if rule.pattern.search(command):
            if rule.times is not None:
                if rule.times <= 1:
                    del rules[i]
                else:
                    rules[i] = replace(rule, times=rule.times - 1)
            return rule
    return None
