"""The adb server route, through Debian's real adb server driving the simulated phone.

Each test has its own adb server (its own port and HOME, killed in teardown) that
`adb connect`s to a simulated phone served on a background thread; artemis reaches the phone
through that server's host protocol, as it reaches a USB phone or `emulator-5554`.
"""

from __future__ import annotations

import socket
import subprocess
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from artemis.actions import LongPress, PointTarget, Wait
from artemis.config import Settings
from artemis.device.adbserver import ServerAddress, list_devices, server_address
from artemis.device.connect import connect_target, discover, open_device
from artemis.device.targets import ServerTarget, parse_target
from artemis.errors import AdbServerError, DeviceConnectionError
from artemis.sim.server import ThreadedSimServer
from tests.sim.adbtool import ADB, NO_ADB, Adb, adb_connected, adb_server, free_port
from tests.sim.conftest import FakeSleep
from tests.sim.fake_phone import LAUNCHER, FakePhone

pytestmark = pytest.mark.skipif(ADB is None, reason=NO_ADB)


@pytest.fixture
def threaded(phone: FakePhone) -> Iterator[ThreadedSimServer]:
    with ThreadedSimServer(phone) as srv:
        yield srv


@pytest.fixture
def adb(
    threaded: ThreadedSimServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Adb]:
    with adb_connected(threaded.address, tmp_path / "adbhome") as client:
        monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(client.port))
        yield client


def _adb_devices(adb: Adb) -> dict[str, str]:
    """`adb devices` as the binary prints it: serial -> state."""
    lines = adb("devices").stdout.decode().splitlines()[1:]
    return dict(line.split("\t") for line in lines if "\t" in line)


def _wait_for_state(adb: Adb, serial: str, state: str, deadline_s: float = 10) -> None:
    end = time.monotonic() + deadline_s
    while _adb_devices(adb).get(serial) != state:
        assert time.monotonic() < end, f"{serial} never became {state}: {_adb_devices(adb)}"
        time.sleep(0.05)


async def test_the_server_lists_what_adb_devices_lists(adb: Adb) -> None:
    devices = await list_devices(server_address(None), 5)
    assert {d.serial: d.state for d in devices} == _adb_devices(adb) == {adb.serial: "device"}
    [entry] = devices
    assert entry.model == "sdk_gphone64_x86_64" and entry.transport_id.isdigit()


async def test_a_device_through_the_server_works_like_a_direct_one(
    adb: Adb, settings: Settings, phone: FakePhone
) -> None:
    async with open_device(settings, f"adb:{adb.serial}") as dev:
        assert dev.route == "adb server" and dev.address == adb.serial
        assert (await dev.shell("exit 3")).exit_code == 3
        assert (await dev.shell("echo hi; echo there")).text == "hi\nthere\n"
        obs = await dev.observe()
        assert obs.screenshot == phone.screencap_png() and not obs.blank
        assert obs.ui is not None and obs.package == LAUNCHER
        raw = await dev.conn.exec_out("screencap")
        assert len(raw) == 16 + 1080 * 2400 * 4  # binary-safe through the server
        await dev.tap(10, 20)
        info = await dev.info()
    assert phone.taps == [(10, 20)]
    assert (info.model, info.android_version, info.width) == ("sdk_gphone64_x86_64", "13", 1080)


async def test_an_unknown_serial_names_the_devices_there_are(adb: Adb, settings: Settings) -> None:
    with pytest.raises(DeviceConnectionError) as err:
        async with open_device(settings, "R58M123ABC"):
            pass
    message = str(err.value)
    assert "\n" not in message
    assert message == (
        f"no device 'R58M123ABC' on the adb server at 127.0.0.1:{adb.port}; "
        f"its devices: {adb.serial} (device)"
    )


async def test_no_server_is_one_line_that_says_how_to_start_one(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    port = free_port()
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(port))
    with pytest.raises(AdbServerError, match=r"adb start-server.*emulator-5556 may answer "
                       r"directly as 127\.0\.0\.1:5557"):  # fmt: skip
        async with open_device(settings, "emulator-5556"):
            pass


async def test_an_unauthorized_device_says_to_accept_the_prompt(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A phone that trusts no key: adb's AUTH is refused and its prompt is never accepted.
    with ThreadedSimServer(FakePhone(), auth_keys=[]) as locked, adb_server(tmp_path) as adb:
        assert b"failed to authenticate" in adb("connect", locked.address).stdout
        monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb.port))
        _wait_for_state(adb, locked.address, "unauthorized")
        settings.device.connect_timeout_s = 0.3
        with pytest.raises(DeviceConnectionError) as err:
            async with open_device(settings, f"adb:{locked.address}"):
                pass
    assert str(err.value).startswith(f"device {locked.address} is unauthorized: unlock it and ")
    assert "'Allow USB debugging?'" in str(err.value)


