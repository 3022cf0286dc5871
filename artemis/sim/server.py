"""The simulated phone's adbd: an asyncio server speaking the device side of the ADB transport.

    async with SimServer(phone, host="127.0.0.1", port=0) as srv:
        ...  # connect adb-shell, AdbDevice or `adb connect` to srv.address

`ThreadedSimServer` runs the same server on a background thread with its own event loop, for
synchronous clients and the real `adb` binary. Each client connection is a
`artemis.sim.connection.Connection`.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Iterable
from types import TracebackType
from typing import Any

from artemis.sim.auth import KeyRing
from artemis.sim.connection import FEATURES, Connection, banner
from artemis.sim.context import SimContext, Sleep
from artemis.sim.contract import PhoneLike
from artemis.sim.faults import Faults

__all__ = ["FEATURES", "SimServer", "ThreadedSimServer", "banner"]


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
