"""Models that wrap a model and add one behaviour, instead of flags on every backend.

`LatencyModel` adds a fixed latency to every call. `RecordingModel` keeps a JSON record of
each call: the messages (images as a label, byte count and size, never their bytes), the
reply, usage, latency, the frames sent, or the error. Records go to a JSONL file
(`artemis.durable.JsonlLog`, not fsynced: a log of prompts, not a record that must survive a
power cut) or to any function, so a run's prompts can be read back.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar

from pydantic import BaseModel

from artemis.durable import JsonlLog
from artemis.models.base import (
    ChatModel,
    ImagePart,
    Message,
    ModelRequest,
    ModelResponse,
    ToolSpec,
)
from artemis.models.coords import CoordSpace, ImageRule
from artemis.models.images import png_size

T = TypeVar("T", bound=BaseModel)

Sink = Callable[[dict[str, Any]], None]


class WrapperModel:
    """Delegates everything to `wrapped`, its image rule and dialect included; subclasses
    override `complete`."""

    def __init__(self, wrapped: ChatModel) -> None:
        self.wrapped = wrapped
        self.name: str = wrapped.name
        self.coords: CoordSpace = wrapped.coords
        self.image_rule: ImageRule = wrapped.image_rule
        self.dialect: str | None = wrapped.dialect

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        return await self.wrapped.complete(
            messages,
            output_schema=output_schema,
            tools=tools,
            timeout_s=timeout_s,
            request=request,
        )

    async def aclose(self) -> None:
        close = getattr(self.wrapped, "aclose", None)
        if close is not None:
            await close()

    def __getattr__(self, name: str) -> Any:
        # What only some models have (the oracle's `bind_task`) stays reachable through
        # the wrapper, and absent when the wrapped model lacks it.
        if name == "wrapped":
            raise AttributeError(name)
        return getattr(self.wrapped, name)


class LatencyModel(WrapperModel):
    """Adds a fixed latency to every call, as a slower server would: so the critical path
    of the loop can be measured from outside (`artemis bench sim --model-latency`)."""

    def __init__(
        self,
        wrapped: ChatModel,
        seconds: float,
        *,
        sleep: Callable[[float], Awaitable[None]] = asyncio.sleep,
    ) -> None:
        super().__init__(wrapped)
        self.seconds = seconds
        self._sleep = sleep

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
        await self._sleep(self.seconds)
        response = await super().complete(
            messages, output_schema=output_schema, tools=tools, timeout_s=timeout_s, request=request
        )
        response.latency_s = time.perf_counter() - started
        return response


def describe_messages(messages: list[Message]) -> list[dict[str, Any]]:
    """Messages as JSON-able data, with images reduced to their label, size and byte count."""
    out = []
    for m in messages:
        parts: list[dict[str, Any]] = []
        for p in m.parts:
            if isinstance(p, ImagePart):
                w, h = png_size(p.png)
                parts.append({"image": p.label, "size": [w, h], "bytes": len(p.png)})
            else:
                parts.append({"text": p.text})
        out.append({"role": m.role, "parts": parts})
    return out


class RecordingModel(WrapperModel):
    """Records every call to `sink`: a JSONL file path (appended) or a function of the record."""

    def __init__(self, wrapped: ChatModel, sink: Path | Sink) -> None:
        super().__init__(wrapped)
        self._sink = sink
        self._log = None if callable(sink) else JsonlLog(sink, sync=False)

    async def complete(
        self,
        messages: list[Message],
        *,
        output_schema: type[T] | None = None,
        tools: Sequence[ToolSpec] | None = None,
        timeout_s: float | None = None,
        request: ModelRequest | None = None,
    ) -> ModelResponse[T]:
        record: dict[str, Any] = {
            "time": datetime.now(UTC).isoformat(timespec="milliseconds"),
            "model": self.name,
            "role": request.role if request is not None else None,
            "schema": output_schema.__name__ if output_schema else None,
            "tools": [t.get("function", {}).get("name") for t in tools] if tools else None,
            "messages": describe_messages(messages),
        }
        started = time.perf_counter()
        try:
            response = await super().complete(
                messages,
                output_schema=output_schema,
                tools=tools,
                timeout_s=timeout_s,
                request=request,
            )
        except Exception as exc:  # recorded, then re-raised unchanged
            record["error"] = f"{type(exc).__name__}: {exc}"
            record["latency_s"] = round(time.perf_counter() - started, 4)
            raw = getattr(exc, "raw", None)
            if raw:
                record["reply"] = raw
            await self._write(record)
            raise
        record.update(
            reply=response.text,
            tool_calls=[{"name": c.name, "arguments": c.arguments} for c in response.tool_calls],
            usage=response.usage.as_dict(),
            latency_s=round(response.latency_s, 4),
            frames=[
                {
                    "sent": [f.sent_width, f.sent_height],
                    "original": [f.original_width, f.original_height],
                }
                for f in response.frames
            ],
            coords=response.coords,
            extra=response.extra,
        )
        await self._write(record)
        return response

    async def _write(self, record: dict[str, Any]) -> None:
        if self._log is not None:
            await asyncio.to_thread(self._log.append, record)
        elif callable(self._sink):
            self._sink(record)
