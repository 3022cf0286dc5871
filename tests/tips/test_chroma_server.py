"""ChromaTipStore against a real `chroma run` server on loopback."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import httpx
import pytest

from artemis.config import Settings
from artemis.errors import TipStoreError
from artemis.tips import TolerantTipStore
from artemis.tips.base import Tip
from tests.tips.conftest import Connect

pytestmark = pytest.mark.slow  # the server takes a few seconds to start


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    chroma = Path(sys.executable).with_name("chroma")
    if not chroma.exists():
        pytest.skip("the chroma command is not installed beside this Python")
    port = _free_port()
    proc = subprocess.Popen(
        [
            str(chroma),
            "run",
            "--path",
            str(tmp_path / "server"),
            "--host",
            "127.0.0.1",
            "--port",
            str(port),
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env={**os.environ, "ANONYMIZED_TELEMETRY": "False"},
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    try:
        while True:
            if proc.poll() is not None:
                pytest.fail(f"chroma run exited with {proc.returncode}")
            try:
                if httpx.get(f"{url}/api/v2/heartbeat", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                pytest.fail("chroma run did not answer its heartbeat within 60 s")
            time.sleep(0.1)  # polling an observable state, bounded by the deadline
        yield url, proc
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGTERM)
            try:
                proc.wait(timeout=10)
            except subprocess.TimeoutExpired:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()


async def test_two_workers_share_one_server(
    chroma_server: tuple[str, subprocess.Popen[bytes]],
    connect: Connect,
    make_settings: Callable[..., Settings],
) -> None:
    url, proc = chroma_server
    one = connect(make_settings(chroma_url=url, auto_accept=True))
    two = connect(make_settings(chroma_url=url, auto_accept=True))
    assert one.db.seed_report is not None and two.db.seed_report is None  # seeded once
    got = await two.retrieve(app="com.android.settings", task="turn on wifi", k=1)
    assert "Wi-Fi" in got[0].tip.text

    learnt = await one.propose(
        Tip(app="org.tasks", text="Tap + at the bottom right to add a task.")
    )
    assert learnt is not None
    got = await two.retrieve(app="org.tasks", task="add a task", k=1)
    assert got[0].tip.id == learnt.id

    # The server goes away mid-run: a clear error, or no tips through the tolerant wrapper.
    os.killpg(proc.pid, signal.SIGTERM)
    proc.wait(timeout=10)
    with pytest.raises(TipStoreError):
        await two.retrieve(app="com.android.settings", task="turn on wifi", k=1)
    assert await TolerantTipStore(two).retrieve(app="com.android.settings", task="wifi") == []
