"""One ADB connection to a device over TCP, with the deadlines and reconnects adb-shell lacks.

- adb-shell's TCP transport reads `b""` forever once the peer has gone and busy-loops until
  its read timeout; `_EofTransport` turns that end-of-stream into a `ConnectionResetError`.
- Every call has a deadline of ours (`asyncio.wait_for`). A call that misses it raises
  `DeviceTimeoutError` and the connection is dropped: its streams are in an unknown state.
- A dropped connection is re-opened, and the call retried, up to `reconnect_attempts` times,
  with a short backoff. A command may therefore run twice if the device dropped the connection
  after running it but before answering.
- Calls are serialised: adb-shell 0.4.4 loses a stream's CLSE when several streams are open at
  once on one connection (its packet store drops a CLSE for a stream it has not queued yet), so
  concurrent calls hang. One at a time is correct, and on loopback a call is a fraction of a ms.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import secrets
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from adb_shell import exceptions as adb_exc
from adb_shell.adb_device_async import AdbDeviceAsync
from adb_shell.transport.tcp_transport_async import TcpTransportAsync

from artemis.device.keys import AdbSigner
from artemis.errors import DeviceCommandError, DeviceConnectionError, DeviceTimeoutError

log = logging.getLogger(__name__)
T = TypeVar("T")

Sleep = Callable[[float], Awaitable[None]]

# What adb-shell raises when the link or the peer misbehaves (as opposed to our deadline).
_LINK_ERRORS: tuple[type[BaseException], ...] = (
    ConnectionError,
    OSError,
    EOFError,
    adb_exc.AdbConnectionError,
    adb_exc.InvalidCommandError,
    adb_exc.InvalidChecksumError,
    adb_exc.InvalidResponseError,
    adb_exc.TcpTimeoutException,
    adb_exc.AdbTimeoutError,
)


class _EofTransport(TcpTransportAsync):
    """adb-shell's TCP transport, failing fast when the device closes the connection."""

    async def bulk_read(self, numbytes: int, transport_timeout_s: float | None) -> bytes:
        if self._reader is None:
            raise ConnectionResetError("not connected")
        data: bytes = await super().bulk_read(numbytes, transport_timeout_s)
        if not data and numbytes > 0:
            raise ConnectionResetError("the device closed the connection")
        return data

    async def bulk_write(self, data: bytes, transport_timeout_s: float | None) -> int:
        if self._writer is None or self._writer.is_closing():
            raise ConnectionResetError("not connected")
        written: int = await super().bulk_write(data, transport_timeout_s)
        return written


@dataclass(frozen=True, slots=True)
class ShellResult:
    output: bytes
    exit_code: int

    @property
    def text(self) -> str:
        return self.output.decode("utf-8", "replace").replace("\r\n", "\n")


