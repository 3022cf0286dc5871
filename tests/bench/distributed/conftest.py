"""A real Ray cluster on this machine for the tests of this folder: a head (`ray start
--head`) and a worker node (`ray start --address`), each its own process group, started
once per test module and killed with it. Tests skip when Ray is not installed."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.conftest import REPO

#: Seconds a node may take to join: a cold start on two busy cores takes a few.
START_S = 90.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class LocalCluster:
    """The cluster: its address and the `ray start --block` process of each node."""

    address: str
    nodes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    def processes(self, title: str) -> list[int]:
        """Pids of this cluster's processes whose title starts with `title` (Ray names an
        actor's process `ray::Class` or `ray::Class.method`)."""
        groups = {p.pid for p in self.nodes if p.poll() is None}
        found = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            try:
                cmd = (entry / "cmdline").read_bytes().split(b"\0")[0].decode()
                in_group = os.getpgid(int(entry.name)) in groups
            except (OSError, UnicodeDecodeError):
                continue
            if in_group and cmd.startswith(title):
                found.append(int(entry.name))
        return found

    def kill_node(self, index: int) -> None:
        """Kill every process of node `index` at once, as a machine that goes away."""
        proc = self.nodes[index]
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.wait()


def _ray() -> Path:
    ray = Path(sys.executable).with_name("ray")
    if not ray.exists():
        pytest.skip('Ray is not installed (pip install "artemis[ray]")')
    return ray


def _start(args: list[str], temp: Path, log: str) -> subprocess.Popen[bytes]:
    # Actors may run the tests' own models, so their processes import `tests` too.
    env = {**os.environ, "RAY_USAGE_STATS_ENABLED": "0", "PYTHONPATH": str(REPO)}
    with open(temp / log, "wb") as out:
        return subprocess.Popen(
            args, stdout=out, stderr=subprocess.STDOUT, env=env, start_new_session=True
        )


def _alive_nodes(address: str) -> int:
    import ray

    return sum(1 for n in ray.nodes() if n.get("Alive"))


@pytest.fixture(scope="module")
def ray_cluster() -> Iterator[LocalCluster]:
    pytest.importorskip("ray", reason='Ray is not installed (pip install "artemis[ray]")')
    import ray

    ray_bin = _ray()
    # A short folder: Ray's socket paths live under it and must stay under 108 bytes.
    temp = Path(tempfile.mkdtemp(prefix="ray", dir="/tmp"))
    port = _free_port()
    address = f"127.0.0.1:{port}"
    common = ["--disable-usage-stats", "--block", "--object-store-memory", str(200 << 20)]
    cluster = LocalCluster(address)
    try:
        cluster.nodes.append(
            _start(
                [
                    str(ray_bin),
                    "start",
                    "--head",
                    "--port",
                    str(port),
                    "--num-cpus",
                    "4",
                    "--include-dashboard",
                    "false",
                    "--temp-dir",
                    str(temp),
                    *common,
                ],
                temp,
                "head.log",
            )
        )
        cluster.nodes.append(
            _start(
                [str(ray_bin), "start", "--address", address, "--num-cpus", "2", *common],
                temp,
                "worker.log",
            )
        )
        deadline = time.monotonic() + START_S
        while True:
            if any(p.poll() is not None for p in cluster.nodes):
                pytest.fail(f"a Ray node exited while starting; see {temp}")
            try:
                if not ray.is_initialized():
                    ray.init(address=address, logging_level="ERROR", log_to_driver=False)
                if _alive_nodes(address) == 2:
                    break
            except ConnectionError:
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"the Ray cluster did not come up within {START_S:g} s; see {temp}")
            time.sleep(0.2)  # polling an observable state, bounded by the deadline
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        for proc in reversed(cluster.nodes):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        shutil.rmtree(temp, ignore_errors=True)
