"""The local chat-completions service in memory: an HTTP transport for the openai SDK.

`FakeChatServer` answers requests through its handler; served over a socket it is a real HTTP
server, and through `FakeChatTransport` (`server.transport()`) the same answers reach the
openai SDK without a socket, as httpx's `MockTransport` does. The model backends take it at
their one seam (`OpenAIModel(..., transport=...)`, `OpenAIEmbedding(..., transport=...)`), so
tests exercise the real SDK and the backend's real code on every path (statuses, retries,
`retry-after`, bodies that are not JSON, hangs, dropped connections) with no network at all.
A call through an injected transport is not a real model call. `openai_specs_served_by`
routes `openai:` specs resolved through the registry (the CLI, the benchmarks) the same way.

The SDK (openai >= 3) runs on httpx2, whose transports these are. Hangs and latency need an
event loop: through the synchronous side (the embeddings client) a hang is a timeout at once.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Iterator
from typing import TYPE_CHECKING

import httpx2

from artemis.config import Settings
from artemis.models.base import ChatModel
from artemis.models.fake_replies import ChatRequest, Reply, encode_reply, parse_body

if TYPE_CHECKING:
    from artemis.models.fake_server import FakeChatServer

_DROPPED = "Server disconnected without sending a response."


class FakeChatTransport(httpx2.AsyncBaseTransport, httpx2.BaseTransport):
    """Sends each request to `server.respond` and its reply back, in memory."""

    def __init__(self, server: FakeChatServer) -> None:
        self.server = server

    def _reply(self, request: httpx2.Request, raw: bytes) -> Reply:
        path = request.url.raw_path.decode("ascii", "replace")
        headers = {k.lower(): v for k, v in request.headers.items()}
        chat = ChatRequest(request.method, path, headers, parse_body(raw))
        try:
            return self.server.respond(chat)
        except Exception as exc:  # a broken test handler: answer 500 and say why
            return Reply.error(500, f"fake server handler raised {exc!r}")

    @staticmethod
    def _response(reply: Reply, request: httpx2.Request) -> httpx2.Response:
        status, headers, payload = encode_reply(reply)
        return httpx2.Response(status, headers=headers, content=payload, request=request)

    async def handle_async_request(self, request: httpx2.Request) -> httpx2.Response:
        reply = self._reply(request, await request.aread())
        if reply.hang:
            # As a socket would: a read timeout when the request has one, else until the
            # caller's own deadline cancels the call.
            read_s = (request.extensions.get("timeout") or {}).get("read")
            if read_s is None:
                await asyncio.Event().wait()
            else:
                await asyncio.sleep(float(read_s))
            raise httpx2.ReadTimeout("the fake server hangs", request=request)
        if reply.latency_s > 0:
            await asyncio.sleep(reply.latency_s)
        if reply.drop:
            raise httpx2.RemoteProtocolError(_DROPPED, request=request)
        return self._response(reply, request)

    def handle_request(self, request: httpx2.Request) -> httpx2.Response:
        reply = self._reply(request, request.read())
        if reply.hang:
            raise httpx2.ReadTimeout("the fake server hangs", request=request)
        if reply.drop:
            raise httpx2.RemoteProtocolError(_DROPPED, request=request)
        return self._response(reply, request)

    async def aclose(self) -> None:
        """Nothing to release."""

    def close(self) -> None:
        """Nothing to release."""


@contextlib.contextmanager
def openai_specs_served_by(server: FakeChatServer) -> Iterator[FakeChatServer]:
    """While inside, `openai:<model>` specs resolve (through the model registry, as the CLI
    and the benchmarks resolve them) to backends that reach `server` in memory."""
    from artemis.models import registry
    from artemis.models.openai_backend import OpenAIModel

    [before] = [b for b in registry.known_backends() if b.prefix == "openai"]

    def through_server(name: str, settings: Settings) -> ChatModel:
        return (
            before.factory(name, settings)
            if not name
            else OpenAIModel.from_settings(name, settings, transport=server.transport())
        )

    def register(factory: registry.BackendFactory) -> None:
        registry.register_backend(
            "openai", factory, form=before.form, help=before.help, uses=before.uses, replace=True
        )

    register(through_server)
    try:
        yield server
    finally:
        register(before.factory)
