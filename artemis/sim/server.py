"""The simulated phone's adbd: an asyncio server speaking the device side of the ADB transport.

    async with SimServer(phone, host="127.0.0.1", port=0) as srv:
        ...  # connect adb-shell, AdbDevice or `adb connect` to srv.address

`ThreadedSimServer` runs the same server on a background thread with its own event loop, for
synchronous clients and the real `adb` binary.

A connection that breaks the protocol (bad magic, unknown command, oversized payload, garbage)
is closed; the others go on. Every service runs as its own task, so a slow or hung command
never holds up another stream.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from artemis.sim.auth import TOKEN_SIZE, KeyRing
from artemis.sim.context import SimContext, Sleep
from artemis.sim.contract import PhoneLike
from artemis.sim.faults import Faults
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


class SimServer:
    """The simulated phone's adbd on `host:port` (port 0: a free one, see `.port`)."""

    def __init__(
        self,
        phone: PhoneLike,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        auth_keys: Iterable[str | bytes] | None = None,
        faults: Faults | None = None,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.ctx = SimContext(phone, faults or Faults(), sleep)
        self.keyring = KeyRing(auth_keys) if auth_keys is not None else None
        self.host = host
        self.port = port
        self.connections: set[Connection] = set()
        self._server: asyncio.Server | None = None
        self._handlers: set[asyncio.Task[None]] = set()
        for folder in ("/sdcard", "/data/local/tmp"):
            phone.fs.mkdir(folder)

    @property
    def phone(self) -> PhoneLike:
        return self.ctx.phone

    @property
    def faults(self) -> Faults:
        return self.ctx.faults

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def name(self) -> str:
        return self.phone.getprop("ro.product.device") or "generic"

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._accept, self.host, self.port)
        sock = self._server.sockets[0]
        self.port = sock.getsockname()[1]

    async def stop(self) -> None:
        if self._server is not None:
            self._server.close()
        for conn in list(self.connections):
            conn.abort()
        if self._handlers:
            await asyncio.gather(*self._handlers, return_exceptions=True)
        if self._server is not None:
            await self._server.wait_closed()
            self._server = None

    async def serve_forever(self) -> None:
        if self._server is None:
            await self.start()
        assert self._server is not None
        await self._server.serve_forever()

    def drop_connections(self) -> int:
        """Drop every client connection now (as a cable pull would); returns how many."""
        conns = list(self.connections)
        for conn in conns:
            conn.abort()
        return len(conns)

    async def _accept(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        conn = Connection(self, reader, writer)
        self.connections.add(conn)
        task = asyncio.current_task()
        assert task is not None
        self._handlers.add(task)
        try:
            await conn.run()
        finally:
            self.connections.discard(conn)
            self._handlers.discard(task)

    async def __aenter__(self) -> SimServer:
        await self.start()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.stop()


class ThreadedSimServer:
    """A `SimServer` on a background thread with its own loop (for sync clients and `adb`)."""

    def __init__(self, phone: PhoneLike, **kwargs: Any) -> None:
        self._phone = phone
        self._kwargs = kwargs
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._server: SimServer | None = None
        self._stopping: asyncio.Event | None = None

    @property
    def server(self) -> SimServer:
        assert self._server is not None, "not started"
        return self._server

    @property
    def port(self) -> int:
        return self.server.port

    @property
    def address(self) -> str:
        return self.server.address

    def start(self, timeout: float = 10.0) -> ThreadedSimServer:
        ready = threading.Event()
        failure: list[BaseException] = []

        async def main() -> None:
            self._stopping = asyncio.Event()
            try:
                self._server = SimServer(self._phone, **self._kwargs)
                await self._server.start()
            except BaseException as exc:
                failure.append(exc)
                ready.set()
                return
            ready.set()
            await self._stopping.wait()
            await self._server.stop()

        def run() -> None:
            self._loop = asyncio.new_event_loop()
            try:
                self._loop.run_until_complete(main())
            finally:
                self._loop.close()

        self._thread = threading.Thread(target=run, name="sim-adbd", daemon=True)
        self._thread.start()
        if not ready.wait(timeout):
            raise TimeoutError("the simulated phone's server did not start")
        if failure:
            raise failure[0]
        return self

    def stop(self, timeout: float = 10.0) -> None:
        if self._loop is not None and self._stopping is not None and self._thread is not None:
            with contextlib.suppress(RuntimeError):  # the loop may be gone already
                self._loop.call_soon_threadsafe(self._stopping.set)
            self._thread.join(timeout)
        self._thread = None

    def run(self, fn: Any, *args: Any) -> Any:
        """Call `fn(*args)` on the server's loop thread and return its result."""
        assert self._loop is not None

        async def call() -> Any:
            return fn(*args)

        return asyncio.run_coroutine_threadsafe(call(), self._loop).result(10)

    def __enter__(self) -> ThreadedSimServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
