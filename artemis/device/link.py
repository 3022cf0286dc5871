"""What every route to a device shares: deadlines, reconnects, exit statuses, cut-short answers.

A `Link` runs the device's `shell:` and `exec:` services by one route: adbd over TCP
(`artemis.device.connection.AdbConnection`), a running adb server's host protocol
(`artemis.device.adbserver.ServerConnection`) or USB (`artemis.device.usb.UsbConnection`).
The rules are the same for all of them:

- Every call has a deadline of ours. A call that misses it raises `DeviceTimeoutError` and the
  link is dropped: its streams are in an unknown state.
- A link that fails (`LinkLost`) is dropped, re-opened and the call retried, up to
  `reconnect_attempts` times, with a short backoff. A command may therefore run twice if the
  device dropped after running it but before answering.
- An answer can end early without any error: through the adb server, a device that drops in
  the middle of a transfer just closes our socket, as a finished command does. A caller that
  knows what a whole answer looks like (a shell command's exit-status marker, a PNG's last
  chunk) passes `complete=`; an answer that fails the check counts as a lost link.
- Calls run `parallel` at a time. A route whose calls share one stream multiplexer runs them
  one at a time (adb-shell needs it: see `AdbConnection`; USB likewise); the adb server route
  opens a socket of its own for every call, so observe's screencap, UI dump and dumpsys run
  side by side there. A failed call drops the link for everyone; the next call to find it
  down re-opens it, once (under a lock), and the others use the link it opened.
"""

from __future__ import annotations

import abc
import asyncio
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import ClassVar, Literal, TypedDict

from artemis.errors import DeviceCommandError, DeviceConnectionError, DeviceTimeoutError

log = logging.getLogger(__name__)

Sleep = Callable[[float], Awaitable[None]]
Service = Literal["shell", "exec"]
Complete = Callable[[bytes], bool]


class LinkOptions(TypedDict, total=False):
    """What every route takes besides where the device is (`Link.__init__`)."""

    connect_timeout_s: float
    command_timeout_s: float
    reconnect_attempts: int
    sleep: Sleep


class LinkLost(Exception):
    """The route to the device failed during a call; the link must be re-opened."""


@dataclass(frozen=True, slots=True)
class ShellResult:
    output: bytes
    exit_code: int

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace").replace("\r\n", "\n")


def exit_marker() -> str:
    """A marker for one command's exit status: 128 random bits no output can forge."""
    return f"__artemis_exit_{secrets.token_hex(16)}="


def split_exit_status(raw: bytes, marker: str) -> ShellResult | None:
    """The output before the last `marker` and the status after it; None when cut short."""
    at = raw.rfind(marker.encode())
    tail = raw[at + len(marker) :].strip() if at >= 0 else b""
    if at < 0 or not tail.isdigit():
        return None
    return ShellResult(raw[:at], int(tail))


