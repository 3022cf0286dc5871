"""`artemis run`: the heuristic on the simulated phone, a missing model, a garbage server."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from artemis.cli import app, main
from artemis.config import DeviceSettings
from artemis.models.fake_server import FakeChatServer, garbage, hang
from artemis.models.fake_transport import openai_specs_served_by

runner = CliRunner()


def _episode(out: Path) -> tuple[dict[str, object], list[str]]:
    [folder] = list(out.iterdir())
    episode = json.loads((folder / "episode.json").read_text(encoding="utf-8"))
    steps = (folder / "steps.jsonl").read_text(encoding="utf-8").splitlines()
    return episode, steps


def _open_fds() -> int:
    return len(os.listdir("/proc/self/fd")) if os.path.isdir("/proc/self/fd") else 0


def _device_settings(monkeypatch: pytest.MonkeyPatch) -> list[DeviceSettings]:
    """The device settings each episode of `artemis run` is given."""
    from artemis.cli import run as run_cmd

    seen: list[DeviceSettings] = []
    real = run_cmd.run_episode

    async def recorded(
        task: str, device: Any, roles: Any, tips: Any, s: Any, *a: Any, **k: Any
    ) -> Any:
        seen.append(s.device)
        return await real(task, device, roles, tips, s, *a, **k)

    monkeypatch.setattr(run_cmd, "run_episode", recorded)
    return seen


def test_heuristic_turns_on_wifi_on_the_simulated_phone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "runs"
    before = _open_fds()
    seen = _device_settings(monkeypatch)
    result = runner.invoke(
        app,
        ["run", "--device", "sim", "--model", "heuristic", "--out", str(out), "Turn on Wi-Fi"],
    )
    assert result.exit_code == 0, result.output
    # The simulated phone is polled every 10 ms, not at a real device's 0.25 s.
    [device] = seen
    assert (device.settle_interval_s, device.screenshot, device.settle_signal) == (
        0.01,
        "png",
        "ui",
    )
    # The tip store (ChromaDB, ~100 files while open), the phone and the models are closed.
    assert _open_fds() - before <= 5
    assert "heuristic (offline baseline, not an LLM)" in result.output
    assert "✓ success" in result.output and str(out) in result.output
    episode, steps = _episode(out)
    assert episode["status"] == "done" and episode["outcome"]["status"] == "success"  # type: ignore[index]
    assert len(steps) == episode["steps"]
    assert json.loads(steps[-1])["executed"]["type"] == "finish"
    # The phone starts with Wi-Fi off, so the demo really flips the switch.
    diffs = [json.loads(s).get("ui_diff") or "" for s in steps]
    assert sum('~ Switch "Wi-Fi": checked False->True' in d for d in diffs) == 1


def test_with_no_device_it_says_so_and_uses_the_simulated_phone(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from artemis.device import connect

    with socket.socket() as sock:  # a port nothing listens on once closed
        sock.bind(("127.0.0.1", 0))
        dead = int(sock.getsockname()[1])
    monkeypatch.setattr(connect, "DEFAULT_PORTS", (dead,))
    out = tmp_path / "runs"
    seen = _device_settings(monkeypatch)
    result = runner.invoke(app, ["run", "--model", "heuristic", "--out", str(out), "Turn on Wi-Fi"])
    assert result.exit_code == 0, result.output
    assert "no device found: using the simulated phone" in result.output
    assert [d.settle_interval_s for d in seen] == [0.01]
    # A device that is named and does not answer is an error, not the simulated phone.
    result = runner.invoke(
        app, ["run", "-d", f"127.0.0.1:{dead}", "-m", "heuristic", "Turn on Wi-Fi"]
    )
    assert result.exit_code == 1 and "simulated phone" not in result.output


def test_without_a_model_it_says_how_to_configure_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr(sys, "argv", ["artemis", "run", "--device", "sim", "Turn on Wi-Fi"])
    with pytest.raises(SystemExit) as exc:
        main()
    assert exc.value.code == 1
    err = capsys.readouterr().err
    assert "no model is configured" in err and "--model heuristic" in err
    assert "Traceback" not in err


def test_a_server_that_answers_garbage_ends_cleanly_and_keeps_the_trajectory(
    tmp_path: Path,
) -> None:
    out = tmp_path / "runs"
    with openai_specs_served_by(FakeChatServer(garbage())):
        env = {
            "ARTEMIS_MODELS__BASE_URL": "http://chat.test/v1",
            "OPENAI_API_KEY": "sk-test",
            "ARTEMIS_MODELS__MAX_RETRIES": "0",
        }
        result = runner.invoke(
            app,
            [
                "run",
                "-d",
                "sim",
                "-m",
                "openai:qwen2.5-vl-7b",
                "-o",
                str(out),
                "--max-steps",
                "5",
                "Turn on Wi-Fi",
            ],
            env=env,
        )
    assert result.exit_code == 1
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert "✗ step_failures" in result.output
    episode, steps = _episode(out)
    assert episode["status"] == "done"
    assert episode["outcome"]["status"] == "step_failures"  # type: ignore[index]
    assert len(steps) == 3  # agent.max_consecutive_failures
    assert all(json.loads(s)["status"] == "failed" for s in steps)
    assert episode["usage"]["by_role"]["manager"]["calls"] == 9  # type: ignore[index]


def test_ctrl_c_during_a_run_is_recorded_as_interrupted_and_exits_130(tmp_path: Path) -> None:
    out = tmp_path / "runs"
    with FakeChatServer(hang()) as server:  # the first model call never returns
        env = {
            **os.environ,
            "ARTEMIS_MODELS__BASE_URL": server.base_url,
            "OPENAI_API_KEY": "sk-test",
            "ARTEMIS_AGENT__USE_TIPS": "false",
        }
        command = [sys.executable, "-m", "artemis", "run", "-d", "sim", "-m", "openai:m"]
        proc = subprocess.Popen(
            [*command, "-o", str(out), "Turn on Wi-Fi"],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while not server.chat_requests and time.monotonic() < deadline:
                try:
                    proc.wait(timeout=0.05)  # the poll's pause; returns at once if it died
                except subprocess.TimeoutExpired:
                    continue
                break
            assert server.chat_requests, proc.communicate()
            proc.send_signal(signal.SIGINT)
            _, err = proc.communicate(timeout=30)
        finally:
            proc.kill()
    assert proc.returncode == 130, err
    assert "interrupted" in err and "Traceback" not in err
    episode, steps = _episode(out)
    assert episode["status"] == "interrupted" and steps == []
