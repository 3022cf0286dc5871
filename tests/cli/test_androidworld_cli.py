"""`artemis bench androidworld` as a user meets it: help, no android_world, no emulator."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from artemis.cli import app
from tests.bench.androidworld.conftest import STANDIN

OPTIONS = (
    "--tasks",
    "--n-task-combinations",
    "--task-random-seed",
    "--console-port",
    "--grpc-port",
    "--checkpoint-dir",
    "--model",
    "--emulators",
    "--suite-family",
    "--adb-path",
    "--emulator-setup",
)


def _artemis(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "artemis", *args],
        capture_output=True,
        text=True,
        timeout=60,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        cwd=Path(__file__).resolve().parents[2],
    )


def test_help_documents_every_option_without_android_world() -> None:
    result = CliRunner().invoke(app, ["bench", "androidworld", "--help"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    for option in OPTIONS:
        assert option in result.output
    assert "android_world" not in sys.modules


def test_without_android_world_it_says_how_to_install_and_exits_non_zero() -> None:
    result = _artemis("bench", "androidworld", "--tasks", "ContactsAddContact")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    err = result.stderr
    assert "android_world is not installed" in err
    assert "git clone https://github.com/google-research/android_world.git" in err
    assert "pip install -r requirements.txt" in err
    assert 'pip install wheel "setuptools<82"' in err
    assert "pip install --no-build-isolation ." in err


def test_without_an_emulator_it_says_so(tmp_path: Path) -> None:
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    adb = tmp_path / "adb"
    adb.write_text("")
    result = _artemis(
        "bench",
        "androidworld",
        "--console-port",
        str(port),
        "--adb-path",
        str(adb),
        "--checkpoint-dir",
        str(tmp_path / "ckpt"),
        env={"PYTHONPATH": str(STANDIN)},
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr + result.stdout
    assert f"no emulator found on console port {port}" in result.stderr
    assert "emulator -avd AndroidWorldAvd" in result.stderr


def test_bad_emulator_lists_are_refused() -> None:
    result = _artemis("bench", "androidworld", "--emulators", "5554:8554,5554:8555")
    assert result.returncode == 1 and "ports overlap" in result.stderr
