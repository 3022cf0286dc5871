"""One ADB stream (an OPENed service) on a connection, with the protocol's flow control.

A stream may have one WRTE in flight: after each, it waits for the peer's OKAY. Data the peer
writes is acknowledged at once and queued for the service to read.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Awaitable, Callable

from artemis.sim.transport import A_CLSE, A_WRTE, Packet

#: How long a closing stream waits for the OKAY of its last WRTE before sending CLSE anyway.
CLOSE_DRAIN_S = 5.0


class StreamClosed(Exception):
    """The stream was closed (by the peer or the connection) while a service used it."""


Send = Callable[[Packet], Awaitable[None]]


class Stream:
    def __init__(self, local_id: int, remote_id: int, send: Send, max_payload: int) -> None:
        self.local_id = local_id
        self.remote_id = remote_id
        self._send = send
        self.max_payload = max_payload
        self._ready = asyncio.Event()
        self._ready.set()  # the first WRTE may follow our OKAY at once
        self._inbox: asyncio.Queue[bytes | None] = asyncio.Queue()
        self._pending = b""
        self.closed = False

    # --- from the connection --------------------------------------------------------------
    def on_okay(self) -> None:
        self._ready.set()

    def on_write(self, data: bytes) -> None:
        if not self.closed:
            self._inbox.put_nowait(data)

    def on_close(self) -> None:
        """The peer closed the stream or the connection went away."""
        self.closed = True
        self._ready.set()
        self._inbox.put_nowait(None)

    # --- for services -----------------------------------------------------------------------
    async def write(self, data: bytes) -> None:
        view = memoryview(data)
        for start in range(0, len(view), self.max_payload):
            await self._ready.wait()
            if self.closed:
                raise StreamClosed
            self._ready.clear()
            await self._send(
                Packet(
                    A_WRTE,
                    self.local_id,
                    self.remote_id,
                    bytes(view[start : start + self.max_payload]),
                )
            )

    async def read(self) -> bytes:
        """The next chunk the peer wrote; b"" once the stream is closed."""
        if self._pending:
            data, self._pending = self._pending, b""
            return data
        if self.closed and self._inbox.empty():
            return b""
        item = await self._inbox.get()
        if item is None:
            self._inbox.put_nowait(None)  # later reads see the end too
            return b""
        return item

    async def read_exactly(self, n: int) -> bytes:
        """Exactly `n` bytes across WRTE boundaries; raises `StreamClosed` if the stream ends."""
        chunks: list[bytes] = []
        need = n
        while need > 0:
            chunk = await self.read()
            if not chunk:
                raise StreamClosed
            if len(chunk) > need:
                self._pending = chunk[need:]
                chunk = chunk[:need]
            chunks.append(chunk)
            need -= len(chunk)
        return b"".join(chunks)

    async def drain(self, limit_s: float) -> None:
        """Wait (a bounded time) for the OKAY of the last WRTE."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._ready.wait(), limit_s)

    async def close(self) -> None:
        """Close our side (CLSE), once, after the peer acknowledged what we wrote."""
        if self.closed:
            return
        await self.drain(CLOSE_DRAIN_S)
        if self.closed:
            return
        self.closed = True
        self._ready.set()
        await self._send(Packet(A_CLSE, self.local_id, self.remote_id))
