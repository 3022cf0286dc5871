"""Bounded retries: attempt counts, backoff and retry-after, without waiting."""

from __future__ import annotations

import pytest

from artemis.models.retry import RetriesExhausted, Retryable, RetryPolicy
from tests.models.conftest import SleepRecorder


async def test_retries_until_success_and_reports_attempts() -> None:
    sleeps = SleepRecorder()
    policy = RetryPolicy(max_retries=3, backoff_base_s=1.0, jitter=0.0, sleep=sleeps)

    async def attempt(n: int) -> str:
        if n < 3:
            raise Retryable(ConnectionError("down"), retry_after=5.0 if n == 2 else None)
        return "up"

    assert await policy.run(attempt) == ("up", 3)
    assert sleeps.waits == [1.0, 5.0]


async def test_backoff_doubles_up_to_the_cap_and_gives_up() -> None:
    sleeps = SleepRecorder()
    policy = RetryPolicy(max_retries=4, backoff_base_s=1.0, backoff_max_s=3.0, jitter=0.0)
    policy.sleep = sleeps

    async def attempt(n: int) -> str:
        raise Retryable(TimeoutError(f"try {n}"))

    with pytest.raises(RetriesExhausted) as info:
        await policy.run(attempt)
    assert info.value.attempts == 5 and str(info.value.last.cause) == "try 5"
    assert sleeps.waits == [1.0, 2.0, 3.0, 3.0]


async def test_other_errors_are_not_retried() -> None:
    calls = []

    async def attempt(n: int) -> str:
        calls.append(n)
        raise ValueError("bug")

    with pytest.raises(ValueError):
        await RetryPolicy(sleep=SleepRecorder()).run(attempt)
    assert calls == [1]


async def test_zero_retries_means_one_attempt() -> None:
    async def attempt(n: int) -> str:
        raise Retryable(TimeoutError())

    with pytest.raises(RetriesExhausted) as info:
        await RetryPolicy(max_retries=0, sleep=SleepRecorder()).run(attempt)
    assert info.value.attempts == 1


def test_retry_after_in_seconds_milliseconds_or_a_date() -> None:
    import email.utils
    import time

    from artemis.models.retry import parse_retry_after

    assert parse_retry_after({"retry-after": "7"}) == 7.0
    assert parse_retry_after({"retry-after-ms": "250", "retry-after": "9"}) == 0.25
    assert parse_retry_after({}) is None and parse_retry_after({"retry-after": "soon"}) is None
    date = email.utils.formatdate(time.time() + 30, usegmt=True)
    delay = parse_retry_after({"retry-after": date})
    assert delay is not None and 25 <= delay <= 31
