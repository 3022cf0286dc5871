"""One role call with bounded re-asks: the reply is parsed and validated, and an unusable reply
goes back to the model with the error, `retries` times at most.

Which failures are worth a re-ask: a reply that is not JSON, does not fit the schema, or names
a target that does not resolve (`ModelResponseError`, `ActionError`). A model that fails to
answer at all (timeout, server error after the backend's own retries) ends the role's call for
this step. Either way the outcome is a value (`Asked.failure`), not an exception: the step
decides what a failed role means. Configuration errors (bad key, unknown model, a scripted
model off its script) propagate: the episode cannot go on.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from artemis.agent.types import RoleCost, RoleName
from artemis.config import Settings
from artemis.errors import (
    ActionError,
    ModelConfigError,
    ModelError,
    ModelResponseError,
    RealModelCallError,
    ScriptError,
)
from artemis.models.base import ChatModel, Message, ModelResponse
from artemis.models.parsing import clip

log = logging.getLogger(__name__)

S = TypeVar("S", bound=BaseModel)
R = TypeVar("R")

#: How much of an unusable reply goes back to the model with the error: enough to see what
#: went wrong, never megabytes of a server gone astray.
REPLY_ECHO_CHARS = 4000

#: Errors that mean the model cannot be used at all; they end the episode.
FATAL_MODEL_ERRORS = (ModelConfigError, RealModelCallError, ScriptError)

_RETRY_TEMPLATE = (
    "Your reply could not be used: {error}\n"
    "Answer again with exactly one JSON object that fits the requested format."
)


def call_deadline(settings: Settings) -> float:
    """How long one role call may take in all: the backend's own retries, with their backoff
    (at most 8 s each), fit inside it."""
    m = settings.models
    return m.timeout_s * (m.max_retries + 1) + 8.0 * m.max_retries


@dataclass
class Asked(Generic[R]):
    """A role call's outcome: `value` when a reply was accepted, else `failure` says why."""

    value: R | None
    cost: RoleCost
    failure: str | None = None


async def ask(
    model: ChatModel,
    role: RoleName,
    messages: list[Message],
    schema: type[S],
    *,
    accept: Callable[[S, ModelResponse[S]], R],
    context: Mapping[str, Any],
    settings: Settings,
) -> Asked[R]:
    """Call `model` until `accept(parsed, response)` returns, `agent.reply_retries` re-asks
    at most.

    `accept` validates what the schema cannot (a point on the screen, an element that exists)
    and raises `ModelResponseError` or `ActionError` with a message meant for the model.
    """
    retries = settings.agent.reply_retries
    timeout_s = settings.models.timeout_s
    deadline_s = call_deadline(settings)
    cost = RoleCost(model=model.name)
    history = list(messages)
    for attempt in range(retries + 1):
        cost.attempts += 1
        ctx = {**context, "role": role, "attempt": attempt, "errors": list(cost.errors)}
        started = time.perf_counter()
        raw = ""
        counted = False
        try:
            async with asyncio.timeout(deadline_s):
                response = await model.complete(
                    history, output_schema=schema, timeout_s=timeout_s, context=ctx
                )
            cost.count(response.usage, response.latency_s)
            counted, raw = True, response.text
            log.debug(
                "%s (%s), attempt %d: %d+%d tokens in %.2f s",
                role,
                model.name,
                attempt + 1,
                response.usage.input_tokens,
                response.usage.output_tokens,
                response.latency_s,
            )
            if response.parsed is None:
                raise ModelResponseError("the reply has no parsable JSON object", raw=raw)
            value = accept(response.parsed, response)
        except ModelResponseError as exc:
            error, raw = str(exc), exc.raw or raw
            spent = exc.response  # the reply that did not fit still spent tokens
            if isinstance(spent, ModelResponse) and not counted:
                cost.count(spent.usage, spent.latency_s)
        except ActionError as exc:
            error = str(exc)
        except FATAL_MODEL_ERRORS:
            raise
        except TimeoutError:
            return _failed(cost, started, f"{model.name} did not answer within {deadline_s:g}s")
        except ModelError as exc:
            return _failed(cost, started, f"{model.name} failed: {exc}")
        else:
            cost.latency_s += time.perf_counter() - started
            return Asked(value, cost)
        cost.latency_s += time.perf_counter() - started
        cost.errors.append(error)
        history = [
            *history,
            Message.assistant(clip(raw, REPLY_ECHO_CHARS) or "(empty reply)"),
            Message.user(_RETRY_TEMPLATE.format(error=error)),
        ]
    last = cost.errors[-1] if cost.errors else "no reply"
    return Asked(None, cost, f"no usable reply after {cost.attempts} tries (last: {last})")


def _failed(cost: RoleCost, started: float, why: str) -> Asked[Any]:
    cost.latency_s += time.perf_counter() - started
    cost.errors.append(why)
    return Asked(None, cost, why)
