"""`openai:<model>`: any OpenAI-compatible chat-completions server, through the openai SDK.

One `OpenAIModel` per (model, server). A call:

1. resizes each image by the model family's resize rule within the pixel budget
   (`image_rule`: sides a multiple of the family's patch size, so that the server does not
   resize again) off the event loop, and sends it as a base64 PNG data URL;
2. offers the dialect's tools when it has any (the reply's `tool_calls` come back as they
   are), else asks for structured output on the highest step of the ladder the server has
   not refused (`artemis.models.structured`), stepping down on a 400 that says
   `response_format` is not supported, and remembering the step for later calls;
3. retries 429 (honouring `retry-after`), 5xx, timeouts and connection errors a bounded number
   of times (`artemis.models.retry`; the SDK's own retries are off);
4. validates the reply against the schema and returns it with token usage, latency, the
   frames sent and the coordinate convention.

Expected failures become `artemis.errors` with a message that says what to do.
"""

from __future__ import annotations

import asyncio
import base64
import dataclasses
import functools
import ssl
import time
from collections.abc import Mapping, Sequence
from typing import Any, Literal, TypeVar

import httpx2
import openai
from openai import AsyncOpenAI
from openai.types.chat import ChatCompletion, ChatCompletionMessageFunctionToolCall
from pydantic import BaseModel

from artemis.config import Settings
from artemis.errors import (
    ModelAuthError,
    ModelConfigError,
    ModelError,
    ModelResponseError,
    ModelServerError,
    ModelTimeoutError,
)
from artemis.models import guard
from artemis.models.base import (
    ImagePart,
    Message,
    ModelRequest,
    ModelResponse,
    TextPart,
    ToolCall,
    ToolSpec,
    Usage,
)
from artemis.models.connection import KEY_HELP, URL_HELP, Connection, resolve_connection
from artemis.models.coords import CoordSpace, ImageFrame, ImageRule
from artemis.models.images import prepare
from artemis.models.parsing import parse_reply
from artemis.models.retry import RetriesExhausted, Retryable, RetryPolicy, parse_retry_after
from artemis.models.structured import (
    LADDER,
    StructuredMode,
    next_mode,
    rejects_response_format,
    response_format,
    with_schema_hint,
)

T = TypeVar("T", bound=BaseModel)

_RETRY_STATUSES = frozenset({408, 409, 429})


@functools.cache
def _tls() -> ssl.SSLContext:
    """The TLS settings every client shares: httpx's defaults (its CA bundle, or
    `SSL_CERT_FILE` / `SSL_CERT_DIR`), read once. Loading a CA bundle takes tens of
    milliseconds, and a client is made per model per event loop (per episode in a benchmark)."""
    return httpx2.create_ssl_context()