class _Silent:
    """A port that accepts connections and never says a word (a device that hangs)."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.address = f"127.0.0.1:{self.sock.getsockname()[1]}"
        self.conns: list[socket.socket] = []
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        while True:
            try:
                self.conns.append(self.sock.accept()[0])
            except OSError:
                return

    def close(self) -> None:
        self.sock.close()
        for conn in self.conns:
            conn.close()


async def test_an_offline_device_says_what_to_do(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    silent = _Silent()
    try:
        with adb_server(tmp_path) as adb:
            # `adb connect` waits for a handshake that never comes; the device is listed
            # offline meanwhile, which is all this test needs.
            assert ADB is not None
            connecting = subprocess.Popen([ADB, "connect", silent.address], env=adb.env)  # noqa: ASYNC220
            monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb.port))
            try:
                _wait_for_state(adb, silent.address, "offline")
            finally:
                connecting.kill()
                connecting.wait()
            settings.device.connect_timeout_s = 0.3
            with pytest.raises(DeviceConnectionError) as err:
                async with open_device(settings, f"adb:{silent.address}"):
                    pass
    finally:
        silent.close()
    assert str(err.value).startswith(f"device {silent.address} is offline: ")
    assert "adb reconnect" in str(err.value)


@pytest.mark.parametrize("command", ["screencap", "uiautomator dump"])
async def test_a_device_that_drops_mid_transfer_is_read_again(
    adb: Adb, settings: Settings, threaded: ThreadedSimServer, phone: FakePhone, command: str
) -> None:
    # Through the server, a transfer cut short ends like a finished one: the server closes
    # our socket. The answer's own shape (a PNG's last chunk, the exit-status marker) tells.
    async with open_device(settings, adb.serial) as dev:
        await dev.observe()
        threaded.server.faults.cut(command, 300)
        obs = await dev.observe()
    assert obs.screenshot == phone.screencap_png()
    assert obs.ui is not None and len(obs.ui) > 1
    assert threaded.server.faults.drops == 1


async def test_long_press_passes_its_duration_and_wait_is_honoured(
    adb: Adb, settings: Settings, phone: FakePhone
) -> None:
    sleep = FakeSleep()
    dev = await connect_target(ServerTarget(adb.serial), settings, sleep=sleep)
    try:
        await dev.execute(LongPress(target=PointTarget(x=300, y=400), duration_ms=1000))
        await dev.execute(LongPress(target=PointTarget(x=30, y=40), duration_ms=2500))
        await dev.execute(Wait(seconds=2.5))
    finally:
        await dev.close()
    assert phone.swipes == [(300, 400, 300, 400, 1000), (30, 40, 30, 40, 2500)]
    assert sleep.calls == [2.5]


async def test_without_a_name_the_servers_devices_come_first(
    adb: Adb, settings: Settings, monkeypatch: pytest.MonkeyPatch, threaded: ThreadedSimServer
) -> None:
    from artemis.device import connect

    # The phone also answers directly on its port; the server holds it, so its route wins.
    monkeypatch.setattr(connect, "DEFAULT_PORTS", (threaded.port,))
    found = await discover(settings)
    assert found.server_devices is not None and found.direct == []
    async with open_device(settings) as dev:
        assert (dev.route, dev.address) == ("adb server", adb.serial)


def _port_5555_free() -> bool:
    try:
        socket.create_server(("127.0.0.1", 5555)).close()
    except OSError:
        return False
    return True


async def test_an_emulator_serial_as_adb_devices_shows_it(
    tmp_path: Path, settings: Settings, monkeypatch: pytest.MonkeyPatch, phone: FakePhone
) -> None:
    # The adb server finds emulators by their adbd on 127.0.0.1:5555, 5557, ... and names them
    # emulator-5554, ...: a phone served on 5555 is `emulator-5554` to it, as an emulator is.
    if not _port_5555_free():
        pytest.skip("127.0.0.1:5555 is taken (an emulator runs here?)")
    with ThreadedSimServer(phone, port=5555), adb_server(tmp_path, find_emulators=True) as adb:
        monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(adb.port))
        _wait_for_state(adb, "emulator-5554", "device")
        for name in ("emulator-5554", "adb:emulator-5554", "adb"):
            async with open_device(settings, name) as dev:
                assert (dev.route, dev.address) == ("adb server", "emulator-5554")
                await dev.tap(5, 5)
        found = await discover(settings)
    assert [d.serial for d in found.server_devices or ()] == ["emulator-5554"]
    assert all(t.port != 5555 for t in found.direct)  # the same phone, not listed twice
    assert phone.taps == [(5, 5)] * 3


@pytest.mark.parametrize(
    ("env", "setting", "expected"),
    [
        ({}, None, ServerAddress("127.0.0.1", 5037)),
        ({"ANDROID_ADB_SERVER_PORT": "5038"}, None, ServerAddress("127.0.0.1", 5038)),
        (
            {"ANDROID_ADB_SERVER_ADDRESS": "10.0.2.2", "ANDROID_ADB_SERVER_PORT": "5039"},
            None,
            ServerAddress("10.0.2.2", 5039),
        ),
        ({"ADB_SERVER_SOCKET": "tcp:localhost:6000"}, None, ServerAddress("127.0.0.1", 6000)),
        ({"ADB_SERVER_SOCKET": "tcp:6001"}, None, ServerAddress("127.0.0.1", 6001)),
        ({"ADB_SERVER_SOCKET": "localfilesystem:/tmp/a"}, None, ServerAddress(path="/tmp/a")),
        ({"ADB_SERVER_SOCKET": "tcp:6001"}, "host.lan:7000", ServerAddress("host.lan", 7000)),
    ],
)  # fmt: skip
def test_the_server_is_found_as_adb_finds_it(
    env: dict[str, str], setting: str | None, expected: ServerAddress
) -> None:
    assert server_address(setting, env) == expected


def test_names_pick_their_route() -> None:
    assert str(parse_target("emulator-5554")) == "adb:emulator-5554"
    assert str(parse_target("adb:127.0.0.1:5555")) == "adb:127.0.0.1:5555"
    assert str(parse_target("adb")) == "adb"
    assert str(parse_target("127.0.0.1:5555")) == "127.0.0.1:5555"
    assert str(parse_target("192.168.1.20")) == "192.168.1.20:5555"
    assert str(parse_target("[::1]:5557")) == "[::1]:5557"
    assert str(parse_target("usb")) == "usb" and str(parse_target("usb:R58M")) == "usb:R58M"
    assert str(parse_target("sim")) == "sim"
