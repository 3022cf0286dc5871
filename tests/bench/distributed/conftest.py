"""A real Ray cluster on this machine for the tests of this folder: a head (`ray start
--head`) and a worker node (`ray start --address`), each its own process group, started
once for the whole test run (a cold start costs seconds) and killed with it. Tests skip
when Ray is not installed."""

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

from tests.bench.androidworld.conftest import (  # noqa: F401  (their fixtures, used here too)
    STANDIN,
    android_world,
    listeners,
)
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
    temp: Path
    nodes: list[subprocess.Popen[bytes]] = field(default_factory=list)

    @property
    def scenario(self) -> Path:
        """The stand-in emulators' scenario file, which every node's actors read (JSON; see
        tests/bench/androidworld/standin/android_world/world.py)."""
        return self.temp / "scenario.json"

    def add_node(self, cpus: int = 2) -> int:
        """Start one more worker node and wait until it has joined; its index."""
        self.nodes.append(
            _start(
                [
                    str(_ray()),
                    "start",
                    "--address",
                    self.address,
                    "--num-cpus",
                    str(cpus),
                    *_COMMON,
                ],
                self.temp,
                f"worker{len(self.nodes)}.log",
            )
        )
        _wait_for_nodes(self, sum(p.poll() is None for p in self.nodes))
        return len(self.nodes) - 1

    def processes(self, title: str, node: int | None = None) -> list[int]:
        """Pids of this cluster's processes (of node `node`, or any) whose title starts with
        `title` (Ray names an actor's process `ray::Class` or `ray::Class.method`)."""
        chosen = self.nodes if node is None else [self.nodes[node]]
        groups = {p.pid for p in chosen if p.poll() is None}
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
    # Actors may run the tests' own models, so their processes import `tests` too, and the
    # android_world stand-in.
    env = {
        **os.environ,
        "RAY_USAGE_STATS_ENABLED": "0",
        "PYTHONPATH": os.pathsep.join([str(REPO), str(STANDIN)]),
        "ANDROID_WORLD_STANDIN_SCENARIO": str(temp / "scenario.json"),
    }
    with open(temp / log, "wb") as out:
        return subprocess.Popen(
            args,
            stdout=out,
            stderr=subprocess.STDOUT,
            env=env,
            start_new_session=True,
            preexec_fn=_end_with_parent,
        )


def _end_with_parent() -> None:
    """In the child: SIGTERM when the test process dies, however it dies (`ray start
    --block` then stops its node), so no cluster outlives a crashed test run."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


_COMMON = ["--disable-usage-stats", "--block", "--object-store-memory", str(200 << 20)]


def _wait_for_nodes(cluster: LocalCluster, count: int) -> None:
    """Connect this process to the cluster and wait until `count` nodes are alive."""
    import ray

    deadline = time.monotonic() + START_S
    while True:
        if any(p.poll() is not None for p in cluster.nodes):
            pytest.fail(f"a Ray node exited while starting; see {cluster.temp}")
        try:
            if not ray.is_initialized():
                ray.init(address=cluster.address, logging_level="ERROR", log_to_driver=False)
            if sum(1 for n in ray.nodes() if n.get("Alive")) == count:
                return
        except ConnectionError:
            pass
        if time.monotonic() > deadline:
            pytest.fail(f"the Ray cluster did not reach {count} nodes in {START_S:g} s")
        time.sleep(0.2)  # polling an observable state, bounded by the deadline


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[LocalCluster]:
    pytest.importorskip("ray", reason='Ray is not installed (pip install "artemis[ray]")')
    import ray

    ray_bin = _ray()
    # A short folder: Ray's socket paths live under it and must stay under 108 bytes.
    temp = Path(tempfile.mkdtemp(prefix="ray", dir="/tmp"))
    port = _free_port()
    cluster = LocalCluster(f"127.0.0.1:{port}", temp)
    cluster.scenario.write_text("{}")
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
                    *_COMMON,
                ],
                temp,
                "head.log",
            )
        )
        # The driver (this process) joins while the head is the only node, so it attaches to
        # the head's raylet: a driver whose node dies dies with it, and the tests kill
        # worker nodes.
        _wait_for_nodes(cluster, 1)
        cluster.add_node()
        yield cluster
    finally:
        if ray.is_initialized():
            ray.shutdown()
        for proc in reversed(cluster.nodes):
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
                proc.wait()
        shutil.rmtree(temp, ignore_errors=True)