class _LoopBoundHttpClient(openai.DefaultAsyncHttpxClient):
    """The SDK's HTTP client, closing itself on collection only on its own event loop.

    The SDK's client schedules `aclose()` on whatever loop runs when it is collected; for a
    client made on a loop that has since ended, that fails noisily (its sockets belong to the
    dead loop).
    """

    def __init__(self, loop: asyncio.AbstractEventLoop, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._bound_loop = loop

    def __del__(self) -> None:
        if self.is_closed:
            return
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            return
        if running is self._bound_loop:
            self._closing = running.create_task(self.aclose())


class _StepDown(Exception):
    """The server refused the response_format of this step."""


class OpenAIModel:
    """A chat model on an OpenAI-compatible server. See the module docstring."""

    def __init__(
        self,
        model: str,
        *,
        connection: Connection | None = None,
        coords: CoordSpace | Literal["auto"] = "auto",
        max_image_pixels: int = 1_003_520,
        image_multiple: int | None = None,
        timeout_s: float = 120.0,
        temperature: float = 0.0,
        max_tokens: int = 1024,
        structured: StructuredMode | Literal["auto"] = "auto",
        retry: RetryPolicy | None = None,
        extra_body: Mapping[str, Any] | None = None,
        prefix: str = "openai",
        transport: httpx2.AsyncBaseTransport | None = None,
    ) -> None:
        if not model:
            raise ModelConfigError(f"a model spec needs a model name: {prefix}:<model>")
        self.model = model
        self.name = f"{prefix}:{model}"
        self.connection = connection or resolve_connection()
        from artemis.models.dialects import family_coords, family_image_rule

        self.coords: CoordSpace = family_coords(model) if coords == "auto" else coords
        self.image_rule: ImageRule = family_image_rule(model, max_image_pixels, image_multiple)
        #: None: the settings and the model's name choose its dialect.
        self.dialect: str | None = None
        self.timeout_s = timeout_s
        self.temperature = temperature
        self.max_tokens = max_tokens
        # The highest structured-output step not yet refused by this server.
        self.structured_mode: StructuredMode = "json_schema" if structured == "auto" else structured
        retry = retry or RetryPolicy()
        self.retry = retry if retry.label else dataclasses.replace(retry, label=self.name)
        self.extra_body = dict(extra_body or {})
        self._max_tokens_field = "max_tokens"
        # The HTTP seam: None is the network; a test passes an in-memory transport
        # (`FakeChatServer.transport()`), and a call through it is no real model call.
        self.transport = transport
        self._client: AsyncOpenAI | None = None
        self._client_loop: asyncio.AbstractEventLoop | None = None

    @classmethod
    def from_settings(
        cls, model: str, settings: Settings, *, server: str | None = None, **overrides: Any
    ) -> OpenAIModel:
        """A model configured by `settings.models`; on the named `server` when given
        (`models.servers.<name>`, which uses its own key and never the environment's)."""
        m = settings.models
        if server is not None:
            named = m.servers[server]
            key = named.api_key.get_secret_value() if named.api_key is not None else None
            connection = resolve_connection(named.base_url, key, env={})
        else:
            key = m.api_key.get_secret_value() if m.api_key is not None else None
            connection = resolve_connection(m.base_url, key)
        kwargs: dict[str, Any] = {
            "prefix": server or "openai",
            "connection": connection,
            "coords": m.coords,
            "max_image_pixels": m.max_image_pixels,
            "image_multiple": m.image_multiple,
            "timeout_s": m.timeout_s,
            "temperature": m.temperature,
            "max_tokens": m.max_tokens,
            "structured": m.structured_output,
            "retry": RetryPolicy(max_retries=m.max_retries),
        }
        kwargs.update(overrides)
        return cls(model, **kwargs)

    def __repr__(self) -> str:
        return f"OpenAIModel({self.model!r}, {self.connection!r})"

    # -- the call -----------------------------------------------------------------------------

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
        wire, frames = await self._encode(messages)
        timeout = timeout_s if timeout_s is not None else self.timeout_s
        attempts = 0
        if tools:  # a tool call is the answer: no response_format beside it
            output_schema = None
        start = LADDER.index(self.structured_mode)
        for mode in LADDER[start:]:
            try:
                completion, n = await self._send(wire, output_schema, mode, timeout, tools)
            except _StepDown:
                attempts += 1
                lower = next_mode(mode)
                if lower is not None and LADDER.index(lower) > LADDER.index(self.structured_mode):
                    self.structured_mode = lower  # later calls skip the refused step
                continue
            attempts += n
            break
        else:  # pragma: no cover - text mode sends no response_format to refuse
            raise ModelError(f"{self.name}: every structured-output step was refused")
        return self._response(
            completion, output_schema, mode, frames, attempts, time.perf_counter() - started
        )

    async def _send(
        self,
        wire: list[dict[str, Any]],
        schema: type[BaseModel] | None,
        mode: StructuredMode,
        deadline_s: float,
        tools: Sequence[ToolSpec] | None = None,
    ) -> tuple[ChatCompletion, int]:
        request: dict[str, Any] = {
            "model": self.model,
            "messages": with_schema_hint(wire, schema, mode) if schema is not None else wire,
            "temperature": self.temperature,
        }
        if tools:
            request["tools"] = [dict(t) for t in tools]
        fmt = response_format(schema, mode) if schema is not None else None
        if fmt is not None:
            request["response_format"] = fmt

        async def attempt(n: int) -> ChatCompletion:
            if self.transport is None:
                guard.check_real_call_allowed(self.name)
            try:
                try:
                    result = await self._create(request, deadline_s)
                except openai.APIStatusError as exc:
                    if not self._adapt_max_tokens(exc):
                        raise
                    result = await self._create(request, deadline_s)
            except (TimeoutError, openai.APIConnectionError) as exc:
                raise Retryable(exc) from exc
            except openai.APIStatusError as exc:
                if exc.status_code in _RETRY_STATUSES or exc.status_code >= 500:
                    raise Retryable(
                        exc, retry_after=parse_retry_after(exc.response.headers)
                    ) from exc
                if fmt is not None and rejects_response_format(
                    exc.status_code, exc.param, _server_message(exc)
                ):
                    raise _StepDown from exc
                raise self._status_error(exc) from exc
            return _check_completion(result)

        try:
            return await self.retry.run(attempt)
        except RetriesExhausted as exc:
            raise self._exhausted_error(exc, deadline_s) from exc.last.cause

    async def _create(self, request: dict[str, Any], deadline_s: float) -> Any:
        body = {**request, self._max_tokens_field: self.max_tokens}
        async with asyncio.timeout(deadline_s):
            return await self._client_for_loop().chat.completions.create(
                **body, timeout=deadline_s, extra_body=self.extra_body or None
            )

    def _adapt_max_tokens(self, exc: openai.APIStatusError) -> bool:
        """Newer OpenAI models refuse `max_tokens` and take `max_completion_tokens`."""
        if exc.status_code == 400 and exc.param == "max_tokens":
            self._max_tokens_field = "max_completion_tokens"
            return True
        return False

    # -- building the request -----------------------------------------------------------------

    async def _encode(
        self, messages: list[Message]
    ) -> tuple[list[dict[str, Any]], list[ImageFrame]]:
        images = [p for m in messages for p in m.parts if isinstance(p, ImagePart)]
        encoded = await asyncio.gather(*(prepare(img.png, self.image_rule) for img in images))
        urls = iter(f"data:image/png;base64,{base64.b64encode(png).decode()}" for png, _ in encoded)
        wire: list[dict[str, Any]] = []
        for m in messages:
            if not m.images:
                wire.append({"role": m.role, "content": m.text})
                continue
            content: list[dict[str, Any]] = []
            for part in m.parts:
                if isinstance(part, TextPart):
                    content.append({"type": "text", "text": part.text})
                else:
                    content.append({"type": "image_url", "image_url": {"url": next(urls)}})
            wire.append({"role": m.role, "content": content})
        return wire, [frame for _, frame in encoded]

    def _client_for_loop(self) -> AsyncOpenAI:
        # An httpx2 connection pool belongs to the event loop it was made on.
        loop = asyncio.get_running_loop()
        if self._client is None or self._client_loop is not loop:
            self._client = AsyncOpenAI(
                api_key=self.connection.api_key,
                base_url=self.connection.base_url,
                max_retries=0,
                timeout=self.timeout_s,
                http_client=_LoopBoundHttpClient(loop, transport=self.transport, verify=_tls()),
            )
            self._client_loop = loop
        return self._client

    async def aclose(self) -> None:
        client, self._client = self._client, None
        if client is not None and self._client_loop is asyncio.get_running_loop():
            await client.close()

    # -- reading the reply --------------------------------------------------------------------

    def _response(
        self,
        completion: ChatCompletion,
        schema: type[T] | None,
        mode: StructuredMode,
        frames: list[ImageFrame],
        attempts: int,
        latency_s: float,
    ) -> ModelResponse[T]:
        choice = completion.choices[0]
        text = choice.message.content or ""
        calls = [
            ToolCall(c.function.name, c.function.arguments or "", c.id or "")
            for c in choice.message.tool_calls or ()
            if isinstance(c, ChatCompletionMessageFunctionToolCall)
        ]
        usage = Usage(calls=1)
        if completion.usage is not None:
            usage = Usage(
                completion.usage.prompt_tokens or 0, completion.usage.completion_tokens or 0, 1
            )
        response: ModelResponse[T] = ModelResponse(
            text=text,
            model=self.name,
            tool_calls=calls,
            usage=usage,
            latency_s=latency_s,
            frames=frames,
            coords=self.coords,
            extra={
                "attempts": attempts,
                "structured": mode if schema is not None else None,
                "finish_reason": choice.finish_reason,
                "served_model": completion.model,
                "usage_reported": completion.usage is not None,
            },
        )
        if schema is None:
            return response
        if not text.strip():
            refusal = getattr(choice.message, "refusal", None)
            why = f"refused: {refusal}" if refusal else f"finish_reason={choice.finish_reason}"
            raise ModelResponseError(
                f"the model returned no text ({why})", raw=text, response=response
            )
        try:
            response.parsed = parse_reply(text, schema)
        except ModelResponseError as exc:
            if choice.finish_reason == "length":
                msg = f"{exc} (the reply was cut at max_tokens={self.max_tokens})"
                raise ModelResponseError(msg, raw=text, response=response) from exc
            exc.response = response
            raise
        return response

    # -- errors -------------------------------------------------------------------------------

    def _status_error(self, exc: openai.APIStatusError) -> ModelError:
        url = self.connection.base_url
        detail = f"{exc.status_code}: {_server_message(exc)}"
        if exc.status_code in (401, 403):
            if self.connection.key_source == "placeholder":
                return ModelAuthError(
                    f"the model server at {url} wants an API key and none is set ({detail}); "
                    f"{KEY_HELP}"
                )
            return ModelAuthError(
                f"the model server at {url} rejected the API key from "
                f"{self.connection.key_source} ({detail}); {KEY_HELP}"
            )
        if exc.status_code == 404:
            return ModelConfigError(
                f"{url}/chat/completions answered 404 ({_server_message(exc)}): either the model "
                f"{self.model!r} is unknown to that server, or the URL is wrong; {URL_HELP}"
            )
        return ModelError(f"{self.name}: the server at {url} refused the request ({detail})")

    def _exhausted_error(self, exc: RetriesExhausted, timeout: float) -> ModelError:
        cause, url, n = exc.last.cause, self.connection.base_url, exc.attempts
        tries = f"{n} attempt{'s' if n != 1 else ''}"
        if isinstance(cause, TimeoutError | openai.APITimeoutError):
            return ModelTimeoutError(
                f"{self.name}: no answer from {url} within {timeout:g} s ({tries})"
            )
        if isinstance(cause, openai.APIConnectionError):
            reason = cause.__cause__ or cause
            return ModelConfigError(
                f"cannot reach the model server at {url} ({reason}; {tries}): is it running? "
                f"{URL_HELP}"
            )
        if isinstance(cause, openai.APIStatusError):
            what = "rate limited" if cause.status_code == 429 else "failing"
            return ModelServerError(
                f"{self.name}: the server at {url} kept {what} "
                f"({cause.status_code}: {_server_message(cause)}; {tries})"
            )
        return ModelError(f"{self.name}: {cause} ({tries})")  # pragma: no cover


def _server_message(exc: openai.APIStatusError) -> str:
    """The server's own words: the `message` of an OpenAI-style error body when there is one."""
    body = exc.body
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        body = body["error"]
    if isinstance(body, dict) and body.get("message"):
        return str(body["message"])
    return exc.message


def _check_completion(result: Any) -> ChatCompletion:
    """The SDK hands back whatever a 200 carried; make sure it is a chat completion."""
    if isinstance(result, ChatCompletion) and result.choices:
        return result
    raw = result if isinstance(result, str) else _dump(result)
    raise ModelResponseError(
        f"the model server's answer is not a chat completion: {raw[:200]!r}", raw=raw
    )


def _dump(result: Any) -> str:
    if isinstance(result, BaseModel):
        return result.model_dump_json(exclude_none=True)
    return repr(result)
