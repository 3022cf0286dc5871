"""`adb shell` with no command: an interactive session on the simulated phone.

On a pty (the legacy `shell:` service, or `shell,v2,pty:` when `adb shell` runs in a terminal)
the device side does what a terminal's line discipline does: it echoes keystrokes, handles
backspace, ^C and ^D, turns output newlines into CR LF, and prints a prompt. Without a pty
(`shell,v2,raw:`, stdin piped), lines are read and run silently, as `sh` does.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from types import EllipsisType

from artemis.sim.context import SimContext
from artemis.sim.shell import new_shell
from artemis.sim.shell.interp import decode
from artemis.sim.shell.io import CallbackWriter

PROMPT = "{name}:/ $ "
EXIT_WORDS = (b"exit", b"logout")

#: Reads the next chunk of the user's input; None at the end of input.
Read = Callable[[], Awaitable[bytes | None]]
Write = Callable[[bytes], Awaitable[None]]


class LineEditor:
    """Turns keystrokes into lines, with the echo a pty would give."""

    def __init__(self, *, pty: bool) -> None:
        self.pty = pty
        self.line = bytearray()
        self._escape = 0  # where we are in an escape sequence (arrow keys...) to skip
        self._after_cr = False

    def feed(self, data: bytes) -> list[tuple[bytes, bytes | EllipsisType | None]]:
        """(echo, line) pairs in order: the echo up to a completed line, then the line.

        The line is `...` when none was completed (only echo), None at ^D on an empty line.
        """
        events: list[tuple[bytes, bytes | EllipsisType | None]] = []
        echo = bytearray()

        def end(line: bytes | None) -> None:
            events.append((bytes(echo), line))
            echo.clear()

        for byte in data:
            if self._escape:
                self._escape = 0 if (self._escape > 1 and 0x40 <= byte <= 0x7E) else 2
                continue
            after_cr, self._after_cr = self._after_cr, byte == 0x0D
            if not self.pty:  # raw: lines end at LF, nothing is echoed
                if byte == 0x0A:
                    end(bytes(self.line))
                    self.line.clear()
                else:
                    self.line.append(byte)
            elif byte in (0x0D, 0x0A):  # CR or LF ends the line; LF right after CR does not
                if byte == 0x0A and after_cr:
                    continue
                echo += b"\r\n"
                end(bytes(self.line))
                self.line.clear()
            elif byte in (0x7F, 0x08):  # backspace: one character, UTF-8 aware
                if self.line:
                    while self.line and (self.line[-1] & 0xC0) == 0x80:
                        self.line.pop()
                    if self.line:
                        self.line.pop()
                    echo += b"\b \b"
            elif byte == 0x03:  # ^C drops the line
                self.line.clear()
                echo += b"^C\r\n"
                end(b"")
            elif byte == 0x04:  # ^D on an empty line ends the session
                if not self.line:
                    end(None)
            elif byte == 0x1B:
                self._escape = 1
            elif byte >= 0x20 or byte == 0x09:
                self.line.append(byte)
                echo.append(byte)
        if echo:
            events.append((bytes(echo), ...))
        return events


async def run_session(ctx: SimContext, name: str, *, pty: bool, read: Read, write: Write) -> int:
    """Run lines until `exit`, ^D or the end of input; returns the last exit status."""
    shell = new_shell(ctx)
    prompt = PROMPT.format(name=name).encode() if pty else b""

    async def out(data: bytes) -> None:
        await write(data.replace(b"\n", b"\r\n") if pty else data)

    writer = CallbackWriter(out)
    editor = LineEditor(pty=pty)
    if prompt:
        await write(prompt)
    while True:
        chunk = await read()
        if chunk is None:
            return shell.status
        for echo, line in editor.feed(chunk):
            if echo:
                await write(echo)
            if line is ...:
                continue
            if line is None or line.strip() in EXIT_WORDS:
                return shell.status
            if line.strip():
                await shell.run(decode(line.rstrip(b"\r")), stdout=writer, stderr=writer)
            if prompt:
                await write(prompt)
