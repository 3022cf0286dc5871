"""Scripted models for tests, shipped in the library so that users can test their own code.

- `ScriptedModel`: strict. Each call consumes the next entry of its script; a call with the
  script used up fails, and `assert_exhausted()` fails when entries were left over.
- `FunctionModel`: each call is answered by a function of the call (messages, schema, tools
  and the typed request of the role that made it).

A reply is text, a pydantic object or a dict (sent as JSON), a `Rendered` reply (text and tool
calls, as a tool-calling server returns them), or an exception (raised). Images are "seen" at
their own size (`NATIVE_SIZE`). A model speaks the dialect the settings choose for its name,
or `dialect` when given.

Token usage is a deterministic estimate (4 characters a token) so that accounting can be
tested. A reply that does not parse raises `ModelResponseError` with the response attached,
as a real backend's does, so its tokens are counted. Neither model ever touches the network.
"""

from __future__ import annotations

import inspect
import time
from collections.abc import Awaitable, Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, TypeVar

from pydantic import BaseModel

from artemis.errors import ModelResponseError, ScriptError
from artemis.models.base import (
    Message,
    ModelRequest,
    ModelResponse,
    ToolCall,
    ToolSpec,
    Usage,
)
from artemis.models.coords import NATIVE_SIZE, CoordSpace, ImageFrame, ImageRule
from artemis.models.dialects.base import Rendered
from artemis.models.parsing import parse_reply

T = TypeVar("T", bound=BaseModel)
Q = TypeVar("Q", bound=ModelRequest)

Answer = str | BaseModel | dict[str, Any] | Rendered
Reply = Answer | Exception


@dataclass(frozen=True, slots=True)
class Expect:
    """A script entry that also checks the call: its request's role, when given."""

    reply: Reply
    role: str | None = None


@dataclass(slots=True)
class Call:
    """One call a test model received."""

    messages: list[Message]
    output_schema: type[BaseModel] | None
    request: ModelRequest | None = None
    tools: Sequence[ToolSpec] | None = None

    @property
    def role(self) -> str | None:
        return self.request.role if self.request is not None else None

    def input(self, kind: type[Q]) -> Q:
        """The call's request as the role's input type (`PlanInput`, `CheckInput`, ...);
        a call of another kind fails the script."""
        if not isinstance(self.request, kind):
            raise ScriptError(
                f"expected a {kind.__name__} request, got {type(self.request).__name__} "
                f"(role {self.role!r})"
            )
        return self.request

    @property
    def text(self) -> str:
        return "\n".join(m.text for m in self.messages)


def _reply(reply: Answer) -> tuple[str, list[ToolCall]]:
    import json

    if isinstance(reply, Rendered):
        return reply.text, list(reply.tool_calls)
    if isinstance(reply, BaseModel):
        return reply.model_dump_json(), []
    if isinstance(reply, dict):
        return json.dumps(reply), []
    return reply, []


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
    reply: Answer,
    started: float,
) -> ModelResponse[T]:
    text, calls = _reply(reply)
    response: ModelResponse[T] = ModelResponse(
        text=text,
        tool_calls=calls,
        model=name,
        usage=_estimate_usage(messages, text),
        latency_s=time.perf_counter() - started,
        frames=_frames(messages),
        coords=coords,
    )
    if output_schema is not None and not calls:
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
        dialect: str | None = None,
    ) -> None:
        self.script: list[Reply | Expect] = list(script)
        self.name = name
        self.coords: CoordSpace = coords
        self.image_rule: ImageRule = NATIVE_SIZE
        self.dialect = dialect
        self.calls: list[Call] = []

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        started = time.perf_counter()
        call = Call(list(messages), output_schema, request, tools)
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
        return _respond(self.name, self.coords, call.messages, output_schema, entry, started)

    @property
    def remaining(self) -> int:
        return len(self.script)

    def assert_exhausted(self) -> None:
        if self.script:
            raise ScriptError(f"{self.name}: {len(self.script)} scripted replies were not used")


ReplyFn = Callable[[Call], "Answer | Awaitable[Answer]"]


@dataclass
class FunctionModel:
    """A model whose every reply is `fn(call)` (sync or async)."""

    fn: ReplyFn
    name: str = "function"
    coords: CoordSpace = "pixels"
    dialect: str | None = None
    image_rule: ImageRule = NATIVE_SIZE
    calls: list[Call] = field(default_factory=list)

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        started = time.perf_counter()
        call = Call(list(messages), output_schema, request, tools)
        self.calls.append(call)
        out = self.fn(call)
        if inspect.isawaitable(out):
            out = await out
        return _respond(self.name, self.coords, call.messages, output_schema, out, started)
