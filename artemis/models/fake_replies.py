"""What the local chat-completions server hears and says: requests, replies, canned handlers.

A handler is a function of a `ChatRequest` that returns a `Reply` (or a string: the
assistant's text; or a dict: sent as JSON text). The canned handlers here cover what real
servers do wrong. `artemis.models.fake_server` serves them over HTTP and re-exports all of this.
"""

from __future__ import annotations

import base64
import dataclasses
import hashlib
import io
import json
import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any, cast


@dataclass(frozen=True, slots=True)
class ChatRequest:
    """One request the server received (any path)."""

    method: str
    path: str
    headers: Mapping[str, str]
    body: Any

    @property
    def api_key(self) -> str | None:
        auth = self.headers.get("authorization", "")
        return auth[7:] if auth.lower().startswith("bearer ") else None

    @property
    def model(self) -> str:
        return str(self.body.get("model", "")) if isinstance(self.body, dict) else ""

    @property
    def messages(self) -> list[dict[str, Any]]:
        if isinstance(self.body, dict) and isinstance(self.body.get("messages"), list):
            return cast(list[dict[str, Any]], self.body["messages"])
        return []

    @property
    def tools(self) -> list[dict[str, Any]]:
        """The tools the request offers (OpenAI function tools)."""
        tools = self.body.get("tools") if isinstance(self.body, dict) else None
        return cast(list[dict[str, Any]], tools) if isinstance(tools, list) else []

    @property
    def response_format(self) -> str | None:
        """`json_schema`, `json_object`, `text`, or None when the request sets none."""
        fmt = self.body.get("response_format") if isinstance(self.body, dict) else None
        return str(fmt.get("type")) if isinstance(fmt, dict) else None

    @property
    def text(self) -> str:
        """All text of all messages, joined by newlines."""
        out: list[str] = []
        for m in self.messages:
            content = m.get("content")
            if isinstance(content, str):
                out.append(content)
            elif isinstance(content, list):
                out.extend(str(p.get("text", "")) for p in content if p.get("type") == "text")
        return "\n".join(out)

    @property
    def image_urls(self) -> list[str]:
        return [
            str(p["image_url"]["url"])
            for m in self.messages
            if isinstance(m.get("content"), list)
            for p in m["content"]
            if p.get("type") == "image_url"
        ]

    def image_sizes(self) -> list[tuple[int, int]]:
        """Width and height of each image sent as a base64 data URL."""
        from PIL import Image

        sizes = []
        for url in self.image_urls:
            data = base64.b64decode(url.split(",", 1)[1])
            with Image.open(io.BytesIO(data)) as img:
                sizes.append(img.size)
        return sizes


@dataclass(slots=True)
class Reply:
    """What the server does with one chat request.

    `content` (and `tool_calls`) become a well-formed chat completion. `body` (bytes, str or a
    JSON-able value) replaces the whole response body. `drop` closes the connection without
    answering; `hang` answers only when the server stops. `latency_s` delays the answer.
    """

    content: str | None = None
    #: Tool calls of the message: `{"name": ..., "arguments": dict or JSON text}`.
    tool_calls: list[dict[str, Any]] = field(default_factory=list)
    status: int = 200
    body: Any = None
    headers: dict[str, str] = field(default_factory=dict)
    usage: tuple[int, int] | None = None
    finish_reason: str = "stop"
    latency_s: float = 0.0
    hang: bool = False
    drop: bool = False

    @classmethod
    def error(
        cls,
        status: int,
        message: str,
        *,
        code: str | None = None,
        param: str | None = None,
        retry_after: float | None = None,
    ) -> Reply:
        """An error in the shape OpenAI (and vLLM, Ollama, DashScope's compatible mode) use."""
        headers = {"retry-after": f"{retry_after:g}"} if retry_after is not None else {}
        kind = "invalid_request_error" if status < 500 else "server_error"
        return cls(
            status=status,
            body={"error": {"message": message, "type": kind, "param": param, "code": code}},
            headers=headers,
        )


Handler = Callable[[ChatRequest], "Reply | str | dict[str, Any]"]


def parse_body(raw: bytes) -> Any:
    """A request body as JSON when it is JSON, else as text."""
    try:
        return json.loads(raw) if raw else None
    except ValueError:
        return raw.decode("utf-8", "replace")


