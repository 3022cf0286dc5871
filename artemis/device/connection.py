"""The direct route: one ADB connection to a device's adbd over TCP, through adb-shell.

No `adb` binary and no adb server are involved: TCP to an emulator's adb port (5555, ...) or
to a phone after `adb tcpip 5555`. The deadlines, reconnects and exit statuses are the
`Link`'s (`artemis.device.link`); what is particular to adb-shell is here:

- adb-shell's TCP transport reads `b""` forever once the peer has gone and busy-loops until
  its read timeout; `_EofTransport` turns that end-of-stream into a `ConnectionResetError`.
- adb-shell verifies the checksum of every packet it receives with a Python loop over the
  bytes, about 4 ms per megabyte (a phone's PNG screenshot is 1-2 MB, a raw frame 10 MB), on
  the event loop and holding the interpreter lock. `fast_checksums` has its devices sum with
  numpy instead (`artemis.bytesum`: the same value, 14 times as fast).
- Calls are serialised: adb-shell 0.4.4 loses a stream's CLSE when several streams are open at
  once on one connection (its packet store drops a CLSE for a stream it has not queued yet), so
  concurrent calls hang.
"""

from __future__ import annotations

import asyncio
import contextlib
import functools
from collections.abc import Callable
from typing import Any, Unpack

from adb_shell import adb_device, adb_device_async, adb_message
from adb_shell import exceptions as adb_exc
from adb_shell.adb_device_async import AdbDeviceAsync
from adb_shell.transport.tcp_transport_async import TcpTransportAsync

from artemis.bytesum import byte_sum
from artemis.device.keys import AdbSigner
from artemis.device.link import Link, LinkLost, LinkOptions, Service, ShellResult, Sleep
from artemis.errors import DeviceConnectionError

__all__ = ["AdbConnection", "ShellResult", "Sleep"]

# What adb-shell raises when the link or the peer misbehaves (as opposed to our deadline).
LINK_ERRORS: tuple[type[BaseException], ...] = (
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


def fast_checksums() -> bool:
    """Have adb-shell's devices (async and sync) verify packets with `byte_sum`; True if they
    do. Only where they use adb-shell's own `checksum`, by that name: a version of adb-shell
    laid out otherwise keeps its own (slower, and the same)."""
    patched = False
    for module in (adb_device_async, adb_device):
        if getattr(module, "checksum", None) in (adb_message.checksum, byte_sum):
            module.checksum = byte_sum
            patched = True
    return patched


fast_checksums()


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


class AdbConnection(Link):
    route = "direct"

    def __init__(
        self,
        host: str,
        port: int,
        signer: AdbSigner | None,
        **options: Unpack[LinkOptions],
    ) -> None:
        super().__init__(**options)
        self.host = host
        self.port = port
        self.signer = signer
        self._dev: AdbDeviceAsync | None = None

    @property
    def address(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{host}:{self.port}"

    @property
    def connected(self) -> bool:
        return self._dev is not None

    async def _open(self) -> None:
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
            await quiet_close(dev)
            raise DeviceConnectionError(
                f"{self.address} did not complete the ADB handshake within {t:g} s "
                "(if it is a phone, accept the USB debugging prompt on its screen)"
            ) from exc
        except adb_exc.DeviceAuthError as exc:
            await quiet_close(dev)
            raise DeviceConnectionError(f"{self.address} requires authorisation: {exc}") from exc
        except LINK_ERRORS as exc:
            await quiet_close(dev)
            raise DeviceConnectionError(
                f"cannot connect to {self.address}: {link_reason(exc)}"
            ) from exc
        self._dev = dev

    async def _drop(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            await quiet_close(dev)

    async def _run(self, service: Service, cmd: str, timeout_s: float) -> bytes:
        assert self._dev is not None
        try:
            out: bytes = await service_call(self._dev, service, cmd, timeout_s)()
        except LINK_ERRORS as exc:
            raise LinkLost(link_reason(exc)) from exc
        return out


def service_call(dev: Any, service: Service, cmd: str, timeout_s: float) -> Callable[[], Any]:
    """adb-shell's call for a service (`shell` or `exec_out`, sync or async alike). Its own
    timeouts sit beyond ours, so ours is the one that fires."""
    t = timeout_s + 5.0
    run = dev.shell if service == "shell" else dev.exec_out
    return functools.partial(
        run, cmd, transport_timeout_s=t, read_timeout_s=t, timeout_s=t, decode=False
    )


def link_reason(exc: BaseException) -> str:
    if isinstance(exc, ConnectionRefusedError):
        return "connection refused (nothing listens there)"
    if isinstance(exc, OSError) and exc.strerror:
        return exc.strerror
    return str(exc) or type(exc).__name__


async def quiet_close(dev: Any) -> None:
    with contextlib.suppress(TimeoutError, *LINK_ERRORS):
        await asyncio.wait_for(dev.close(), 2.0)
