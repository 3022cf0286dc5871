"""Scripted models for tests, shipped in the library so that users can test their own code.

- `ScriptedModel`: strict. Each call consumes the next entry of its script; a call with the
  script used up fails, and `assert_exhausted()` fails when entries were left over.
- `FunctionModel`: each call is answered by a function of the messages and the context.

Token usage is a deterministic estimate (4 characters a token) so that accounting can be
tested. A reply that does not parse raises `ModelResponseError` with the response attached,
as a real backend's does, so its tokens are counted. Neither model ever touches the network.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from artemis.errors import ModelResponseError, ScriptError
from artemis.models.base import Message, ModelResponse, Usage
from artemis.models.coords import CoordSpace, ImageFrame
from artemis.models.parsing import parse_reply

T = TypeVar("T", bound=BaseModel)

Reply = str | BaseModel | dict[str, Any] | Exception


@dataclass(frozen=True, slots=True)
class Expect:
    """A script entry that also checks the call: its `context["role"]`, when given."""

    reply: Reply
    role: str | None = None


@dataclass(slots=True)
class Call:
    """One call a test model received."""

    messages: list[Message]
    output_schema: type[BaseModel] | None
    context: Mapping[str, Any]

    @property
    def role(self) -> str | None:
        role = self.context.get("role")
        return str(role) if role is not None else None

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages)


def _reply_text(reply: str | BaseModel | dict[str, Any]) -> str:
    import json

    if isinstance(reply, BaseModel):
        return reply.model_dump_json()
    if isinstance(reply, dict):
        return json.dumps(reply)
    return reply


def _estimate_usage(messages: list[Message], reply: str) -> Usage:
    chars = sum(len(m.text) for m in messages)
    images = sum(len(m.images) for m in messages)
    return Usage(input_tokens=chars // 4 + 256 * images, output_tokens=len(reply) // 4, calls=1)


def _frames(messages: list[Message]) -> list[ImageFrame]:
    """Scripted models 'see' images at their original size."""
    from artemis.models.images import png_size

    frames = []
    for m in messages:
        for img in m.images:
            w, h = png_size(img.png)
            frames.append(ImageFrame(w, h, w, h))
    return frames


def _respond(
    name: str,
    coords: CoordSpace,
    messages: list[Message],
    output_schema: type[T] | None,
    text: str,
    started: float,
) -> ModelResponse[T]:
    response: ModelResponse[T] = ModelResponse(
        text=text,
        model=name,
        usage=_estimate_usage(messages, text),
        latency_s=time.perf_counter() - started,
        frames=_frames(messages),
        coords=coords,
    )
    if output_schema is not None:
        try:
            response.parsed = parse_reply(text, output_schema)
        except ModelResponseError as exc:
            exc.response = response  # as a real backend does: a rejected reply spent tokens
            raise
    return response


class ScriptedModel:
    """A strict scripted model. Replies may be text, a pydantic object, a dict (sent as JSON),
    an exception (raised), or an `Expect` wrapping one of those with a role check."""

    def __init__(
        self,
        script: Iterable[Reply | Expect],
        *,
        name: str = "scripted",
        coords: CoordSpace = "pixels",
    ) -> None:
        self.script: list[Reply | Expect] = list(script)
        self.name = name
        self.coords: CoordSpace = coords
        self.calls: list[Call] = []

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        timeout_s: float | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> ModelResponse[T]:
        started = time.perf_counter()
        call = Call(list(messages), output_schema, dict(context or {}))
        self.calls.append(call)
        if not self.script:
            raise ScriptError(
                f"{self.name}: unexpected call #{len(self.calls)} (role {call.role!r}); "
                "the script is used up"
            )
        entry = self.script.pop(0)
        if isinstance(entry, Expect):
            if entry.role is not None and entry.role != call.role:
                raise ScriptError(
                    f"{self.name}: call #{len(self.calls)} expected role {entry.role!r}, "
                    f"got {call.role!r}"
                )
            entry = entry.reply
        if isinstance(entry, Exception):
            raise entry
        return _respond(
            self.name, self.coords, call.messages, output_schema, _reply_text(entry), started
        )

    @property
    def remaining(self) -> int:
        return len(self.script)

    def assert_exhausted(self) -> None:
        if self.script:
            raise ScriptError(f"{self.name}: {len(self.script)} scripted replies were not used")


ReplyFn = Callable[
    [Call], "str | BaseModel | dict[str, Any] | Awaitable[str | BaseModel | dict[str, Any]]"
]


@dataclass
class FunctionModel:
    """A model whose every reply is `fn(call)` (sync or async)."""

    fn: ReplyFn
    name: str = "function"
    coords: CoordSpace = "pixels"
    calls: list[Call] = field(default_factory=list)

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        timeout_s: float | None = None,
        context: Mapping[str, Any] | None = None,
    ) -> ModelResponse[T]:
        started = time.perf_counter()
        call = Call(list(messages), output_schema, dict(context or {}))
        self.calls.append(call)
        out = self.fn(call)
        if inspect.isawaitable(out):
            out = await out
        return _respond(
            self.name, self.coords, call.messages, output_schema, _reply_text(out), started
        )
