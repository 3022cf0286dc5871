"""Where a simulated command reads and writes: writers for stdout/stderr, a stdin source."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Protocol

from artemis.sim.fs import FSError, SimFS


class Writer(Protocol):
    async def write(self, data: bytes) -> None: ...


class Stdin(Protocol):
    async def read(self) -> bytes:
        """Everything up to end of input."""
        ...


class NullWriter:
    async def write(self, data: bytes) -> None:
        return None


class BufferWriter:
    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    async def write(self, data: bytes) -> None:
        if data:
            self.chunks.append(data)

    def getvalue(self) -> bytes:
        return b"".join(self.chunks)


class CallbackWriter:
    """Forwards to an async callable (a stream of the ADB connection)."""

    def __init__(self, fn: Callable[[bytes], Awaitable[None]]) -> None:
        self._fn = fn

    async def write(self, data: bytes) -> None:
        if data:
            await self._fn(data)


class FileWriter:
    """Appends to a file of the simulated filesystem (a redirect)."""

    def __init__(self, fs: SimFS, path: str) -> None:
        self.fs = fs
        self.path = path

    async def write(self, data: bytes) -> None:
        if data:
            self.fs.write(self.path, data, append=True)


class BytesStdin:
    def __init__(self, data: bytes = b"") -> None:
        self._data = data

    async def read(self) -> bytes:
        data, self._data = self._data, b""
        return data


class EmptyStdin(BytesStdin):
    pass


def open_for_write(fs: SimFS, path: str, *, append: bool) -> Writer:
    """A redirect target: `/dev/null` discards; other paths are files (created/truncated)."""
    if path == "/dev/null":
        return NullWriter()
    if not append or not fs.exists(path):
        fs.write(path, b"")
    elif fs.is_dir(path):
        raise FSError(f"{path}: Is a directory")
    return FileWriter(fs, path)
