"""Conformance: adb-shell (a client no one here wrote), sync and async, drives the sim."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from adb_shell.adb_device import AdbDeviceTcp
from adb_shell.adb_device_async import AdbDeviceTcpAsync
from adb_shell.auth.keygen import keygen
from adb_shell.auth.sign_cryptography import CryptographySigner
from adb_shell.exceptions import TcpTimeoutException
from PIL import Image

from artemis.sim.server import SimServer, ThreadedSimServer
from tests.sim.fake_phone import FakePhone


def _png_size(data: bytes) -> tuple[int, int]:
    img = Image.open(io.BytesIO(data))
    img.verify()
    return img.size


def test_sync_client_shell_screenshot_push_pull(
    threaded: ThreadedSimServer, phone: FakePhone, tmp_path: Path
) -> None:
    dev = AdbDeviceTcp("127.0.0.1", threaded.port, default_transport_timeout_s=5)
    assert dev.connect(read_timeout_s=5)
    assert dev.shell("echo hello && getprop ro.build.version.release") == "hello\n13\n"
    png = dev.exec_out("screencap -p", decode=False)
    assert _png_size(png) == (1080, 2400)
    local = tmp_path / "in.bin"
    payload = bytes(range(256)) * 1000
    local.write_bytes(payload)
    dev.push(str(local), "/sdcard/Download/in.bin")
    assert phone.fs.read("/sdcard/Download/in.bin") == payload
    back = tmp_path / "back.bin"
    dev.pull("/sdcard/Download/in.bin", str(back))
    assert back.read_bytes() == payload
    mode, size, _ = dev.stat("/sdcard/Download/in.bin")
    assert size == len(payload) and mode & 0o170000 == 0o100000
    names = {bytes(f.filename) for f in dev.list("/sdcard/Download")}
    assert b"in.bin" in names
    dev.close()


async def test_async_client_shell_screenshot_push_pull(server: SimServer, phone: FakePhone) -> None:
    dev = AdbDeviceTcpAsync("127.0.0.1", server.port, default_transport_timeout_s=5)
    assert await dev.connect(read_timeout_s=5)
    assert await dev.shell("input tap 5 6; echo $?") == "0\n"
    assert phone.taps == [(5, 6)]
    png = await dev.exec_out("screencap -p", decode=False)
    assert _png_size(png) == (1080, 2400)
    raw = await dev.exec_out("screencap", decode=False)
    assert len(raw) == 16 + 1080 * 2400 * 4
    await dev.push(io.BytesIO(b"note text"), "/sdcard/n.txt")
    assert await dev.shell("cat /sdcard/n.txt") == "note text"
    out = io.BytesIO()
    await dev.pull("/sdcard/n.txt", out)
    assert out.getvalue() == b"note text"
    xml = await dev.shell("uiautomator dump >/dev/null && cat /sdcard/window_dump.xml")
    assert xml.startswith("<?xml version='1.0' encoding='UTF-8' standalone='yes' ?><hierarchy")
    await dev.close()


@pytest.fixture(scope="module")
def keys(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, str]:
    folder = tmp_path_factory.mktemp("keys")
    good, bad = str(folder / "good"), str(folder / "bad")
    keygen(good)
    keygen(bad)
    return good, bad


def test_auth_accepts_a_signature_from_a_listed_key(
    phone: FakePhone, keys: tuple[str, str]
) -> None:
    good, _ = keys
    pub = Path(good + ".pub").read_text()
    with ThreadedSimServer(phone, auth_keys=[pub]) as srv:
        dev = AdbDeviceTcp("127.0.0.1", srv.port, default_transport_timeout_s=5)
        assert dev.connect(rsa_keys=[CryptographySigner(good)], auth_timeout_s=5)
        assert dev.shell("echo in") == "in\n"
        dev.close()


def test_auth_accepts_a_listed_key_offered_after_unknown_ones(
    phone: FakePhone, keys: tuple[str, str]
) -> None:
    good, bad = keys
    with ThreadedSimServer(phone, auth_keys=[Path(good + ".pub").read_text()]) as srv:
        dev = AdbDeviceTcp("127.0.0.1", srv.port, default_transport_timeout_s=5)
        signers = [CryptographySigner(bad), CryptographySigner(good)]
        assert dev.connect(rsa_keys=signers, auth_timeout_s=5)
        dev.close()


def test_auth_refuses_keys_not_in_the_list(phone: FakePhone, keys: tuple[str, str]) -> None:
    good, bad = keys
    with ThreadedSimServer(phone, auth_keys=[Path(good + ".pub").read_text()]) as srv:
        dev = AdbDeviceTcp("127.0.0.1", srv.port, default_transport_timeout_s=0.5)
        # A wrong signature gets a fresh token; the unknown public key is never accepted.
        with pytest.raises(TcpTimeoutException):
            dev.connect(rsa_keys=[CryptographySigner(bad)], auth_timeout_s=0.5, read_timeout_s=1)
        assert srv.server.connections  # still open: waiting for a user who never says yes
        dev.close()
