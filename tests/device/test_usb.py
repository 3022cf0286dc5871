"""The USB route (no adb binary): adb-shell's synchronous device on a worker thread.

No USB device exists where the tests run, so the route is driven through its `open_device`
door with adb-shell's synchronous TCP transport to the simulated phone: the same AdbDevice
class, threading, deadlines and reconnects as over USB; only libusb's discovery is left out.
"""

from __future__ import annotations

import importlib.util
import io
import threading

import pytest
from adb_shell.adb_device import AdbDevice as SyncAdbDevice
from adb_shell.transport.tcp_transport import TcpTransport
from PIL import Image

from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.connect import open_device
from artemis.device.usb import USB_HINT, UsbConnection, open_usb_device
from artemis.errors import DependencyMissingError, DeviceConnectionError
from artemis.sim.server import SimServer
from tests.sim.fake_phone import LAUNCHER, FakePhone

NO_USB1 = importlib.util.find_spec("usb1") is None


def _usb_like(server: SimServer, settings: Settings, threads: set[str]) -> UsbConnection:
    def opened() -> SyncAdbDevice:
        threads.add(threading.current_thread().name)
        return SyncAdbDevice(TcpTransport(server.host, server.port), banner="artemis")

    dev = settings.device
    return UsbConnection(
        "R58M123ABC",
        None,
        open_device=opened,
        connect_timeout_s=dev.connect_timeout_s,
        command_timeout_s=dev.command_timeout_s,
        reconnect_attempts=dev.reconnect_attempts,
    )


async def test_the_usb_route_observes_and_acts_from_its_own_thread(
    server: SimServer, settings: Settings, phone: FakePhone
) -> None:
    threads: set[str] = set()
    conn = _usb_like(server, settings, threads)
    await conn.connect()
    dev = AdbDevice(conn, settings.device)
    try:
        assert (dev.address, dev.route) == ("usb:R58M123ABC", "usb")
        obs = await dev.observe()
        with Image.open(io.BytesIO(obs.screenshot)) as img:
            assert img.size == (1080, 2400) and img.convert("RGB").getpixel((9, 9)) == phone.color
        assert obs.ui is not None and obs.package == LAUNCHER
        assert (await dev.shell("exit 7")).exit_code == 7
        server.drop_connections()  # the cable comes out and goes back in
        await dev.tap(3, 4)
        assert conn.connects == 2
    finally:
        await dev.close()
    assert phone.taps == [(3, 4)]
    assert threads and all(name.startswith("adb-usb") for name in threads)


async def test_a_usb_device_that_is_not_there(server: SimServer, settings: Settings) -> None:
    from adb_shell.exceptions import UsbDeviceNotFoundError

    def missing() -> SyncAdbDevice:
        raise UsbDeviceNotFoundError("No device available, or it is in the wrong configuration.")

    conn = UsbConnection("R58M", None, open_device=missing, connect_timeout_s=1)
    with pytest.raises(DeviceConnectionError, match="no USB device with serial R58M: plug it in"):
        await conn.connect()
    await conn.close()


@pytest.mark.skipif(not NO_USB1, reason="the usb extra is installed here")
async def test_without_the_usb_extra_it_says_how_to_install_it(settings: Settings) -> None:
    with pytest.raises(DependencyMissingError, match=r'pip install "artemis\[usb\]"'):
        open_usb_device(None, 1.0)
    with pytest.raises(DependencyMissingError) as err:
        async with open_device(settings, "usb"):
            pass
    assert str(err.value) == USB_HINT
