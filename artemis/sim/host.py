"""Simulated phones in a process of their own.

A simulated phone spends CPU drawing its screens and running shell commands. Served from the
agent's process, that work and the agent's share one interpreter lock, so several phones and
their agents use one core between them. `PhoneHost` starts a child process that serves `count`
phones over ADB on loopback ports (each as `open_sim` serves one in-process) and runs functions
on them on request (a benchmark task's set-up and check), so the phones work on another core:

    async with PhoneHost(count=8) as host:
        host.addresses                  # "127.0.0.1:PORT" per phone, for `connect_adb`
        await host.run(0, fn, *args)    # fn(phone, *args) in the child, under the phone's lock

`fn`, its arguments and its result travel by pickle: a module-level function and picklable
values. An exception `fn` raises is raised here again (as itself when it pickles, else as a
`SimHostError` that names it). The child ignores Ctrl-C (its parent decides what to do), and
exits when its parent closes the host or dies; a child that dies fails every call waiting on it
with a `SimHostError`.

The child is `python -m artemis.sim.host`, started with the parent's interpreter and the same
`artemis` on its path, talking over a socket pair (pickled messages, as `multiprocessing`'s
connections carry them); it is not a `multiprocessing` child, so the parent's main module is
never imported again.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
import itertools
import os
import pickle
import signal
import socket
import subprocess
import sys
import threading
from collections.abc import Callable
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any


class SimHostError(Exception):
    """The phone host failed, or a call to it did (see the module docstring)."""


#: Seconds to wait for the child to serve its phones, and to leave when asked.
START_TIMEOUT_S = 60.0
STOP_TIMEOUT_S = 10.0


class PhoneHost:
    """`count` simulated phones served by a child process (see the module docstring)."""

    def __init__(self, count: int) -> None:
        if count < 1:
            raise ValueError("a phone host needs at least one phone")
        self.count = count
        self.addresses: list[str] = []
        self._process: subprocess.Popen[bytes] | None = None
        self._conn: Connection | None = None
        self._send_lock = threading.Lock()
        self._ids = itertools.count()
        self._pending: dict[int, asyncio.Future[Any]] = {}
        self._loop: asyncio.AbstractEventLoop | None = None
        self._reader: threading.Thread | None = None
        self._gone: str | None = None

    async def __aenter__(self) -> PhoneHost:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def start(self) -> None:
        self._loop = asyncio.get_running_loop()
        self._process, conn = await asyncio.to_thread(_launch, self.count)
        self._conn = conn
        try:
            ready = await asyncio.to_thread(_receive, conn, START_TIMEOUT_S)
        except BaseException:
            await self.close()
            raise
        if not (isinstance(ready, tuple) and ready[0] == "ready"):
            await self.close()
            raise SimHostError(f"the phone host did not start: {_what(ready)}")
        self.addresses = [f"127.0.0.1:{port}" for port in ready[1]]
        self._reader = threading.Thread(target=self._read, name="phone-host-reader", daemon=True)
        self._reader.start()

    async def run(self, index: int, fn: Callable[..., Any], *args: Any) -> Any:
        """`fn(phone, *args)` on phone `index`, in the child, under that phone's lock."""
        if self._conn is None or self._loop is None:
            raise SimHostError("the phone host is not running")
        if self._gone is not None:
            raise SimHostError(self._gone)
        if getattr(fn, "__module__", None) == "__main__":
            raise SimHostError(
                f"{_name(fn)} is defined in the main script, which the phone host cannot import"
            )
        call_id = next(self._ids)
        future: asyncio.Future[Any] = self._loop.create_future()
        self._pending[call_id] = future
        try:
            payload = pickle.dumps((fn, args))
            with self._send_lock:
                self._conn.send((call_id, index, payload))
        except (BrokenPipeError, ConnectionResetError):  # it died before its reader saw it
            self._pending.pop(call_id, None)
            self._fail_all(self._exited())
            raise SimHostError(self._gone) from None
        except (OSError, pickle.PicklingError, AttributeError, TypeError) as exc:
            self._pending.pop(call_id, None)
            raise SimHostError(f"cannot send {_name(fn)} to the phone host: {exc}") from None
        try:
            return await future
        finally:
            self._pending.pop(call_id, None)

    async def close(self) -> None:
        conn, self._conn = self._conn, None
        process, self._process = self._process, None
        if conn is not None:
            with contextlib.suppress(OSError), self._send_lock:
                conn.send(None)  # leave
        if process is not None:
            try:
                await asyncio.to_thread(process.wait, STOP_TIMEOUT_S)
            except subprocess.TimeoutExpired:
                process.kill()
                await asyncio.to_thread(process.wait)
        if conn is not None:
            conn.close()
        if self._reader is not None:
            await asyncio.to_thread(self._reader.join, STOP_TIMEOUT_S)
            self._reader = None
        self._fail_all("the phone host was closed")

    # --- the reader thread -------------------------------------------------------------------

    def _read(self) -> None:
        conn = self._conn
        while conn is not None:
            try:
                message = conn.recv()
            except (EOFError, OSError):
                break
            except Exception as exc:  # not an answer of ours: nothing more can be trusted
                why = f"the phone host sent what cannot be read: {exc}"
                self._post(functools.partial(self._fail_all, why))
                break
            self._post(functools.partial(self._answer, *message))
        self._post(functools.partial(self._fail_all, self._exited()))

    def _exited(self) -> str:
        process = self._process
        code = process.poll() if process is not None else None
        return "the phone host process exited" + (f" (exit code {code})" if code else "")

    def _post(self, fn: Callable[[], None]) -> None:
        assert self._loop is not None
        with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is waiting
            self._loop.call_soon_threadsafe(fn)

    def _answer(self, call_id: int, ok: bool, payload: bytes) -> None:
        future = self._pending.pop(call_id, None)
        if future is None or future.done():
            return
        try:
            value = pickle.loads(payload)
        except Exception as exc:  # e.g. a class this process cannot import
            future.set_exception(SimHostError(f"the call's answer could not be read: {exc}"))
            return
        if ok:
            future.set_result(value)
        else:
            future.set_exception(value)

    def _fail_all(self, why: str) -> None:
        if self._gone is None:
            self._gone = why
        pending, self._pending = self._pending, {}
        for future in pending.values():
            if not future.done():
                future.set_exception(SimHostError(why))


