"""The services a client can OPEN on the simulated phone: `shell:` (raw), `shell,v2,…:`
(framed stdout/stderr/exit code), `exec:` (raw, parsed with shell rules like `sh -c`) and
`sync:` (file transfer). Anything else is refused.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Awaitable, Callable
from dataclasses import dataclass

from artemis.sim.context import SimContext
from artemis.sim.interactive import run_session
from artemis.sim.shell import new_shell
from artemis.sim.shell.interp import decode
from artemis.sim.shell.io import CallbackWriter, Stdin
from artemis.sim.stream import Stream, StreamClosed
from artemis.sim.sync import serve_sync

# shell protocol v2 packet ids
V2_STDIN, V2_STDOUT, V2_STDERR, V2_EXIT, V2_CLOSE_STDIN, V2_WINDOW_SIZE = range(6)
_V2_HEADER = struct.Struct("<BI")


class DropConnection(Exception):
    """A fault: the connection must go away without a word."""


@dataclass(frozen=True, slots=True)
class ServiceSpec:
    kind: str  # "shell", "exec", "sync"
    command: str
    v2: bool = False
    pty: bool = False


def parse_service(name: bytes) -> ServiceSpec | None:
    """What a client asked to OPEN, or None for a service we do not offer."""
    # adbd reads the name as a C string: it ends at the first NUL.
    text = decode(name.split(b"\0", 1)[0])
    head, sep, rest = text.partition(":")
    if not sep:
        return None
    if head == "sync" and not rest:
        return ServiceSpec("sync", "")
    if head == "exec":
        return ServiceSpec("exec", rest)
    kind, *args = head.split(",")
    if kind != "shell":
        return None
    # Legacy `shell:` runs an interactive shell on a pty; v2 says "raw" or "pty".
    return ServiceSpec("shell", rest, v2="v2" in args, pty="raw" not in args)


Service = Callable[[Stream], Awaitable[None]]


class _RawStdin:
    """stdin of a raw service: whatever the client writes, until it closes the stream."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream

    async def read(self) -> bytes:
        chunks = []
        while chunk := await self.stream.read():
            chunks.append(chunk)
        return b"".join(chunks)


class _V2Stdin:
    """stdin of a shell v2 service: STDIN packets until CLOSE_STDIN or the end of the stream."""

    def __init__(self, stream: Stream) -> None:
        self.stream = stream
        self.done = False

    async def read(self) -> bytes:
        chunks = []
        while not self.done:
            packet = await self.next_packet()
            if packet is None:
                break
            kind, data = packet
            if kind == V2_STDIN:
                chunks.append(data)
            elif kind == V2_CLOSE_STDIN:
                break
        self.done = True
        return b"".join(chunks)

    async def next_packet(self) -> tuple[int, bytes] | None:
        try:
            header = await self.stream.read_exactly(_V2_HEADER.size)
            kind, length = _V2_HEADER.unpack(header)
            return kind, await self.stream.read_exactly(length)
        except StreamClosed:
            return None


def _v2_frame(kind: int, data: bytes) -> bytes:
    return _V2_HEADER.pack(kind, len(data)) + data


async def run_service(spec: ServiceSpec, stream: Stream, ctx: SimContext, name: str) -> None:
    """Serve one OPENed stream to its end. Raises `DropConnection` for the drop fault."""
    if spec.kind == "sync":
        await serve_sync(stream, ctx.phone.fs)
        return
    if not spec.command.strip() and spec.kind == "shell":
        await _interactive(spec, stream, ctx, name)
        return
    if ctx.faults.on_command():
        raise DropConnection
    delay = ctx.faults.delay_for(spec.command)
    if delay is not None:
        if delay.seconds is None:
            # A hung command: it ends only when the client closes the stream or goes away.
            await _forever()
        else:
            await ctx.sleep(delay.seconds)
    cut = ctx.faults.cut_for(spec.command)
    send = stream.write if cut is None else _Cutter(stream.write, cut).write
    await _run_command(spec, stream, send, ctx)


async def _forever() -> None:
    await asyncio.Event().wait()


class _Cutter:
    """Forwards output until `limit` bytes have gone, then drops the connection (a fault)."""

    def __init__(self, write: Callable[[bytes], Awaitable[None]], limit: int) -> None:
        self._write = write
        self.left = limit

    async def write(self, data: bytes) -> None:
        if len(data) < self.left:
            self.left -= len(data)
            await self._write(data)
            return
        if self.left:
            await self._write(data[: self.left])  # acknowledged: the client has it
        raise DropConnection


async def _run_command(
    spec: ServiceSpec, stream: Stream, send: Callable[[bytes], Awaitable[None]], ctx: SimContext
) -> None:
    shell = new_shell(ctx)
    if spec.v2:
        stdin_v2 = _V2Stdin(stream)

        async def out(data: bytes) -> None:
            await send(_v2_frame(V2_STDOUT, data))

        async def err(data: bytes) -> None:
            await send(_v2_frame(V2_STDERR, data))

        status = await shell.run(
            spec.command, stdin=stdin_v2, stdout=CallbackWriter(out), stderr=CallbackWriter(err)
        )
        await send(_v2_frame(V2_EXIT, bytes([status & 0xFF])))
        return
    writer = CallbackWriter(send)
    stdin: Stdin = _RawStdin(stream)
    await shell.run(spec.command, stdin=stdin, stdout=writer, stderr=writer)


async def _interactive(spec: ServiceSpec, stream: Stream, ctx: SimContext, name: str) -> None:
    """`adb shell` with no command: an interactive session on the stream."""
    v2in = _V2Stdin(stream) if spec.v2 else None

    async def read() -> bytes | None:
        if v2in is None:
            return await stream.read() or None
        while True:
            packet = await v2in.next_packet()
            if packet is None or packet[0] == V2_CLOSE_STDIN:
                return None
            if packet[0] == V2_STDIN:
                return packet[1]

    async def write(data: bytes) -> None:
        await stream.write(_v2_frame(V2_STDOUT, data) if spec.v2 else data)

    status = await run_session(ctx, name, pty=spec.pty, read=read, write=write)
    if spec.v2:
        await stream.write(_v2_frame(V2_EXIT, bytes([status & 0xFF])))
