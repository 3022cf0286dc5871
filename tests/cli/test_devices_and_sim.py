"""`artemis devices` and `artemis sim serve`, run as a user runs them (a subprocess)."""

from __future__ import annotations

import asyncio
import importlib.util
import os
import subprocess
import sys
from pathlib import Path

import pytest
from adb_shell.adb_device import AdbDeviceTcp

from artemis.cli.sim import read_keys, serve
from artemis.errors import ConfigError
from artemis.sim.server import SimServer, ThreadedSimServer
from tests.sim.fake_phone import FakePhone
from tests.sim.rawclient import RawClient

REPO = Path(__file__).resolve().parents[2]


def _artemis(*args: str, timeout: float = 60) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "artemis", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=REPO,
        env={**os.environ, "COLUMNS": "200"},
        check=False,
    )


async def _dead_port() -> int:
    srv = SimServer(FakePhone())
    await srv.start()
    port = srv.port
    await srv.stop()
    return port


def test_devices_lists_a_live_device_with_model_version_and_size() -> None:
    with ThreadedSimServer(FakePhone()) as srv:
        proc = _artemis("devices", srv.address)
    assert proc.returncode == 0, proc.stderr
    assert srv.address in proc.stdout
    assert "sdk_gphone64_x86_64" in proc.stdout and "1080x2400" in proc.stdout
    assert " 13 " in proc.stdout and " 33 " in proc.stdout


def test_devices_dead_address_is_one_line_and_a_nonzero_exit() -> None:
    port = asyncio.run(_dead_port())
    with ThreadedSimServer(FakePhone()) as srv:
        proc = _artemis("devices", srv.address, f"127.0.0.1:{port}", "bad:address")
    assert proc.returncode == 1
    assert "Traceback" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert lines == [
        f"error: cannot connect to 127.0.0.1:{port}: connection refused (nothing listens there)",
        "error: device address 'bad:address' has a bad port (expected HOST:PORT)",
    ]
    assert srv.address in proc.stdout  # the live one is still listed


async def test_serve_answers_until_cancelled(phone: FakePhone) -> None:
    ready: asyncio.Queue[SimServer] = asyncio.Queue()
    task = asyncio.create_task(serve(phone, "127.0.0.1", 0, on_ready=ready.put_nowait))
    server = await asyncio.wait_for(ready.get(), 10)
    client = await RawClient.connect(server.port)
    assert await client.run("shell:echo served") == b"served\n"
    await client.close()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    with pytest.raises(OSError):
        await RawClient.connect(server.port)


async def test_serve_marks_secure_apps(phone: FakePhone) -> None:
    ready: asyncio.Queue[SimServer] = asyncio.Queue()
    task = asyncio.create_task(
        serve(phone, "127.0.0.1", 0, secure=["com.android.launcher3"], on_ready=ready.put_nowait)
    )
    server = await asyncio.wait_for(ready.get(), 10)
    client = await RawClient.connect(server.port)
    png = await client.run("exec:screencap -p")
    await client.close()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert server.ctx.windows.is_secure("com.android.launcher3")
    assert png != phone.screencap_png() and png.startswith(b"\x89PNG")


async def test_serve_reports_a_busy_port(phone: FakePhone) -> None:
    async with SimServer(FakePhone()) as busy:
        with pytest.raises(ConfigError, match=f"cannot listen on 127.0.0.1:{busy.port}"):
            await serve(phone, "127.0.0.1", busy.port)


def test_read_keys(tmp_path: Path) -> None:
    path = tmp_path / "adb_keys"
    path.write_text("# accepted\nQUFB user@host\n\nQkJC other@host\n")
    assert read_keys(path) == ["QUFB user@host", "QkJC other@host"]
    with pytest.raises(ConfigError, match="cannot read"):
        read_keys(tmp_path / "missing")


@pytest.mark.skipif(
    importlib.util.find_spec("artemis.sim.phone") is None,
    reason="the simulated phone (artemis.sim.phone) is not in this tree yet",
)
def test_sim_serve_command_serves_the_phone() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "artemis", "sim", "serve", "--port", "0", "--seed", "3"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        cwd=REPO,
    )
    try:
        assert proc.stdout is not None
        line = proc.stdout.readline()
        address = line.split("listening on ", 1)[1].split(";", 1)[0]
        host, port = address.rsplit(":", 1)
        dev = AdbDeviceTcp(host, int(port), default_transport_timeout_s=10)
        assert dev.connect(read_timeout_s=10)
        assert dev.shell("getprop sys.boot_completed") == "1\n"
        png = dev.exec_out("screencap -p", decode=False)
        assert png.startswith(b"\x89PNG")
        dev.close()
    finally:
        proc.terminate()
        proc.wait(10)


@pytest.fixture
def phone() -> FakePhone:
    return FakePhone()
