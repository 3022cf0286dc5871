"""A local chat-completions server for tests and benchmarks: real HTTP on 127.0.0.1, or the
same answers in memory.

The openai SDK (>= 3) runs on httpx2, which HTTP mocking libraries do not intercept. The
`openai:` backend is tested against this server: started, it is a real socket, the real
client, the real error paths; not started, `server.transport()` hands its answers to the SDK
in memory (`artemis.models.fake_transport`), through the backend's transport seam. It speaks

- `POST /v1/chat/completions`, answered by a *handler* (a function of the request);
- `GET /v1/models`;
- `POST /v1/embeddings`, with deterministic hashed bag-of-words vectors (similar texts get
  similar vectors), as floats or base64.

A handler returns a `Reply` (or a string: the assistant's text; or a dict: sent as JSON text).
`Reply` covers what real servers do wrong: error statuses with OpenAI-style bodies and
`retry-after`, bodies that are not JSON, dropped connections, hangs, latency. Canned handlers
(in `artemis.models.fake_replies`, re-exported here) build the common cases (`replies`,
`garbage`, `failing`, `rejecting_response_format`).

The server runs on a background thread, so it works the same from sync and async code::

    with FakeChatServer(replies("hello")) as server:
        client = AsyncOpenAI(base_url=server.base_url, api_key="x")

    async with FakeChatServer(garbage()) as server:
        ...
"""

from __future__ import annotations

import asyncio
import base64
import json
import selectors
import socket
import struct
import threading
import time
from collections.abc import Iterable
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import TYPE_CHECKING, Any

from artemis.models.fake_replies import (
    WORD,
    ChatRequest,
    Handler,
    Reply,
    always,
    as_reply,
    encode_reply,
    failing,
    garbage,
    hang,
    hashed_embedding,
    hermes_tool_calls,
    parse_body,
    rejecting_response_format,
    replies,
)

if TYPE_CHECKING:
    from artemis.models.fake_transport import FakeChatTransport

__all__ = [
    "ChatRequest",
    "FakeChatServer",
    "Handler",
    "Reply",
    "always",
    "failing",
    "garbage",
    "hang",
    "hashed_embedding",
    "hermes_tool_calls",
    "rejecting_response_format",
    "replies",
]

# How long a hanging reply waits at most when nobody stops the server.
_MAX_HANG_S = 600.0


# --- the server ----------------------------------------------------------------------------