class AdbConnection:
    def __init__(
        self,
        host: str,
        port: int,
        signer: AdbSigner | None,
        *,
        connect_timeout_s: float = 10.0,
        command_timeout_s: float = 30.0,
        reconnect_attempts: int = 2,
        sleep: Sleep = asyncio.sleep,
    ) -> None:
        self.host = host
        self.port = port
        self.signer = signer
        self.connect_timeout_s = connect_timeout_s
        self.command_timeout_s = command_timeout_s
        self.reconnect_attempts = reconnect_attempts
        self._sleep = sleep
        self._dev: AdbDeviceAsync | None = None
        self._lock = asyncio.Lock()
        self.connects = 0  # how many times a connection was opened

    @property
    def address(self) -> str:
        return f"{self.host}:{self.port}"

    @property
    def connected(self) -> bool:
        return self._dev is not None

    async def connect(self) -> None:
        async with self._lock:
            await self._connect()

    async def close(self) -> None:
        async with self._lock:
            await self._drop()

    async def _connect(self) -> None:
        await self._drop()
        dev = AdbDeviceAsync(_EofTransport(self.host, self.port), banner="artemis")
        t = self.connect_timeout_s
        keys = [self.signer] if self.signer is not None else None
        try:
            await asyncio.wait_for(
                dev.connect(
                    rsa_keys=keys, transport_timeout_s=t, auth_timeout_s=t, read_timeout_s=t
                ),
                t,
            )
        except TimeoutError as exc:
            await _quiet_close(dev)
            raise DeviceConnectionError(
                f"{self.address} did not complete the ADB handshake within {t:g} s "
                "(if it is a phone, accept the USB debugging prompt on its screen)"
            ) from exc
        except adb_exc.DeviceAuthError as exc:
            await _quiet_close(dev)
            raise DeviceConnectionError(f"{self.address} requires authorisation: {exc}") from exc
        except _LINK_ERRORS as exc:
            await _quiet_close(dev)
            raise DeviceConnectionError(
                f"cannot connect to {self.address}: {_reason(exc)}"
            ) from exc
        self._dev = dev
        self.connects += 1

    async def _drop(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            await _quiet_close(dev)

    async def _call(
        self,
        what: str,
        fn: Callable[[AdbDeviceAsync, float], Awaitable[T]],
        timeout_s: float | None,
    ) -> T:
        deadline = timeout_s or self.command_timeout_s
        async with self._lock:
            for attempt in range(self.reconnect_attempts + 1):
                if self._dev is None:
                    if attempt:
                        await self._sleep(min(0.1 * 2**attempt, 2.0))
                    try:
                        await self._connect()
                    except DeviceConnectionError:
                        if attempt == self.reconnect_attempts:
                            raise
                        continue
                assert self._dev is not None
                try:
                    # adb-shell's own timeouts sit beyond ours, so ours is the one that fires.
                    return await asyncio.wait_for(fn(self._dev, deadline + 5.0), deadline)
                except TimeoutError as exc:
                    await self._drop()
                    raise DeviceTimeoutError(
                        f"{what!r} on {self.address} did not finish within {deadline:g} s"
                    ) from exc
                except _LINK_ERRORS as exc:
                    log.info("%s: connection lost during %r: %s", self.address, what, exc)
                    await self._drop()
                    if attempt == self.reconnect_attempts:
                        raise DeviceConnectionError(
                            f"lost the connection to {self.address} during {what!r} "
                            f"({self.reconnect_attempts} reconnects tried): {exc}"
                        ) from exc
        raise AssertionError("unreachable")  # pragma: no cover

    async def shell_raw(self, cmd: str, *, timeout_s: float | None = None) -> bytes:
        """Run `cmd` through the device shell; stdout and stderr merged, as bytes."""

        async def run(dev: AdbDeviceAsync, t: float) -> bytes:
            out: bytes = await dev.shell(
                cmd, transport_timeout_s=t, read_timeout_s=t, timeout_s=t, decode=False
            )
            return out

        return await self._call(cmd, run, timeout_s)

    async def exec_out(self, cmd: str, *, timeout_s: float | None = None) -> bytes:
        """Run `cmd` through `exec:` (no pty on any Android version): binary-safe output."""

        async def run(dev: AdbDeviceAsync, t: float) -> bytes:
            out: bytes = await dev.exec_out(
                cmd, transport_timeout_s=t, read_timeout_s=t, timeout_s=t, decode=False
            )
            return out

        return await self._call(cmd, run, timeout_s)

    async def shell(
        self, cmd: str, *, timeout_s: float | None = None, check: bool = False
    ) -> ShellResult:
        """Run `cmd` and learn its exit status through a sentinel no output can forge.

        The device runs `cmd` in a subshell (so that `exit` ends only it), then
        `echo <marker>$?`, where the marker holds 128 random bits drawn for this call. The last
        occurrence of the marker, followed by digits and the end of output, is ours.
        """
        marker = f"__artemis_exit_{secrets.token_hex(16)}="
        raw = await self.shell_raw(f"(\n{cmd}\n)\necho {marker}$?", timeout_s=timeout_s)
        at = raw.rfind(marker.encode())
        tail = raw[at + len(marker) :].strip() if at >= 0 else b""
        if at < 0 or not tail.isdigit():
            raise DeviceCommandError(
                f"{cmd!r} ended without an exit status (the shell died?)",
                command=cmd,
                output=raw.decode("utf-8", "replace"),
            )
        result = ShellResult(raw[:at], int(tail))
        if check and result.exit_code != 0:
            raise DeviceCommandError(
                f"{cmd!r} failed with exit status {result.exit_code}: {result.text.strip()[:500]}",
                command=cmd,
                exit_code=result.exit_code,
                output=result.text,
            )
        return result


def _reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (nothing listens there)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


async def _quiet_close(dev: Any) -> None:
    with contextlib.suppress(TimeoutError, *_LINK_ERRORS):
        await asyncio.wait_for(dev.close(), 2.0)
