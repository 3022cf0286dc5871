"""One client connection of the simulated phone's adbd: handshake, AUTH, and its streams.

A connection that breaks the protocol (bad magic, unknown command, oversized payload, garbage)
is closed; the server's other connections go on. Every OPENed service runs as its own task, so
a slow or hung command never holds up another stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
from typing import TYPE_CHECKING

from artemis.sim.auth import TOKEN_SIZE
from artemis.sim.contract import PhoneLike
from artemis.sim.services import DropConnection, ServiceSpec, parse_service, run_service
from artemis.sim.stream import Stream, StreamClosed
from artemis.sim.transport import (
    A_AUTH,
    A_CLSE,
    A_CNXN,
    A_OKAY,
    A_OPEN,
    A_WRTE,
    AUTH_RSAPUBLICKEY,
    AUTH_SIGNATURE,
    AUTH_TOKEN,
    MAX_HANDSHAKE_PAYLOAD,
    MAX_PAYLOAD,
    VERSION_SKIP_CHECKSUM,
    Packet,
    ProtocolError,
    encode,
    read_packet,
)

if TYPE_CHECKING:
    from artemis.sim.server import SimServer

log = logging.getLogger(__name__)

FEATURES = ("shell_v2", "cmd")


def banner(phone: PhoneLike) -> bytes:
    """The CNXN payload: device identity and the features we implement (and nothing else)."""
    props = [
        f"{name}={phone.getprop(name) or ''}"
        for name in ("ro.product.name", "ro.product.model", "ro.product.device")
    ]
    return ("device::" + ";".join(props) + ";features=" + ",".join(FEATURES)).encode()


class Connection:
    def __init__(
        self, server: SimServer, reader: asyncio.StreamReader, writer: asyncio.StreamWriter
    ) -> None:
        self.server = server
        self.reader = reader
        self.writer = writer
        self.max_payload = MAX_HANDSHAKE_PAYLOAD  # what we accept; raised by CNXN
        self.send_payload = MAX_HANDSHAKE_PAYLOAD  # what we send; the peer's maximum
        self.online = False
        self.version = VERSION_SKIP_CHECKSUM
        self.token: bytes | None = None
        self.streams: dict[int, Stream] = {}
        self.tasks: dict[int, asyncio.Task[None]] = {}
        self.next_id = 1
        self.closed = False
        peer = writer.get_extra_info("peername")
        self.peer = f"{peer[0]}:{peer[1]}" if isinstance(peer, tuple) else str(peer)

    async def send(self, packet: Packet) -> None:
        if self.closed:
            raise StreamClosed
        try:
            self.writer.write(encode(packet))
            await self.writer.drain()
        except (ConnectionError, RuntimeError) as exc:
            raise StreamClosed from exc

    async def run(self) -> None:
        try:
            while True:
                packet = await read_packet(self.reader, self.max_payload)
                await self.handle(packet)
        except (asyncio.IncompleteReadError, ConnectionError, StreamClosed):
            log.debug("%s: peer went away", self.peer)
        except ProtocolError as exc:
            log.info("%s: closing the connection: %s", self.peer, exc)
        finally:
            await self.close()

    def abort(self) -> None:
        """Drop the TCP connection at once (a fault), without closing streams politely."""
        transport = self.writer.transport
        transport.abort()

    async def close(self) -> None:
        if self.closed:
            return
        self.closed = True
        for stream in self.streams.values():
            stream.on_close()
        self.streams.clear()
        tasks = list(self.tasks.values())
        for task in tasks:
            task.cancel()
        if tasks:
            await asyncio.gather(*tasks, return_exceptions=True)
        self.writer.close()
        with contextlib.suppress(ConnectionError, OSError):
            await self.writer.wait_closed()

    # --- packets ---------------------------------------------------------------------------
    async def handle(self, p: Packet) -> None:
        if p.command == A_CNXN:
            await self._cnxn(p)
        elif p.command == A_AUTH:
            await self._auth(p)
        elif not self.online:
            raise ProtocolError(f"{p.name} before the connection was authorised")
        elif p.command == A_OPEN:
            await self._open(p)
        elif p.command == A_OKAY:
            stream = self.streams.get(p.arg1)
            if stream is not None and stream.remote_id == p.arg0:
                stream.on_okay()
        elif p.command == A_WRTE:
            stream = self.streams.get(p.arg1)
            if stream is not None:
                stream.on_write(p.data)
                await self.send(Packet(A_OKAY, stream.local_id, stream.remote_id))
        elif p.command == A_CLSE:
            await self._clse(p)
        else:
            raise ProtocolError(f"unexpected {p.name}")

    async def _cnxn(self, p: Packet) -> None:
        if p.arg1 < 256:
            raise ProtocolError(f"peer's maximum payload is too small: {p.arg1}")
        if self.online:  # a new handshake resets the connection's streams
            for key in list(self.streams):
                self.streams.pop(key).on_close()
                task = self.tasks.get(key)
                if task is not None:
                    task.cancel()
        self.send_payload = min(p.arg1, MAX_PAYLOAD)
        self.version = min(p.arg0, VERSION_SKIP_CHECKSUM)
        if self.server.keyring is None:
            await self._go_online()
        else:
            self.online = False
            await self._send_token()

    async def _send_token(self) -> None:
        self.token = os.urandom(TOKEN_SIZE)
        await self.send(Packet(A_AUTH, AUTH_TOKEN, 0, self.token))

    async def _go_online(self) -> None:
        self.online = True
        self.max_payload = MAX_PAYLOAD
        await self.send(Packet(A_CNXN, self.version, MAX_PAYLOAD, banner(self.server.phone)))

    async def _auth(self, p: Packet) -> None:
        keyring = self.server.keyring
        if keyring is None or self.online or self.token is None:
            return  # nothing asked for it: ignore, as adbd does
        if p.arg0 == AUTH_SIGNATURE:
            if keyring.verify(self.token, p.data):
                await self._go_online()
            else:
                await self._send_token()
        elif p.arg0 == AUTH_RSAPUBLICKEY:
            if keyring.knows(p.data):
                await self._go_online()
            # Otherwise the device would ask its user, who never answers: stay unauthorised.
        else:
            raise ProtocolError(f"unknown AUTH type {p.arg0}")

    async def _open(self, p: Packet) -> None:
        if p.arg0 == 0:
            raise ProtocolError("OPEN with a zero local id")
        spec = parse_service(p.data)
        if spec is None:
            await self.send(Packet(A_CLSE, 0, p.arg0))
            return
        local = self.next_id
        self.next_id = self.next_id + 1 if self.next_id < 0xFFFFFFFF else 1
        stream = Stream(local, p.arg0, self.send, self.send_payload)
        self.streams[local] = stream
        await self.send(Packet(A_OKAY, local, p.arg0))
        self.tasks[local] = asyncio.create_task(self._serve(spec, stream))

    async def _clse(self, p: Packet) -> None:
        stream = self.streams.pop(p.arg1, None)
        if stream is None or stream.remote_id != p.arg0:
            if stream is not None:
                self.streams[p.arg1] = stream
            return  # already closed on our side, or not ours: nothing to answer
        stream.on_close()
        task = self.tasks.get(p.arg1)
        if task is not None:
            task.cancel()
        await self.send(Packet(A_CLSE, stream.local_id, stream.remote_id))

    async def _serve(self, spec: ServiceSpec, stream: Stream) -> None:
        try:
            await run_service(spec, stream, self.server.ctx, self.server.name)
        except StreamClosed:
            pass
        except DropConnection:
            log.info("%s: dropping the connection (fault)", self.peer)
            self.abort()
            return
        except Exception:  # boundary: one broken command must not take the server down
            log.exception("%s: service %r failed", self.peer, spec)
        finally:
            self.tasks.pop(stream.local_id, None)
        if self.streams.get(stream.local_id) is stream:
            with contextlib.suppress(StreamClosed):
                await stream.close()  # stays registered until then: it waits for an OKAY
            if self.streams.get(stream.local_id) is stream:
                del self.streams[stream.local_id]
