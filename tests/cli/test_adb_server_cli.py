"""`artemis devices` and `artemis run` with devices as `adb devices` lists them: Debian's adb
server, `adb connect`ed to the simulated phone; and the direct route with no adb at all."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from artemis.sim.phone import Phone
from artemis.sim.server import ThreadedSimServer
from tests.sim.adbtool import ADB, NO_ADB, Adb, adb_connected, free_port

REPO = Path(__file__).resolve().parents[2]
# Settle by polling every 10 ms rather than 250 ms: the loop still waits for a stable screen.
FAST = {"ARTEMIS_DEVICE__SETTLE_INTERVAL_S": "0.01", "COLUMNS": "200"}


def _artemis(*args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "artemis", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=REPO,
        env={**os.environ, **FAST, **env},
        check=False,
    )


@pytest.fixture
def phone() -> Phone:
    return Phone(seed=0)


@pytest.fixture
def adb(phone: Phone, tmp_path: Path) -> Iterator[Adb]:
    if ADB is None:
        pytest.skip(NO_ADB)
    with ThreadedSimServer(phone) as srv, adb_connected(srv.address, tmp_path / "adb") as client:
        yield client


def _server_env(adb: Adb) -> dict[str, str]:
    return {"ANDROID_ADB_SERVER_PORT": str(adb.port)}


def test_devices_lists_the_serial_adb_devices_lists(adb: Adb) -> None:
    listed = adb("devices").stdout.decode().splitlines()[1]
    assert listed.split("\t") == [adb.serial, "device"]
    proc = _artemis("devices", env=_server_env(adb))
    assert proc.returncode == 0, proc.stderr
    [row] = [line.split() for line in proc.stdout.splitlines() if line.startswith(adb.serial)]
    assert row == [adb.serial, "adb", "server", "device", "Pixel", "6", "13", "33", "1080x2400"]


def test_run_through_the_adb_server_turns_on_wifi(adb: Adb, phone: Phone, tmp_path: Path) -> None:
    assert phone.state.settings.wifi is False
    proc = _artemis(
        "run", "--device", f"adb:{adb.serial}", "--model", "heuristic",
        "--out", str(tmp_path / "runs"), "Turn on Wi-Fi",
        env=_server_env(adb),
    )  # fmt: skip
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert f"device: {adb.serial} (adb server)" in proc.stdout
    assert "✓ success" in proc.stdout
    assert phone.state.settings.wifi is True


def test_an_unknown_serial_is_one_line_naming_the_devices(adb: Adb) -> None:
    proc = _artemis(
        "run", "--device", "emulator-5584", "-m", "heuristic", "x", env=_server_env(adb)
    )
    assert proc.returncode == 1 and "Traceback" not in proc.stderr
    assert proc.stderr.splitlines() == [
        f"error: no device 'emulator-5584' on the adb server at 127.0.0.1:{adb.port}; "
        f"its devices: {adb.serial} (device)"
    ]


def test_the_direct_route_needs_no_server_and_no_binary(phone: Phone, tmp_path: Path) -> None:
    bare = tmp_path / "bin"  # a PATH with python and nothing else: no adb anywhere
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    env = {"PATH": str(bare), "ANDROID_ADB_SERVER_PORT": str(free_port())}
    with ThreadedSimServer(phone) as srv:
        listed = _artemis("devices", srv.address, env=env)
        run = _artemis(
            "run", "--device", srv.address, "-m", "heuristic", "--out", str(tmp_path / "runs"),
            "Turn on Wi-Fi", env=env,
        )  # fmt: skip
    assert listed.returncode == 0, listed.stderr
    rows = [line.split()[:3] for line in listed.stdout.splitlines()]
    assert [srv.address, "direct", "device"] in rows
    assert run.returncode == 0, run.stdout + run.stderr
    assert f"device: {srv.address} (direct)" in run.stdout
