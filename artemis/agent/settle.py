"""Waiting for the UI to settle after an action: poll until two observations in a row look the
same, or a deadline passes. Never a fixed sleep.

An action often shows nothing for a moment (an app starting, a page loading): while the screen
still looks exactly as it did before the action, polling goes on for `UNCHANGED_GRACE`
intervals before that unchanged screen counts as settled.

A device that has a cheap fingerprint of its screen (`AdbDevice.screen_signal`: a hash of the
frame computed on the device, or of the UI dump) is polled by it instead, the first poll at
once, and observed in full once, when it is stable (reusing what the last poll read, where
the device can: the UI dump, when the fingerprint is the dump's hash). A fingerprint the
device read only once its screen had been still (`Quieted`: `uiautomator dump` first waits
for a second without accessibility events) is stable by itself, with no second poll to agree
with it, unless it is still the screen before the action and the grace has not passed yet.

Otherwise, with `observe_first`, the observation is taken right after the first poll, betting
that the screen is already final (an action whose effect shows at once), and the next poll
waits for it: when every poll agrees with the first, the observation, bracketed by them, is
the result, and work on it (the image for the model, `on_screen`) started while the polls
went on; when the screen moved on it is dropped and the stable screen observed as usual.

A device without a fingerprint is observed in full at each poll, and "the same" compares
the UI trees when both observations have one (the tree ignores a blinking cursor or a ticking
clock less well than one would like, but far better than pixels), else a hash of the
screenshot. The clock and the sleep are injectable so tests never wait.
"""

from __future__ import annotations

import asyncio
import hashlib
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Protocol, TypeVar, runtime_checkable

from artemis.device.base import Device
from artemis.errors import DeviceTimeoutError
from artemis.observation import Observation

T = TypeVar("T")

#: Intervals to wait for a first change before an unchanged screen counts as settled.
UNCHANGED_GRACE = 3

Clock = Callable[[], float]
Sleep = Callable[[float], Awaitable[None]]


@dataclass(frozen=True, slots=True)
class Settled:
    observation: Observation
    stable: bool
    polls: int
    waited_s: float
    #: The screen's fingerprint when it settled, when it was polled by one.
    signal: str | None = None
    #: Polled by a fingerprint, the screen never changed after the first poll (so an
    #: observation taken beside it shows the settled screen).
    final_at_first: bool = False
    #: The observation was the one taken beside the first poll (`observe_first`).
    observed_first: bool = False


async def within(timeout_s: float, call: Awaitable[T], what: str) -> T:
    """Await a device call with a deadline; a miss is a `DeviceTimeoutError`."""
    try:
        async with asyncio.timeout(timeout_s):
            return await call
    except TimeoutError:
        raise DeviceTimeoutError(f"the device did not {what} within {timeout_s:g}s") from None


def signature(obs: Observation) -> tuple[object, ...]:
    if obs.ui is not None:
        return (
            "ui",
            obs.package,
            tuple(
                (e.class_name, e.text, e.content_desc, e.bounds, e.checked, e.focused, e.selected)
                for e in obs.ui
            ),
        )
    return ("png", hashlib.sha1(obs.screenshot).hexdigest())


@runtime_checkable
class Signalled(Protocol):
    """A device with a cheap fingerprint of its screen (`AdbDevice.screen_signal`)."""

    async def screen_signal(self) -> str: ...


@runtime_checkable
class Quieted(Protocol):
    """A device some of whose fingerprints are read only once its screen has been still for a
    while (`AdbDevice.read_quiet`: a UI dump, since `uiautomator dump` waits for a second
    without accessibility events before it reads the tree)."""

    def read_quiet(self, signal: str) -> bool: ...


@runtime_checkable
class Polled(Protocol):
    """A device that can reuse what a settling poll read (`AdbDevice.observe_polled`: the UI
    dump of a poll by the dump's hash) instead of reading it again."""

    async def observe_polled(self, signal: str) -> Observation: ...


