"""The phone's clock, injectable so that screens are deterministic.

The default `ManualClock` stands still until told to move (`advance`, `set`), so the status
bar, the timer and new records' timestamps depend only on what a test or a benchmark does.
`WallClock` follows the host's local time, for demos.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

#: When a new phone's manual clock starts: a Wednesday morning.
DEFAULT_START = dt.datetime(2025, 10, 15, 9, 41, 0)


class Clock(Protocol):
    def now(self) -> dt.datetime:
        """Local time, naive."""
        ...


class ManualClock:
    def __init__(self, start: dt.datetime = DEFAULT_START) -> None:
        self._now = start.replace(microsecond=0)

    def now(self) -> dt.datetime:
        return self._now

    def advance(self, seconds: float) -> None:
        self._now += dt.timedelta(seconds=seconds)

    def set(self, when: dt.datetime) -> None:
        self._now = when

    def __repr__(self) -> str:
        return f"ManualClock({self._now.isoformat()})"


class WallClock:
    def now(self) -> dt.datetime:
        return dt.datetime.now().replace(microsecond=0)


def to_epoch(when: dt.datetime) -> int:
    """The phone keeps naive local times; file times store them as if they were UTC, so no
    host time zone ever leaks into the phone."""
    return int(when.replace(tzinfo=dt.UTC).timestamp())


def from_epoch(seconds: int) -> dt.datetime:
    return dt.datetime.fromtimestamp(seconds, dt.UTC).replace(tzinfo=None)


def fmt_clock(when: dt.datetime) -> str:
    """The status bar's time: "9:41"."""
    return f"{when.hour % 12 or 12}:{when.minute:02d}"
