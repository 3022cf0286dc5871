"""Stand-in for `android_world.env.env_launcher`: connect to a (fake) running emulator."""

from __future__ import annotations

import time
from pathlib import Path

from android_world import world


def _rendezvous(folder: str, count: int, me: int, deadline_s: float = 60.0) -> None:
    """Wait until `count` envs have been set up (so that several workers start together)."""
    Path(folder, f"ready.{me}").touch()
    end = time.monotonic() + deadline_s
    while len(list(Path(folder).glob("ready.*"))) < count:
        if time.monotonic() > end:
            raise RuntimeError("the other emulators never came up")
        time.sleep(0.002)


def load_and_setup_env(
    console_port: int = 5554,
    emulator_setup: bool = False,
    freeze_datetime: bool = True,
    adb_path: str = "~/Android/Sdk/platform-tools/adb",
    grpc_port: int = 8554,
) -> world.FakeEnv:
    del emulator_setup, freeze_datetime, adb_path
    script = world.scenario(console_port)
    if script.get("setup_fails"):
        raise RuntimeError(f"could not connect to the emulator on {console_port}")
    if "rendezvous" in script:
        _rendezvous(script["rendezvous"], int(script["count"]), console_port)
    return world.FakeEnv(console_port, grpc_port)