class Link(abc.ABC):
    """One device, reached by one route. Subclasses open, close and run a service."""

    #: How the device is reached, for listings: "direct", "adb server" or "usb".
    route: ClassVar[str] = ""
    #: How many calls may be in flight at once (1: serialised, the lock held for the call).
    parallel: ClassVar[int] = 1

    def __init__(
        self,
        *,
        connect_timeout_s: float = 10.0,
        command_timeout_s: float = 30.0,
        reconnect_attempts: int = 2,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.connect_timeout_s = connect_timeout_s
        self.command_timeout_s = command_timeout_s
        self.reconnect_attempts = reconnect_attempts
        self._sleep = sleep
        self._lock = asyncio.Lock()  # opening and closing; with `parallel == 1`, every call
        self._slots = asyncio.Semaphore(self.parallel)
        self.connects = 0  # how many times the link was opened

    # --- what a route provides -----------------------------------------------------------
    @property
    @abc.abstractmethod
    def address(self) -> str:
        """The name the user gives the device by (HOST:PORT, a serial, usb:SERIAL)."""

    @property
    @abc.abstractmethod
    def connected(self) -> bool: ...

    @abc.abstractmethod
    async def _open(self) -> None:
        """Open the link; `DeviceConnectionError` with a message a user can act on."""

    @abc.abstractmethod
    async def _drop(self) -> None:
        """Close the link quietly; it may be half dead."""

    @abc.abstractmethod
    async def _run(self, service: Service, cmd: str, timeout_s: float) -> bytes:
        """Run `cmd` through the device service; `LinkLost` when the route fails."""

    # --- the shared rules ------------------------------------------------------------------
    async def connect(self) -> None:
        async with self._lock:
            await self._reopen()

    async def close(self) -> None:
        async with self._lock:
            await self._drop()

    async def _reopen(self) -> None:
        await self._drop()
        await self._open()
        self.connects += 1

    async def _ensure_open(self) -> None:
        """Open the link for a call that found it down. Serialised calls hold the lock
        already; parallel ones take it, and only the first re-opens."""
        if self.parallel == 1:
            await self._reopen()
            return
        async with self._lock:
            if not self.connected:
                await self._reopen()

    async def _call(
        self, service: Service, cmd: str, timeout_s: float | None, complete: Complete | None
    ) -> bytes:
        deadline = timeout_s or self.command_timeout_s
        async with self._lock if self.parallel == 1 else self._slots:
            for attempt in range(self.reconnect_attempts + 1):
                if not self.connected:
                    if attempt:
                        await self._sleep(min(0.1 * 2**attempt, 2.0))
                    try:
                        await self._ensure_open()
                    except DeviceConnectionError:
                        if attempt == self.reconnect_attempts:
                            raise
                        continue
                try:
                    out = await asyncio.wait_for(self._run(service, cmd, deadline), deadline)
                except TimeoutError as exc:
                    await self._drop()
                    raise DeviceTimeoutError(
                        f"{cmd!r} on {self.address} did not finish within {deadline:g} s"
                    ) from exc
                except LinkLost as exc:
                    reason = str(exc)
                else:
                    if complete is None or complete(out):
                        return out
                    reason = f"the answer was cut short after {len(out)} bytes"
                log.info("%s: connection lost during %r: %s", self.address, cmd, reason)
                await self._drop()
                if attempt == self.reconnect_attempts:
                    raise DeviceConnectionError(
                        f"lost the connection to {self.address} during {cmd!r} "
                        f"({self.reconnect_attempts} reconnects tried): {reason}"
                    )
        raise AssertionError("unreachable")  # pragma: no cover

    async def shell_raw(
        self, cmd: str, *, timeout_s: float | None = None, complete: Complete | None = None
    ) -> bytes:
        """Run `cmd` through the device shell; stdout and stderr merged, as bytes."""
        return await self._call("shell", cmd, timeout_s, complete)

    async def exec_out(
        self, cmd: str, *, timeout_s: float | None = None, complete: Complete | None = None
    ) -> bytes:
        """Run `cmd` through `exec:` (no pty on any Android version): binary-safe output."""
        return await self._call("exec", cmd, timeout_s, complete)

    async def shell(
        self, cmd: str, *, timeout_s: float | None = None, check: bool = False
    ) -> ShellResult:
        """Run `cmd` and learn its exit status through a marker no output can forge.

        The device runs `cmd` in a subshell (so that `exit` ends only it), then
        `echo <marker>$?`. An answer without the marker was cut short: the link is re-opened
        and the command run again.
        """
        marker = exit_marker()
        raw = await self.shell_raw(
            f"(\n{cmd}\n)\necho {marker}$?",
            timeout_s=timeout_s,
            complete=lambda out: split_exit_status(out, marker) is not None,
        )
        result = split_exit_status(raw, marker)
        assert result is not None  # `complete` held
        if check and result.exit_code != 0:
            raise DeviceCommandError(
                f"{cmd!r} failed with exit status {result.exit_code}: {result.text.strip()[:500]}",
                command=cmd,
                exit_code=result.exit_code,
                output=result.text,
            )
        return result
