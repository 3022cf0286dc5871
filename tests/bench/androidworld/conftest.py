"""Fixtures for the AndroidWorld tests: the android_world stand-in, fake emulator ports."""

from __future__ import annotations

import socket
import sys
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType

import pytest

STANDIN = Path(__file__).resolve().parent / "standin"


def _forget_android_world() -> None:
    for name in [m for m in sys.modules if m == "android_world" or m.startswith("android_world.")]:
        del sys.modules[name]


@pytest.fixture
def android_world(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The stand-in, importable as `android_world` here and in spawned worker processes."""
    _forget_android_world()
    monkeypatch.syspath_prepend(str(STANDIN))
    from android_world import world

    world.SCENARIO.clear()
    world.ON_DIE.clear()
    world.ENVS.clear()
    yield world
    _forget_android_world()


class Listener:
    """A TCP listener standing for an emulator's console or gRPC port."""

    def __init__(self) -> None:
        self.sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self.sock.bind(("127.0.0.1", 0))
        self.sock.listen(16)
        self.port: int = self.sock.getsockname()[1]

    def close(self) -> None:
        self.sock.close()


@pytest.fixture
def listeners() -> Iterator[list[Listener]]:
    """Make listeners with `listeners.append(Listener())`; all are closed afterwards."""
    made: list[Listener] = []
    yield made
    for listener in made:
        listener.close()
