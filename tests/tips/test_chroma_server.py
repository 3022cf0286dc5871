"""ChromaTipStore against a real `chroma run` server on loopback."""

from __future__ import annotations

import os
import signal
import subprocess
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from artemis.config import Settings
from artemis.errors import TipStoreError
from artemis.tips import TolerantTipStore
from artemis.tips.base import Tip
from tests.chroma_server import chroma_server as run_chroma_server
from tests.tips.conftest import Connect

pytestmark = pytest.mark.slow  # the server takes a few seconds to start


@pytest.fixture
def chroma_server(tmp_path: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    with run_chroma_server(tmp_path / "server") as server:
        yield server


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