def encode_reply(reply: Reply) -> tuple[int, dict[str, str], bytes]:
    """A reply's status, headers and body bytes, as they go on the wire."""
    if isinstance(reply.body, bytes):
        payload, ctype = reply.body, "text/html"
    elif isinstance(reply.body, str):
        payload, ctype = reply.body.encode(), "text/plain"
    else:
        payload, ctype = json.dumps(reply.body).encode(), "application/json"
    headers = {"content-type": ctype, "content-length": str(len(payload)), **reply.headers}
    return reply.status, headers, payload


def as_reply(value: Reply | str | dict[str, Any]) -> Reply:
    if isinstance(value, Reply):
        return dataclasses.replace(value)  # handlers may hand out one Reply many times
    if isinstance(value, dict):
        return Reply(content=json.dumps(value))
    return Reply(content=value)


# --- canned handlers -------------------------------------------------------------------------


def replies(*items: Reply | str | dict[str, Any], then: Handler | None = None) -> Handler:
    """Answer with `items` in order, then with `then`; with nothing left, a 500 that says so."""
    queue = list(items)
    lock = threading.Lock()

    def handle(request: ChatRequest) -> Reply | str | dict[str, Any]:
        with lock:
            if queue:
                return queue.pop(0)
        if then is not None:
            return then(request)
        return Reply.error(500, "fake server: no scripted reply left")

    return handle


def always(item: Reply | str | dict[str, Any]) -> Handler:
    """The same answer to every request."""
    return lambda request: item


def garbage(kind: str = "content") -> Handler:
    """Answers nobody can use: `content` is well-formed HTTP carrying text that holds no JSON;
    `body` is a 200 whose body is not JSON at all."""
    if kind == "content":
        return always(Reply(content="~~ lorem ipsum, the screen is a teapot ~~"))
    if kind == "body":
        return always(Reply(body=b"<html>502 upstream garbage</html>"))
    raise ValueError(f"unknown garbage kind {kind!r}")


def failing(
    status: int,
    times: int,
    then: Handler | None = None,
    *,
    retry_after: float | None = None,
    message: str | None = None,
) -> Handler:
    """Fail `times` requests with `status` (times < 0: always), then hand over to `then`."""
    left = [times]
    lock = threading.Lock()

    def handle(request: ChatRequest) -> Reply | str | dict[str, Any]:
        with lock:
            fail = left[0] != 0
            if left[0] > 0:
                left[0] -= 1
        if fail or then is None:
            return Reply.error(
                status, message or f"fake server: status {status}", retry_after=retry_after
            )
        return then(request)

    return handle


def rejecting_response_format(
    then: Handler, kinds: Iterable[str] = ("json_schema",), *, status: int = 400
) -> Handler:
    """A server that refuses the given `response_format` types, as many do for json_schema."""
    refused = set(kinds)

    def handle(request: ChatRequest) -> Reply | str | dict[str, Any]:
        if request.response_format in refused:
            return Reply.error(
                status,
                f"response_format type '{request.response_format}' is not supported by this model",
                param="response_format",
            )
        return then(request)

    return handle


def hermes_tool_calls(then: Handler) -> Handler:
    """`then`'s text replies with their `<tool_call>` blocks turned into tool calls, as vLLM's
    `hermes` tool parser does when the request offers tools: the content keeps what came
    before the first block (None when that is blank)."""

    def handle(request: ChatRequest) -> Reply | str | dict[str, Any]:
        reply = as_reply(then(request))
        text = reply.content
        if not request.tools or text is None or "<tool_call>" not in text:
            return reply
        calls = []
        for block in re.findall(r"<tool_call>(.*?)</tool_call>", text, re.DOTALL):
            try:
                data = json.loads(block)
            except ValueError:
                return reply  # the parser gives up and returns the text as it is
            calls.append({"name": data["name"], "arguments": data.get("arguments", {})})
        before = text.split("<tool_call>", 1)[0].strip()
        return dataclasses.replace(reply, content=before or None, tool_calls=calls)

    return handle


def hang() -> Handler:
    """Never answer (until the server stops)."""
    return always(Reply(hang=True))


# --- embeddings ----------------------------------------------------------------------------

WORD = re.compile(r"\w+", re.UNICODE)


def hashed_embedding(text: str, dim: int = 256) -> list[float]:
    """A deterministic unit vector: hashed bag of lowercased words (signed feature hashing)."""
    vec = [0.0] * dim
    for word in WORD.findall(text.lower()):
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        index = int.from_bytes(digest[:4], "little") % dim
        vec[index] += 1.0 if digest[4] & 1 else -1.0
    norm = sum(v * v for v in vec) ** 0.5
    if norm == 0.0:
        vec[0], norm = 1.0, 1.0
    return [v / norm for v in vec]
