"""Bounded retries with exponential backoff, for model calls.

Backends run their own retries rather than the SDK's, so that the number of attempts is
reported, the waits can be tested without waiting (inject `sleep`), and the final error can be
phrased for the user. What is worth retrying is the backend's call (`Retryable` carries the
server's `retry-after` when it sent one).
"""

from __future__ import annotations

import asyncio
import email.utils
import logging
import random
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TypeVar

R = TypeVar("R")

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]


class Retryable(Exception):
    """Raised by an attempt that may succeed if tried again; wraps the cause."""

    def __init__(self, cause: Exception, *, retry_after: float | None = None) -> None:
        super().__init__(str(cause))
        self.cause = cause
        self.retry_after = retry_after


class RetriesExhausted(Exception):
    """Every attempt failed with a retryable error; `last` is the final cause."""

    def __init__(self, last: Retryable, attempts: int) -> None:
        super().__init__(f"{attempts} attempts failed; last: {last.cause}")
        self.last = last
        self.attempts = attempts


@dataclass
class RetryPolicy:
    """`max_retries` retries after the first attempt. The n-th wait is
    `backoff_base_s * 2**(n-1)`, capped at `backoff_max_s`, with up to 25% jitter; a server's
    `retry-after` is honoured instead, up to `max_retry_after_s` (beyond that we give up)."""

    max_retries: int = 3
    backoff_base_s: float = 0.5
    backoff_max_s: float = 8.0
    max_retry_after_s: float = 60.0
    jitter: float = 0.25
    sleep: Sleep = field(default=asyncio.sleep, repr=False)
    label: str = field(default="", repr=False)  # names the caller in retry log lines

    def delay(self, retry: int, retry_after: float | None) -> float:
        """The wait before retry number `retry` (1-based)."""
        if retry_after is not None and retry_after >= 0:
            return retry_after
        base = min(self.backoff_max_s, self.backoff_base_s * 2 ** (retry - 1))
        return base * (1 - self.jitter * random.random())

    async def run(self, attempt: Callable[[int], Awaitable[R]]) -> tuple[R, int]:
        """Call `attempt(n)` (n = 1, 2, ...) until it returns; returns (result, attempts).

        Only `Retryable` is retried; anything else propagates at once. Raises
        `RetriesExhausted` after `max_retries + 1` retryable failures, or earlier when the
        server asks to wait longer than `max_retry_after_s`.
        """
        attempts = self.max_retries + 1
        for n in range(1, attempts + 1):
            try:
                return await attempt(n), n
            except Retryable as exc:
                too_long = exc.retry_after is not None and exc.retry_after > self.max_retry_after_s
                if n == attempts or too_long:
                    raise RetriesExhausted(exc, n) from exc.cause
                delay = self.delay(n, exc.retry_after)
                log.warning(
                    "%s%s; retry %d of %d in %.1f s",
                    f"{self.label}: " if self.label else "",
                    _describe(exc.cause),
                    n,
                    self.max_retries,
                    delay,
                )
                await self.sleep(delay)
        raise AssertionError("unreachable: the loop returns or raises")


def _describe(exc: BaseException) -> str:
    text = str(exc).rstrip(".") or type(exc).__name__
    if exc.__cause__ is None:
        return text
    return f"{text} ({str(exc.__cause__) or type(exc.__cause__).__name__})"


def parse_retry_after(headers: Mapping[str, str]) -> float | None:
    """Seconds from `retry-after-ms` or `retry-after` (seconds or an HTTP date)."""
    for name, scale in (("retry-after-ms", 0.001), ("retry-after", 1.0)):
        value = headers.get(name)
        if value is None:
            continue
        try:
            return max(0.0, float(value) * scale)
        except ValueError:
            pass
    value = headers.get("retry-after")
    if value:
        when = email.utils.parsedate_to_datetime(value) if _is_date(value) else None
        if when is not None:
            return max(0.0, when.timestamp() - time.time())
    return None


def _is_date(value: str) -> bool:
    return email.utils.parsedate_tz(value) is not None