def _launch(count: int) -> tuple[subprocess.Popen[bytes], Connection]:
    if os.name != "posix":
        raise SimHostError("phones in a process of their own need a POSIX system")
    ours, theirs = socket.socketpair()
    root = str(Path(__file__).resolve().parents[2])  # where this artemis is imported from
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (root, env.get("PYTHONPATH")) if p)
    with theirs:
        try:
            process = subprocess.Popen(
                [sys.executable, "-m", "artemis.sim.host", str(theirs.fileno()), str(count)],
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                env=env,
                start_new_session=True,  # Ctrl-C at the terminal is the parent's alone
            )
        except OSError as exc:
            ours.close()
            raise SimHostError(f"cannot start the phone host: {exc}") from None
    return process, Connection(ours.detach())


def _receive(conn: Connection, timeout_s: float) -> Any:
    if not conn.poll(timeout_s):
        raise SimHostError(f"the phone host did not start within {timeout_s:g}s")
    try:
        return conn.recv()
    except EOFError:
        raise SimHostError("the phone host process exited as it started") from None


def _name(fn: Callable[..., Any]) -> str:
    return getattr(fn, "__qualname__", None) or repr(fn)


def _what(value: Any) -> str:
    if isinstance(value, tuple) and value and value[0] == "failed":
        return str(value[1])
    return repr(value)[:200]


# --- the child ---------------------------------------------------------------------------------


def main(argv: list[str]) -> int:
    """The child: `python -m artemis.sim.host FD COUNT` serves COUNT phones, talking over the
    socket FD. Nothing is printed but a line on what went wrong."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the parent's to handle
    try:
        fd, count = int(argv[1]), int(argv[2])
    except (IndexError, ValueError):
        print("usage: python -m artemis.sim.host FD COUNT", file=sys.stderr)
        return 2
    conn = Connection(fd)
    try:
        asyncio.run(_serve(conn, count))
    except Exception as exc:
        print(f"artemis phone host: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 1
    finally:
        conn.close()
    return 0


async def _serve(conn: Connection, count: int) -> None:
    from artemis.sim.phone import Phone
    from artemis.sim.server import SimServer

    loop = asyncio.get_running_loop()
    send_lock = threading.Lock()
    servers: list[SimServer] = []
    try:
        for _ in range(count):
            server = SimServer(Phone(0), host="127.0.0.1", port=0)
            await server.start()
            servers.append(server)
    except Exception as exc:
        conn.send(("failed", f"{type(exc).__name__}: {exc}"))
        return
    conn.send(("ready", [server.port for server in servers]))
    leave = asyncio.Event()
    calls: set[asyncio.Task[None]] = set()

    def reply(call_id: int, ok: bool, value: Any) -> None:
        try:
            payload = pickle.dumps(value)
        except (pickle.PicklingError, AttributeError, TypeError) as exc:
            why = (
                f"the call's result could not be sent back: {exc}"
                if ok
                else f"{type(value).__name__}: {value}"
            )
            ok, payload = False, pickle.dumps(SimHostError(why))
        with send_lock:
            try:
                conn.send((call_id, ok, payload))
            except OSError:
                loop.call_soon_threadsafe(leave.set)

    async def call(call_id: int, index: int, payload: bytes) -> None:
        try:
            fn, args = pickle.loads(payload)
            if not 0 <= index < len(servers):
                raise SimHostError(f"there is no phone {index} (the host has {len(servers)})")
            server = servers[index]
            value = await server.ctx.call(fn, server.phone, *args)
        except Exception as exc:
            await asyncio.to_thread(reply, call_id, False, exc)
            return
        await asyncio.to_thread(reply, call_id, True, value)

    def start(message: Any) -> None:
        task = loop.create_task(call(*message))
        calls.add(task)
        task.add_done_callback(calls.discard)

    def read() -> None:
        while True:
            try:
                message = conn.recv()
            except Exception:  # the parent went away, or sent what cannot be read
                message = None
            if message is None:
                loop.call_soon_threadsafe(leave.set)
                return
            loop.call_soon_threadsafe(start, message)

    threading.Thread(target=read, name="phone-host-requests", daemon=True).start()
    await leave.wait()
    for task in list(calls):
        task.cancel()
    for server in servers:
        await server.stop()


if __name__ == "__main__":
    # Through the module itself, so that what it sends names `artemis.sim.host`, not `__main__`.
    from artemis.sim import host

    code = host.main(sys.argv)
    # Its phones are stopped and its sockets closed: leave without the interpreter's teardown
    # (a tenth of a second of a parent's close, spent freeing what the process is about to
    # drop anyway), as multiprocessing's children do.
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
