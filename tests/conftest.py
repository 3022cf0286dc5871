"""Test-wide fixtures: every test runs with its own HOME and XDG folders, so nothing reads
or writes the developer's real settings, keys or tip store."""

from __future__ import annotations

import socket
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent


def _find_shared() -> Path | None:
    """The `shared/` folder that sits beside the checkout (or beside its worktree parent)."""
    for base in (REPO.parent, REPO.parent.parent):
        if (base / "shared" / "DESIGN.md").is_file():
            return base / "shared"
    return None


SHARED = _find_shared()
SCREENSPOT_DATA = SHARED / "data" / "screenspot" if SHARED else None


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Path]:
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    for var in ("XDG_DATA_HOME", "XDG_CONFIG_HOME", "XDG_CACHE_HOME"):
        monkeypatch.setenv(var, str(home / var.lower()))
    for var in ("ARTEMIS_CONFIG", "OPENAI_API_KEY", "OPENAI_BASE_URL"):
        monkeypatch.delenv(var, raising=False)
    # An adb server of the developer's must not be found: point adb's variables at a port
    # nothing listens on (tests that run a server of their own set their own).
    for var in ("ADB_SERVER_SOCKET", "ANDROID_ADB_SERVER_ADDRESS"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("ANDROID_ADB_SERVER_PORT", str(_unused_port()))
    yield home


def _unused_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(autouse=True)
def _no_real_model_calls(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail any test that reaches a real model, unless it is marked `real_model`."""
    from artemis.models import guard

    allowed = request.node.get_closest_marker("real_model") is not None
    monkeypatch.setattr(guard, "ALLOW_REAL_MODEL_CALLS", allowed)
