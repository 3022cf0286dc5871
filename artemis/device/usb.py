"""The USB route without any `adb` binary: adb-shell's USB transport, on a worker thread.

For a phone on a machine where no adb is installed: `--device usb` (the first USB device in
ADB mode) or `--device usb:SERIAL`. It needs the optional `usb` extra
(`pip install "artemis[usb]"`: adb-shell's libusb1 binding) and, on Linux, permission to open
the device (a udev rule). An adb server, when one runs, holds the device's ADB interface: stop
it (`adb kill-server`) or use the server route (`adb:SERIAL`) instead.

adb-shell's USB device is synchronous, so every call runs on one dedicated thread, in order;
the `Link` gives it our deadlines and reconnects. A call that misses its deadline leaves its
thread blocked until adb-shell's own timeout (a few seconds later) frees it.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextlib
import importlib
from collections.abc import Callable
from typing import Any, TypeVar, Unpack

from adb_shell import exceptions as adb_exc

from artemis.device.connection import LINK_ERRORS, link_reason, service_call
from artemis.device.keys import AdbSigner
from artemis.device.link import Link, LinkLost, LinkOptions, Service
from artemis.errors import DependencyMissingError, DeviceConnectionError

T = TypeVar("T")
USB_HINT = 'USB without an adb binary needs the usb extra: pip install "artemis[usb]"'


def _usb_errors() -> tuple[type[BaseException], ...]:
    """libusb1's error type, when the usb extra is installed."""
    try:
        usb1 = importlib.import_module("usb1")
    except (ImportError, OSError):
        return ()
    return (usb1.USBError,)


def open_usb_device(serial: str | None, timeout_s: float) -> Any:
    """adb-shell's `AdbDeviceUsb` for `serial` (None: the first device in ADB mode)."""
    from adb_shell.adb_device import AdbDeviceUsb

    try:
        return AdbDeviceUsb(serial=serial, default_transport_timeout_s=timeout_s, banner="artemis")
    except adb_exc.InvalidTransportError as exc:  # adb-shell without its usb extra
        raise DependencyMissingError(USB_HINT) from exc


class UsbConnection(Link):
    route = "usb"

    def __init__(
        self,
        serial: str | None,
        signer: AdbSigner | None,
        *,
        open_device: Callable[[], Any] | None = None,
        **options: Unpack[LinkOptions],
    ) -> None:
        """`open_device` builds a synchronous adb-shell device; by default the USB one (tests
        pass any other transport through this door)."""
        super().__init__(**options)
        self.serial = serial
        self.signer = signer
        self._open_device = open_device or (lambda: open_usb_device(serial, self.connect_timeout_s))
        self._dev: Any = None
        self._thread: concurrent.futures.ThreadPoolExecutor | None = None
        self._errors = (*LINK_ERRORS, adb_exc.UsbReadFailedError, *_usb_errors())

    @property
    def address(self) -> str:
        return f"usb:{self.serial}" if self.serial else "usb"

    @property
    def connected(self) -> bool:
        return self._dev is not None

    async def _in_thread(self, fn: Callable[..., T], *args: Any, **kwargs: Any) -> T:
        if self._thread is None:
            self._thread = concurrent.futures.ThreadPoolExecutor(1, thread_name_prefix="adb-usb")
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._thread, lambda: fn(*args, **kwargs))

    async def _open(self) -> None:
        t = self.connect_timeout_s
        keys = [self.signer] if self.signer is not None else None
        try:
            dev = await self._in_thread(self._open_device)
        except adb_exc.UsbDeviceNotFoundError as exc:
            which = f"with serial {self.serial}" if self.serial else "in ADB mode"
            raise DeviceConnectionError(
                f"no USB device {which}: plug it in and enable USB debugging"
            ) from exc
        except self._errors as exc:
            raise DeviceConnectionError(
                f"cannot open {self.address}: {link_reason(exc)} (if an adb server runs, it "
                f"holds the device: `adb kill-server`, or use adb:{self.serial or 'SERIAL'})"
            ) from exc
        try:
            await asyncio.wait_for(
                self._in_thread(
                    dev.connect,
                    rsa_keys=keys,
                    transport_timeout_s=t,
                    auth_timeout_s=t,
                    read_timeout_s=t,
                ),
                t + 5.0,
            )
        except (TimeoutError, adb_exc.DeviceAuthError, *self._errors) as exc:
            await self._close_quietly(dev)
            raise DeviceConnectionError(
                f"{self.address} did not complete the ADB handshake: {link_reason(exc)} "
                "(accept the USB debugging prompt on its screen)"
            ) from exc
        self._dev = dev

    async def _close_quietly(self, dev: Any) -> None:
        with contextlib.suppress(TimeoutError, *self._errors):
            await asyncio.wait_for(self._in_thread(dev.close), 2.0)

    async def _drop(self) -> None:
        dev, self._dev = self._dev, None
        if dev is not None:
            await self._close_quietly(dev)

    async def close(self) -> None:
        await super().close()
        if self._thread is not None:
            self._thread.shutdown(wait=False, cancel_futures=True)
            self._thread = None

    async def _run(self, service: Service, cmd: str, timeout_s: float) -> bytes:
        assert self._dev is not None
        try:
            out: bytes = await self._in_thread(service_call(self._dev, service, cmd, timeout_s))
        except self._errors as exc:
            raise LinkLost(link_reason(exc)) from exc
        return out
