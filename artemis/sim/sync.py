"""The `sync:` service (file sync protocol v1), device side: STAT, LIST, RECV, SEND, QUIT.

Each request is a 4-byte id and a little-endian u32 (a length, or the mtime for DONE), then
that many bytes; requests may be split across WRTE packets. Files live in the phone's SimFS.
"""

from __future__ import annotations

import posixpath
import stat as statmod
import struct

from artemis.sim.fs import FSError, SimFS
from artemis.sim.stream import Stream, StreamClosed

_REQ = struct.Struct("<4sI")
_STAT = struct.Struct("<4sIII")
_DENT = struct.Struct("<4sIIII")
SYNC_DATA_MAX = 64 * 1024
MAX_PATH = 1024
#: The largest file a client may push: the filesystem is in memory.
MAX_FILE = 256 * 1024 * 1024


class SyncError(Exception):
    """The client broke the sync protocol; the stream is closed."""


async def _fail(stream: Stream, message: str) -> None:
    data = message.encode()
    await stream.write(_REQ.pack(b"FAIL", len(data)) + data)


async def serve_sync(stream: Stream, fs: SimFS) -> None:
    try:
        while True:
            header = await stream.read_exactly(_REQ.size)
            ident, length = _REQ.unpack(header)
            if ident == b"QUIT":
                return
            if ident not in (b"STAT", b"LIST", b"RECV", b"SEND"):
                await _fail(stream, f"unknown sync request {ident!r}")
                return
            if length > MAX_PATH:
                await _fail(stream, f"path too long: {length}")
                return
            path = (await stream.read_exactly(length)).decode("utf-8", "surrogateescape")
            if ident == b"STAT":
                await _stat(stream, fs, path)
            elif ident == b"LIST":
                await _list(stream, fs, path)
            elif ident == b"RECV":
                await _recv(stream, fs, path)
            elif not await _send(stream, fs, path):
                return
    except StreamClosed:
        return


async def _stat(stream: Stream, fs: SimFS, path: str) -> None:
    entry = fs.lookup(path)
    if entry is None:
        await stream.write(_STAT.pack(b"STAT", 0, 0, 0))
    else:
        await stream.write(_STAT.pack(b"STAT", entry.mode, entry.size, entry.mtime))


async def _list(stream: Stream, fs: SimFS, path: str) -> None:
    entry = fs.lookup(path)
    out = bytearray()
    if entry is not None and entry.is_dir:
        items = [(".", entry), ("..", fs.lookup(posixpath.dirname(SimFS.norm(path))) or entry)]
        items += [(e.name, e) for e in fs.listdir(path)]
        for name, e in items:
            raw = name.encode("utf-8", "surrogateescape")
            out += _DENT.pack(b"DENT", e.mode, e.size, e.mtime, len(raw)) + raw
    out += _DENT.pack(b"DONE", 0, 0, 0, 0)
    await stream.write(bytes(out))


async def _recv(stream: Stream, fs: SimFS, path: str) -> None:
    try:
        data = fs.read(path)
    except FSError as exc:
        await _fail(stream, str(exc).rsplit(": ", 1)[-1])
        return
    out = bytearray()
    for start in range(0, len(data), SYNC_DATA_MAX):
        chunk = data[start : start + SYNC_DATA_MAX]
        out += _REQ.pack(b"DATA", len(chunk)) + chunk
    out += _REQ.pack(b"DONE", 0)
    await stream.write(bytes(out))


async def _send(stream: Stream, fs: SimFS, spec: str) -> bool:
    """Receive a pushed file; False when the stream must end (protocol error)."""
    path, sep, mode_text = spec.rpartition(",")
    if not sep or not mode_text.isdigit():
        path, mode = spec, statmod.S_IFREG | 0o644
    else:
        mode = int(mode_text)
    chunks: list[bytes] = []
    total = 0
    while True:
        ident, length = _REQ.unpack(await stream.read_exactly(_REQ.size))
        if ident == b"DATA":
            if length > SYNC_DATA_MAX:
                await _fail(stream, f"data chunk too large: {length}")
                return False
            total += length
            if total > MAX_FILE:
                await _fail(stream, "file too large for the simulated phone")
                return False
            chunks.append(await stream.read_exactly(length))
        elif ident == b"DONE":
            mtime = length
            break
        else:
            await _fail(stream, f"unexpected sync request {ident!r} in SEND")
            return False
    try:
        if fs.is_dir(path):
            raise FSError(f"{path}: Is a directory")
        fs.write(path, b"".join(chunks), mode=mode, mtime=mtime, make_parents=True)
    except FSError as exc:
        await _fail(stream, f"couldn't create file: {str(exc).rsplit(': ', 1)[-1]}")
        return True
    await stream.write(_REQ.pack(b"OKAY", 0))
    return True