async def wait_for_settle(
    device: Device,
    *,
    timeout_s: float,
    interval_s: float,
    observe_timeout_s: float,
    before: Observation | None = None,
    before_signal: str | None = None,
    use_signal: bool = True,
    observe_first: bool = False,
    on_screen: Callable[[Observation], object] | None = None,
    clock: Clock = time.monotonic,
    sleep: Sleep = asyncio.sleep,
) -> Settled:
    """The first observation that matches the one before it (and, within the grace, differs
    from `before`), or the last one at the deadline.

    A device with a `screen_signal` (and `use_signal`) is polled by that cheap fingerprint,
    the first poll at once; the full observation is taken once, when the screen is stable, or
    beside the first poll with `observe_first` (see the module docstring). `on_screen` is
    called with each full observation as soon as it is taken. `before_signal` is the
    fingerprint of `before`, when known."""
    if use_signal and isinstance(device, Signalled):
        return await _by_signal(
            device,
            device.screen_signal,
            timeout_s=timeout_s,
            interval_s=interval_s,
            observe_timeout_s=observe_timeout_s,
            old=before_signal,
            observe_first=observe_first,
            on_screen=on_screen,
            clock=clock,
            sleep=sleep,
        )
    start = clock()
    deadline = start + timeout_s
    grace_end = start + UNCHANGED_GRACE * interval_s
    old = signature(before) if before is not None else None
    current = await within(observe_timeout_s, device.observe(), "return a screen")
    polls = 1
    while clock() + interval_s <= deadline:
        await sleep(interval_s)
        nxt = await within(observe_timeout_s, device.observe(), "return a screen")
        polls += 1
        sig = signature(nxt)
        if sig == signature(current) and (sig != old or clock() >= grace_end):
            return Settled(nxt, True, polls, clock() - start)
        current = nxt
    return Settled(current, False, polls, clock() - start)


async def _by_signal(
    device: Device,
    signal: Callable[[], Awaitable[str]],
    *,
    timeout_s: float,
    interval_s: float,
    observe_timeout_s: float,
    old: str | None,
    observe_first: bool,
    on_screen: Callable[[Observation], object] | None,
    clock: Clock,
    sleep: Sleep,
) -> Settled:
    async def observe(at: str | None = None) -> Observation:
        """The screen in full; `at`: the fingerprint of the poll just before, which saw it
        as it is (what that poll read is reused, on a device that can)."""
        call = (
            device.observe_polled(at)
            if at is not None and isinstance(device, Polled)
            else device.observe()
        )
        obs = await within(observe_timeout_s, call, "return a screen")
        if on_screen is not None:
            on_screen(obs)
        return obs

    quiet = device.read_quiet if isinstance(device, Quieted) else _never
    start = clock()
    deadline = start + timeout_s
    grace_end = start + UNCHANGED_GRACE * interval_s
    early: asyncio.Future[Observation] | None = None
    try:
        first = current = await within(observe_timeout_s, signal(), "return a screen")
        # Still, and no longer the screen before (or the same after the whole grace: a dump
        # takes a second or more on a phone).
        if quiet(first) and (first != old or clock() >= grace_end):
            obs = await observe(first)
            return Settled(obs, True, 1, clock() - start, first, True)
        if observe_first:  # taken between the first poll and the next, which must agree
            early = asyncio.ensure_future(observe(first))
        polls, stable, moved = 1, False, False
        while clock() + interval_s <= deadline:
            await sleep(interval_s)
            if early is not None and polls == 1:
                await asyncio.wait([early])  # the next poll comes after it
            nxt = await within(observe_timeout_s, signal(), "return a screen")
            polls += 1
            moved = moved or nxt != first
            agrees = nxt == current or quiet(nxt)
            current = nxt
            if agrees and (nxt != old or clock() >= grace_end):
                stable = True
                break
        if early is not None and not moved and polls > 1:
            obs, early = await early, None
            return Settled(obs, stable, polls, clock() - start, current, True, True)
        obs = await observe(current if stable else None)
        return Settled(obs, stable, polls, clock() - start, current, not moved)
    finally:
        if early is not None:  # the screen moved on after it (or a poll failed): not needed
            early.cancel()
            await asyncio.wait([early])
            if not early.cancelled():
                early.exception()  # a failure nobody needs to hear of


def _never(signal: str) -> bool:
    return False
