from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.connect import connect_adb
from artemis.sim.server import SimServer
from tests.sim.conftest import FakeSleep
from tests.sim.fake_phone import FakePhone


@pytest.fixture
def phone() -> FakePhone:
    return FakePhone()


@pytest.fixture
def fake_sleep() -> FakeSleep:
    return FakeSleep()


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    return Settings.model_validate(
        {
            "data_dir": tmp_path,
            "device": {"connect_timeout_s": 5, "command_timeout_s": 5, "reconnect_attempts": 2},
        }
    )


@pytest.fixture
async def server(phone: FakePhone) -> AsyncIterator[SimServer]:
    async with SimServer(phone) as srv:
        yield srv


@pytest.fixture
async def device(
    server: SimServer, settings: Settings, fake_sleep: FakeSleep
) -> AsyncIterator[AdbDevice]:
    dev = await connect_adb(server.address, settings, sleep=fake_sleep, authenticate=False)
    try:
        yield dev
    finally:
        await dev.close()
