"""How fast the simulated phone answers: screenshots, UI dumps and input commands, measured
side by side in one run through `AdbDevice` directly (adb-shell), through `AdbDevice` by way of
Debian's adb server (artemis's host-protocol client), and through Debian's `adb` binary.

    python benchmarks/sim_speed.py [--phone real|fake] [-n 20]

The server runs on a background thread with its own event loop, as it would in another
process; each figure is the median (and 90th percentile) of n calls after one warm-up call.
Except for "same screen", an untimed input changes the screen before each timed call, so the
phone renders a new frame for it.
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from artemis.config import Settings  # noqa: E402
from artemis.device.adb import AdbDevice  # noqa: E402
from artemis.device.connect import connect_adb, connect_target  # noqa: E402
from artemis.device.targets import ServerTarget  # noqa: E402
from artemis.sim.contract import PhoneLike  # noqa: E402
from artemis.sim.server import ThreadedSimServer  # noqa: E402

#: What a real emulator takes, as reported (seconds): for the "vs emulator" column.
EMULATOR = {"screenshot": (0.3, 0.5), "ui dump": (1.0, 4.0), "input": (0.3, 0.4)}


def make_phone(kind: str) -> tuple[PhoneLike, str]:
    if kind == "real" or (kind == "auto" and importlib.util.find_spec("artemis.sim.phone")):
        from artemis.sim.phone import Phone  # type: ignore[import-not-found,unused-ignore]

        return Phone(seed=0), "artemis.sim.phone.Phone"
    from tests.sim.fake_phone import FakePhone

    return FakePhone(), "tests.sim.fake_phone.FakePhone (solid colour, 4-node tree)"


def stats(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return statistics.median(ordered), p90


async def time_async(
    fn: Callable[[], Awaitable[object]],
    n: int,
    before: Callable[[], Awaitable[object]] | None = None,
) -> list[float]:
    """Times of n calls of `fn` after a warm-up; `before` runs untimed ahead of each call."""
    await fn()
    out = []
    for _ in range(n):
        if before is not None:
            await before()
        start = time.perf_counter()
        await fn()
        out.append(time.perf_counter() - start)
    return out


def time_sync(
    fn: Callable[[], object], n: int, before: Callable[[], object] | None = None
) -> list[float]:
    fn()
    out = []
    for _ in range(n):
        if before is not None:
            before()
        start = time.perf_counter()
        fn()
        out.append(time.perf_counter() - start)
    return out


#: An input that changes the screen (recents on, recents off), so the next capture renders.
TOGGLE = "input keyevent 187"


async def measure_adbdevice(
    address: str, n: int, adb_server: str | None = None
) -> dict[str, list[float]]:
    """`AdbDevice` directly, or through the adb server at `adb_server` (HOST:PORT)."""
    with tempfile.TemporaryDirectory() as tmp:
        settings = Settings.model_validate({"data_dir": tmp, "device": {"adb_server": adb_server}})
        dev: AdbDevice = await (
            connect_adb(address, settings, authenticate=False)
            if adb_server is None
            else connect_target(ServerTarget(address), settings)
        )
        try:

            async def toggle() -> None:
                await dev.shell(TOGGLE)

            results = {
                "screenshot, same screen (screencap -p)": await time_async(dev._screenshot_png, n),
                "screenshot (screencap -p)": await time_async(dev._screenshot_png, n, toggle),
                "screenshot (raw + PNG on host)": await time_async(dev._screenshot_raw, n, toggle),
                "ui dump": await time_async(dev.ui_tree, n, toggle),
                "input (tap)": await time_async(lambda: dev.tap(10, 10), n),
            }
            dev.screenshot_method = "png"
            results["observe (png, tree, app)"] = await time_async(dev.observe, n, toggle)
        finally:
            await dev.close()
    return results


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def measure_through_server(
    address: str, n: int
) -> tuple[dict[str, list[float]], dict[str, list[float]]] | None:
    """With a private adb server connected to the phone: `AdbDevice` through the server, then
    the `adb` binary. None without Debian's adb."""
    adb = shutil.which("adb")
    if adb is None:
        return None
    with tempfile.TemporaryDirectory() as home:
        port = _free_port()
        env = {**os.environ, "HOME": home, "ANDROID_ADB_SERVER_PORT": str(port)}

        def run(*args: str) -> bytes:
            return subprocess.run(
                [adb, *args], env=env, capture_output=True, check=True, timeout=60
            ).stdout

        try:
            run("connect", address)
            ours = asyncio.run(measure_adbdevice(address, n, adb_server=f"127.0.0.1:{port}"))
            s = ("-s", address)
            toggle = lambda: run(*s, "shell", TOGGLE)  # noqa: E731
            dump = "uiautomator dump /sdcard/window_dump.xml && cat /sdcard/window_dump.xml"
            theirs = {
                "screenshot, same screen (screencap -p)": time_sync(
                    lambda: run(*s, "exec-out", "screencap", "-p"), n
                ),
                "screenshot (screencap -p)": time_sync(
                    lambda: run(*s, "exec-out", "screencap", "-p"), n, toggle
                ),
                "ui dump": time_sync(lambda: run(*s, "shell", dump), n, toggle),
                "input (tap)": time_sync(lambda: run(*s, "shell", "input", "tap", "10", "10"), n),
            }
            return ours, theirs
        finally:
            subprocess.run([adb, "kill-server"], env=env, capture_output=True, timeout=30)


def ms(value: float) -> str:
    return f"{value * 1000:.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--phone", choices=("auto", "real", "fake"), default="auto")
    parser.add_argument("-n", type=int, default=20, help="timed calls per figure")
    args = parser.parse_args()

    phone, label = make_phone(args.phone)
    with ThreadedSimServer(phone) as srv:
        ours = asyncio.run(measure_adbdevice(srv.address, args.n))
        both = measure_through_server(srv.address, args.n)
    server, theirs = both if both is not None else ({}, {})

    print(f"phone: {label}; n = {args.n}; Python {sys.version.split()[0]}; {os.cpu_count()} CPUs")
    print()
    print(
        "| operation | AdbDevice direct, median / p90 (ms) | AdbDevice via adb server "
        "| adb binary | server / direct | adb / direct | emulator (reported) / direct |"
    )
    print("|---|---|---|---|---|---|---|")
    for name, samples in ours.items():
        med, p90 = stats(samples)
        cells = []
        for other in (server.get(name), theirs.get(name)):
            if other:
                omed, op90 = stats(other)
                cells.append((f"{ms(omed)} / {ms(op90)}", f"{omed / med:.1f}x"))
            else:
                cells.append(("-", "-"))
        kind = next((k for k in EMULATOR if name.startswith(k)), None)
        if kind and not name.startswith("observe"):
            lo, hi = EMULATOR[kind]
            emu = f"{lo / med:.0f}-{hi / med:.0f}x"
        else:
            emu = "-"
        (srv_cell, srv_ratio), (bin_cell, bin_ratio) = cells
        print(
            f"| {name} | {ms(med)} / {ms(p90)} | {srv_cell} | {bin_cell} | {srv_ratio} "
            f"| {bin_ratio} | {emu} |"
        )
    png, _ = stats(ours["screenshot (screencap -p)"])
    raw, _ = stats(ours["screenshot (raw + PNG on host)"])
    print()
    faster = "screencap -p" if png <= raw else "raw"
    print(f"raw / png screenshot time, direct: {raw / png:.2f} (the faster here: {faster})")
    if both is None:
        print("(no adb binary found: install Debian's adb for the adb server and binary columns)")


if __name__ == "__main__":
    main()
