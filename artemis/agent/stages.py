"""The stages of a step that are not model roles: retrieving tips and executing an action.

Each is a separate awaitable with explicit inputs and outputs, so the loop can time, skip or
(later) overlap them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field

from artemis.actions import Action, Note, Wait
from artemis.agent.settle import within
from artemis.device.base import Device
from artemis.errors import (
    ActionError,
    DeviceCommandError,
    TipStoreError,
    UIDumpError,
)
from artemis.observation import Observation
from artemis.tips.base import ScoredTip, TipStore


@dataclass(frozen=True)
class TipQuery:
    app: str | None
    task: str
    screen_text: str
    k: int


@dataclass
class TipsResult:
    tips: list[ScoredTip] = field(default_factory=list)
    error: str | None = None


async def retrieve_tips(
    store: TipStore, query: TipQuery, *, timeout_s: float, required: bool
) -> TipsResult:
    """Tips for the app on screen. A store that fails is recorded and skipped, unless tips are
    required by the settings (then the error ends the episode)."""
    try:
        async with asyncio.timeout(timeout_s):
            tips = await store.retrieve(
                app=query.app, task=query.task, screen_text=query.screen_text, k=query.k
            )
    except (TipStoreError, TimeoutError) as exc:
        if required:
            if isinstance(exc, TimeoutError):
                raise TipStoreError(f"the tip store did not answer within {timeout_s:g}s") from None
            raise
        return TipsResult([], f"tips unavailable: {exc or 'timeout'}")
    return TipsResult(list(tips))


@dataclass(frozen=True)
class ExecInput:
    action: Action
    observation: Observation


@dataclass
class ExecResult:
    """`executed` is the action carried out, or None with `error` saying why (the error is
    shown to the Manager at the next step). Memory-only actions are `executed` trivially."""

    executed: Action | None
    error: str | None = None
    touched_device: bool = False


async def execute(
    device: Device,
    inp: ExecInput,
    *,
    timeout_s: float,
    sleep: Callable[[float], Awaitable[None]],
    on_note: Callable[[str], None],
) -> ExecResult:
    """Carry out one action. Connection drops and timeouts propagate (the step is retried);
    an action that cannot be carried out comes back as `error`."""
    action = inp.action
    if isinstance(action, Note):
        on_note(action.text)
        return ExecResult(action)
    if action.type in ("finish", "answer"):
        return ExecResult(action)
    if isinstance(action, Wait):
        # Waiting is the loop's business: with an injected sleep, tests never wait.
        await sleep(action.seconds)
        return ExecResult(action, touched_device=True)
    try:
        await within(
            timeout_s, device.execute(action, ui=inp.observation.ui), "carry out the action"
        )
    except (ActionError, DeviceCommandError, UIDumpError) as exc:
        return ExecResult(None, f"{action.type} could not be carried out: {exc}")
    return ExecResult(action, touched_device=True)