class FakeChatServer:
    """A chat-completions server on 127.0.0.1 (a free port unless given), on its own thread.

    `handler` answers chat requests and may be replaced while the server runs. `latency_s` is
    added to every chat reply (for throughput benchmarks). With `api_key` set, requests that do
    not carry it get a 401. Every request is kept in `requests`.
    """

    def __init__(
        self,
        handler: Handler | None = None,
        *,
        latency_s: float = 0.0,
        api_key: str | None = None,
        models: Iterable[str] = ("fake-model",),
        embedding_dim: int = 256,
        port: int = 0,
    ) -> None:
        self.handler: Handler = handler or always("ok")
        self.latency_s = latency_s
        self.api_key = api_key
        self.models = list(models)
        self.embedding_dim = embedding_dim
        self.requests: list[ChatRequest] = []
        self._port = port
        self._lock = threading.Lock()
        self._stopping = threading.Event()
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None
        self._wake: tuple[socket.socket, socket.socket] | None = None

    # -- lifecycle ------------------------------------------------------------------------

    def start(self) -> FakeChatServer:
        if self._httpd is not None:
            return self
        self._stopping.clear()
        httpd = _Server(("127.0.0.1", self._port), _make_handler_class(self))
        self._httpd = httpd
        self._wake = socket.socketpair()
        self._thread = threading.Thread(target=self._serve, args=(httpd,), daemon=True)
        self._thread.start()
        return self

    def _serve(self, httpd: ThreadingHTTPServer) -> None:
        """Accept connections until `stop` writes to the wake-up socket: no polling, so a
        stop takes effect at once (`serve_forever` would notice it at its next poll)."""
        assert self._wake is not None
        wake = self._wake[0]
        with selectors.DefaultSelector() as selector:
            selector.register(httpd, selectors.EVENT_READ)
            selector.register(wake, selectors.EVENT_READ)
            while True:
                ready = {key.fileobj for key, _ in selector.select()}
                if wake in ready:
                    return
                httpd.handle_request()  # the listening socket is readable: no wait

    def stop(self) -> None:
        httpd, self._httpd = self._httpd, None
        if httpd is None:
            return
        self._stopping.set()  # releases hanging and delayed replies
        wake, self._wake = self._wake, None
        if wake is not None:
            wake[1].send(b"x")
        if self._thread is not None:
            self._thread.join(timeout=5)
        httpd.server_close()
        if wake is not None:
            for end in wake:
                end.close()

    def __enter__(self) -> FakeChatServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    async def __aenter__(self) -> FakeChatServer:
        return await asyncio.to_thread(self.start)

    async def __aexit__(self, *exc: object) -> None:
        await asyncio.to_thread(self.stop)

    def transport(self) -> FakeChatTransport:
        """This server's answers, in memory: give it to `OpenAIModel(..., transport=...)`
        (the server need not be started; any base URL will do)."""
        from artemis.models.fake_transport import FakeChatTransport

        return FakeChatTransport(self)

    # -- addresses ------------------------------------------------------------------------

    @property
    def port(self) -> int:
        if self._httpd is None:
            raise RuntimeError("the fake server is not running")
        return int(self._httpd.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def base_url(self) -> str:
        """What an OpenAI client takes as `base_url`."""
        return f"{self.url}/v1"

    @property
    def chat_requests(self) -> list[ChatRequest]:
        with self._lock:
            return [r for r in self.requests if r.path.endswith("/chat/completions")]

    # -- request handling (server threads) ------------------------------------------------

    def _record(self, request: ChatRequest) -> None:
        with self._lock:
            self.requests.append(request)

    def _wait(self, seconds: float) -> bool:
        """Sleep up to `seconds`; True when the server is stopping."""
        return self._stopping.wait(seconds) if seconds > 0 else self._stopping.is_set()

    def _chat(self, request: ChatRequest) -> Reply:
        reply = as_reply(self.handler(request))
        if (
            reply.status == 200
            and reply.body is None
            and (reply.content is not None or reply.tool_calls)
        ):
            said = (reply.content or "") + "".join(
                json.dumps(c, ensure_ascii=False) for c in reply.tool_calls
            )
            prompt, completion = reply.usage or (
                len(request.text) // 4 + 256 * len(request.image_urls),
                len(said) // 4,
            )
            message: dict[str, Any] = {"role": "assistant", "content": reply.content}
            if reply.tool_calls:
                message["tool_calls"] = [
                    {
                        "id": f"call_{len(self.requests)}_{i}",
                        "type": "function",
                        "function": {
                            "name": c["name"],
                            "arguments": c["arguments"]
                            if isinstance(c["arguments"], str)
                            else json.dumps(c["arguments"], ensure_ascii=False),
                        },
                    }
                    for i, c in enumerate(reply.tool_calls)
                ]
            reply.body = {
                "id": f"chatcmpl-fake-{len(self.requests)}",
                "object": "chat.completion",
                "created": int(time.time()),
                "model": request.model or "fake-model",
                "choices": [
                    {
                        "index": 0,
                        "message": message,
                        "finish_reason": "tool_calls"
                        if reply.tool_calls and reply.finish_reason == "stop"
                        else reply.finish_reason,
                    }
                ],
                "usage": {
                    "prompt_tokens": prompt,
                    "completion_tokens": completion,
                    "total_tokens": prompt + completion,
                },
            }
        return reply

    def _embeddings(self, request: ChatRequest) -> Reply:
        body = request.body if isinstance(request.body, dict) else {}
        inputs = body.get("input", [])
        texts = [inputs] if isinstance(inputs, str) else [str(t) for t in inputs]
        dim = int(body.get("dimensions") or self.embedding_dim)
        as_base64 = body.get("encoding_format") == "base64"
        data = []
        for i, text in enumerate(texts):
            vec = hashed_embedding(text, dim)
            value: Any = (
                base64.b64encode(struct.pack(f"<{dim}f", *vec)).decode() if as_base64 else vec
            )
            data.append({"object": "embedding", "index": i, "embedding": value})
        tokens = sum(len(WORD.findall(t)) for t in texts)
        return Reply(
            body={
                "object": "list",
                "data": data,
                "model": body.get("model", "fake-embedding"),
                "usage": {"prompt_tokens": tokens, "total_tokens": tokens},
            }
        )

    def _models(self) -> Reply:
        return Reply(
            body={
                "object": "list",
                "data": [
                    {"id": m, "object": "model", "created": 0, "owned_by": "artemis"}
                    for m in self.models
                ],
            }
        )

    def respond(self, request: ChatRequest) -> Reply:
        """Route one request to its reply (runs on a server thread)."""
        self._record(request)
        if self.api_key is not None and request.api_key != self.api_key:
            return Reply.error(401, "Incorrect API key provided.", code="invalid_api_key")
        path = request.path.split("?", 1)[0].rstrip("/")
        if request.method == "POST" and path in ("/v1/chat/completions", "/chat/completions"):
            reply = self._chat(request)
            reply.latency_s += self.latency_s
            return reply
        if request.method == "POST" and path in ("/v1/embeddings", "/embeddings"):
            return self._embeddings(request)
        if request.method == "GET" and path in ("/v1/models", "/models"):
            return self._models()
        return Reply.error(404, f"no route {request.method} {path}", code="not_found")


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    timeout = 0  # `handle_request` is called once a connection waits: it never blocks
    request_queue_size = 256  # bursts of concurrent clients connect at once


def _make_handler_class(server: FakeChatServer) -> type[BaseHTTPRequestHandler]:
    class _Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"  # keep-alive, as real servers do
        # Headers and body go out in separate writes; with Nagle's algorithm on, the body
        # waits for the client's delayed ACK (about 40 ms a request).
        disable_nagle_algorithm = True

        def log_message(self, format: str, *args: Any) -> None:
            pass

        def _handle(self) -> None:
            length = int(self.headers.get("content-length") or 0)
            raw = self.rfile.read(length) if length else b""
            request = ChatRequest(
                self.command,
                self.path,
                {k.lower(): v for k, v in self.headers.items()},
                parse_body(raw),
            )
            try:
                reply = server.respond(request)
            except Exception as exc:  # a broken test handler: answer 500 and say why
                reply = Reply.error(500, f"fake server handler raised {exc!r}")
            if reply.hang:
                server._wait(_MAX_HANG_S)
                self.close_connection = True
                return
            if server._wait(reply.latency_s) or reply.drop:
                self.close_connection = True
                return
            self._send(reply)

        def _send(self, reply: Reply) -> None:
            status, headers, payload = encode_reply(reply)
            self.send_response(status)
            for key, value in headers.items():
                self.send_header(key, value)
            self.end_headers()
            self.wfile.write(payload)

        do_GET = _handle
        do_POST = _handle

    return _Handler
