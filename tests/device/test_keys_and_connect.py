"""Keys, authentication against a device that requires it, and `open_device`."""

from __future__ import annotations

import asyncio
import inspect
import shutil
from pathlib import Path

import pytest

from artemis.config import Settings
from artemis.device.connect import (
    DEFAULT_PORTS,
    SIM_SETTLE_INTERVAL_S,
    connect_adb,
    for_sim,
    open_device,
    open_sim,
    parse_address,
)
from artemis.device.connection import AdbConnection
from artemis.device.keys import key_path, load_signer
from artemis.errors import ConfigError, DeviceConnectionError, NoDeviceError
from artemis.sim.server import SimServer
from tests.sim.fake_phone import FakePhone


async def test_key_is_created_under_the_data_dir_on_first_use(settings: Settings) -> None:
    assert key_path(settings) == settings.data_dir / "adbkey"
    signer = await load_signer(settings)
    assert (settings.data_dir / "adbkey").is_file()
    assert (settings.data_dir / "adbkey.pub").is_file()
    again = await load_signer(settings)
    assert again.GetPublicKey() == signer.GetPublicKey()


async def test_connections_that_start_together_make_one_whole_key(settings: Settings) -> None:
    # `artemis devices` opens every port at once: the first use must not be read half-written.
    signers = await asyncio.gather(*(load_signer(settings) for _ in range(16)))
    assert len({s.GetPublicKey() for s in signers}) == 1
    assert [p.name for p in settings.data_dir.iterdir()] in (
        ["adbkey", "adbkey.pub"],
        ["adbkey.pub", "adbkey"],
    )


async def test_the_real_adb_key_is_used_when_present(settings: Settings) -> None:
    made = await load_signer(settings)  # a key in the data dir
    android = Path.home() / ".android"
    android.mkdir()
    shutil.copy(settings.data_dir / "adbkey", android / "adbkey")  # no .pub beside it
    assert key_path(settings) == android / "adbkey"
    signer = await load_signer(settings)
    assert signer.GetPublicKey().split()[0] == made.GetPublicKey().split()[0]
    assert not (android / "adbkey.pub").exists()  # derived, never written there


async def test_a_device_requiring_auth_accepts_our_key_and_refuses_others(
    settings: Settings, phone: FakePhone, tmp_path: Path
) -> None:
    signer = await load_signer(settings)
    async with SimServer(phone, auth_keys=[signer.GetPublicKey()]) as srv:
        dev = await connect_adb(srv.address, settings)
        assert (await dev.shell("echo ok")).text == "ok\n"
        await dev.close()
        other = Settings.model_validate(
            {"data_dir": tmp_path / "other", "device": {"connect_timeout_s": 0.5}}
        )
        with pytest.raises(DeviceConnectionError, match="handshake"):
            await connect_adb(srv.address, other)


async def test_a_peer_that_vanishes_does_not_spin_until_the_read_timeout(
    phone: FakePhone,
) -> None:
    async with SimServer(phone) as srv:
        conn = AdbConnection("127.0.0.1", srv.port, None, command_timeout_s=30)
        await conn.connect()
        srv.faults.drop_after(0)
        # adb-shell alone would busy-loop for the whole read timeout (35 s) here.
        async with asyncio.timeout(10):
            assert (await conn.shell("echo back")).text == "back\n"
        assert conn.connects == 2
        await conn.close()


async def test_refused_port_is_a_one_line_connection_error(settings: Settings) -> None:
    srv = SimServer(FakePhone())
    await srv.start()
    port = srv.port
    await srv.stop()
    with pytest.raises(DeviceConnectionError, match=f"cannot connect to 127.0.0.1:{port}"):
        await connect_adb(f"127.0.0.1:{port}", settings, authenticate=False)


@pytest.mark.parametrize(
    ("text", "parsed"),
    [
        ("127.0.0.1:5557", ("127.0.0.1", 5557)),
        ("emu", ("emu", 5555)),
        ("[::1]:6000", ("::1", 6000)),
    ],
)
def test_parse_address(text: str, parsed: tuple[str, int]) -> None:
    assert parse_address(text) == parsed


@pytest.mark.parametrize("bad", [":5555", "host:port", "host:70000", ""])
def test_bad_addresses(bad: str) -> None:
    with pytest.raises(ConfigError):
        parse_address(bad)


async def test_open_device_by_address(settings: Settings, phone: FakePhone) -> None:
    async with SimServer(phone) as srv, open_device(settings, srv.address) as dev:
        assert (await dev.current_app()).package == "com.android.launcher3"


async def test_open_device_sim_serves_a_phone_in_process(settings: Settings) -> None:
    phone = FakePhone()
    async with open_device(settings, "sim", phone=phone) as dev:
        await dev.tap(3, 4)
        assert not hasattr(dev, "sim")  # a device does not know it drives a simulator
    assert phone.taps == [(3, 4)]
    async with open_sim(settings, phone=phone) as sim:
        await sim.device.tap(5, 6)
        assert sim.server.phone is phone
    assert phone.taps == [(3, 4), (5, 6)]
    assert not (settings.data_dir / "adbkey").exists()  # no key needed for the sim


async def test_open_device_from_settings_address(settings: Settings, phone: FakePhone) -> None:
    async with SimServer(phone) as srv:
        settings.device.address = srv.address
        async with open_device(settings) as dev:
            await dev.tap(1, 2)
    assert phone.taps == [(1, 2)]


async def test_open_device_without_an_address_scans_then_falls_back_only_when_asked(
    settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    from artemis.device import connect

    async with SimServer(FakePhone()) as dead:
        port = dead.port
    monkeypatch.setattr(connect, "DEFAULT_PORTS", (port,))
    with pytest.raises(
        NoDeviceError,  # what `artemis run` falls back on; a named device's failure is not one
        match=r"no device found: no adb server answers at .*, and nothing answered",
    ):
        async with open_device(settings):
            pass
    phone = FakePhone()
    async with open_device(settings, fallback_to_sim=True, phone=phone) as dev:
        await dev.tap(9, 9)
    assert phone.taps == [(9, 9)]
    assert DEFAULT_PORTS[:3] == (5555, 5557, 5559) and DEFAULT_PORTS[-1] == 5585


def test_the_device_module_knows_nothing_of_the_simulator() -> None:
    import artemis.device.adb as adb

    source = inspect.getsource(adb)
    assert "artemis.sim" not in source and "SimServer" not in source


def test_settings_for_the_simulated_phone_poll_fast_and_keep_what_was_chosen() -> None:
    tuned = for_sim(Settings()).device
    assert tuned.settle_interval_s == SIM_SETTLE_INTERVAL_S
    assert (tuned.screenshot, tuned.settle_signal) == ("png", "ui")
    chosen = Settings.model_validate(
        {"device": {"settle_interval_s": 0.005, "screenshot": "raw", "settle_signal": "frame"}}
    )
    kept = for_sim(chosen).device
    assert (kept.settle_interval_s, kept.screenshot, kept.settle_signal) == (0.005, "raw", "frame")
    assert chosen.device.settle_interval_s == 0.005 and Settings().device.settle_interval_s == 0.25
