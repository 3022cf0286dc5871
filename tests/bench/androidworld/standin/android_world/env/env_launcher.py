"""Stand-in for `android_world.env.env_launcher`: connect to a (fake) running emulator."""

from __future__ import annotations

from android_world import world


def load_and_setup_env(
    console_port: int = 5554,
    emulator_setup: bool = False,
    freeze_datetime: bool = True,
    adb_path: str = "~/Android/Sdk/platform-tools/adb",
    grpc_port: int = 8554,
) -> world.FakeEnv:
    del emulator_setup, freeze_datetime, adb_path
    if world.scenario(console_port).get("setup_fails"):
        raise RuntimeError(f"could not connect to the emulator on {console_port}")
    return world.FakeEnv(console_port, grpc_port)
