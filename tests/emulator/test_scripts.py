"""The emulator scripts: valid bash, and the dry run prints what they would run."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

EMULATOR = Path(__file__).resolve().parents[2] / "emulator"
SCRIPTS = sorted(EMULATOR.glob("*.sh"))


def _run(script: str, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("ANDROID_SDK_ROOT", "ANDROID_HOME")}
    env["PATH"] = "/usr/bin:/bin"
    return subprocess.run(
        ["bash", str(EMULATOR / script), *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=30,
        check=False,
    )


def test_there_are_scripts() -> None:
    assert {p.name for p in SCRIPTS} >= {"create_avd.sh", "start.sh", "stop.sh", "common.sh"}


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_bash_syntax(script: Path) -> None:
    proc = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, check=False)
    assert proc.returncode == 0, proc.stderr


def test_create_avd_dry_run() -> None:
    proc = _run("create_avd.sh", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("+ ") and "platforms\\;android-33" in lines[0]
    assert "google_apis" in lines[0]
    assert "create avd --force --name AndroidWorldAvd" in lines[1]
    assert "--device pixel_6" in lines[1]


def test_start_one_emulator_as_android_world_expects() -> None:
    proc = _run("start.sh", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    first = proc.stdout.splitlines()[0]
    assert first.endswith("-avd AndroidWorldAvd -no-snapshot -port 5554 -grpc 8554")
    assert "artemis addresses (adb ports): 127.0.0.1:5555" in proc.stdout
    assert "sys.boot_completed" in proc.stdout


def test_start_many_emulators_on_distinct_ports() -> None:
    proc = _run("start.sh", "--count", "3", "--headless", "--dry-run")
    assert proc.returncode == 0, proc.stderr
    starts = [ln for ln in proc.stdout.splitlines() if " -avd " in ln]
    assert len(starts) == 3
    for i, line in enumerate(starts):
        assert f"-port {5554 + 2 * i} -grpc {8554 + i} -read-only -no-window" in line
    assert "127.0.0.1:5555 127.0.0.1:5557 127.0.0.1:5559" in proc.stdout
    waits = [ln for ln in proc.stdout.splitlines() if "wait-for-device" in ln]
    assert [w.split()[3] for w in waits] == ["emulator-5554", "emulator-5556", "emulator-5558"]


def test_bad_options_fail_cleanly() -> None:
    assert _run("start.sh", "--count", "zero", "--dry-run").returncode == 2
    assert _run("start.sh", "--bogus").returncode == 2


def test_stop_dry_run() -> None:
    proc = _run("stop.sh", "--count", "2", "--dry-run")
    assert proc.returncode == 0
    assert "emulator-5554 emu kill" in proc.stdout and "emulator-5556 emu kill" in proc.stdout
