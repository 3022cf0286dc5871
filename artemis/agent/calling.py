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
import dataclasses
import json
import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from pydantic import BaseModel

from artemis.agent.types import RoleCost
from artemis.config import Settings
from artemis.errors import (
    ActionError,
    ModelConfigError,
    ModelError,
    ModelResponseError,
    RealModelCallError,
    ScriptError,
)
from artemis.models.base import ChatModel, Message, ModelRequest, ModelResponse, ToolSpec
from artemis.models.parsing import clip

log = logging.getLogger(__name__)

P = TypeVar("P")
R = TypeVar("R")

#: How much of an unusable reply goes back to the model with the error: enough to see what
#: went wrong, never megabytes of a server gone astray.
REPLY_ECHO_CHARS = 4000

#: Errors that mean the model cannot be used at all; they end the episode.
FATAL_MODEL_ERRORS = (ModelConfigError, RealModelCallError, ScriptError)


def json_retry(error: str) -> str:
    """The re-ask for roles that answer artemis JSON (TAC, SRA)."""
    return (
        f"Your reply could not be used: {error}\n"
        "Answer again with exactly one JSON object that fits the requested format."
    )


def parsed(response: ModelResponse[Any]) -> Any:
    """The schema-validated reply of a JSON role."""
    if response.parsed is None:
        raise ModelResponseError("the reply has no parsable JSON object", raw=response.text)
    return response.parsed


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
    request: ModelRequest,
    messages: list[Message],
    *,
    accept: Callable[[P, ModelResponse[Any]], R],
    settings: Settings,
    read: Callable[[ModelResponse[Any]], P] = parsed,
    schema: type[BaseModel] | None = None,
    tools: Sequence[ToolSpec] | None = None,
    retry_text: Callable[[str], str] = json_retry,
) -> Asked[R]:
    """Call `model` until `accept(read(response), response)` returns, `agent.reply_retries`
    re-asks at most.

    `read` turns the response into a reply (a dialect's parser, or the schema-validated
    object); `accept` validates what it cannot (a point on the screen, an element that
    exists). Both raise `ModelResponseError` or `ActionError` with a message meant for the
    model, which `retry_text` words as the re-ask. Each call carries `request`, with the
    attempt number and the errors so far.
    """
    retries = settings.agent.reply_retries
    timeout_s = settings.models.timeout_s
    deadline_s = call_deadline(settings)
    cost = RoleCost(model=model.name)
    history = list(messages)
    for attempt in range(retries + 1):
        cost.attempts += 1
        req = dataclasses.replace(request, attempt=attempt, errors=tuple(cost.errors))
        started = time.perf_counter()
        raw = ""
        counted = False
        try:
            async with asyncio.timeout(deadline_s):
                response = await model.complete(
                    history, output_schema=schema, tools=tools, timeout_s=timeout_s, request=req
                )
            cost.count(response.usage, response.latency_s)
            counted, raw = True, _as_text(response)
            log.debug(
                "%s (%s), attempt %d: %d+%d tokens in %.2f s",
                request.role,
                model.name,
                attempt + 1,
                response.usage.input_tokens,
                response.usage.output_tokens,
                response.latency_s,
            )
            value = accept(read(response), response)
        except ModelResponseError as exc:
            error, raw = str(exc), raw or exc.raw or ""
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
            Message.user(retry_text(error)),
        ]
    last = cost.errors[-1] if cost.errors else "no reply"
    return Asked(None, cost, f"no usable reply after {cost.attempts} tries (last: {last})")


def _as_text(response: ModelResponse[Any]) -> str:
    """The reply as text, its tool calls written as Hermes-style `<tool_call>` blocks."""
    calls = [
        "<tool_call>\n"
        + json.dumps({"name": c.name, "arguments": c.arguments}, ensure_ascii=False)
        + "\n</tool_call>"
        for c in response.tool_calls
    ]
    return "\n".join([response.text, *calls]).strip() if calls else response.text


def _failed(cost: RoleCost, started: float, why: str) -> Asked[Any]:
    cost.latency_s += time.perf_counter() - started
    cost.errors.append(why)
    return Asked(None, cost, why)
