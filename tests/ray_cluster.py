"""A real Ray cluster on this machine: a head (`ray start --head`) and worker nodes (`ray
start --address`), each in its own process group, all on loopback. For the tests on Ray and
the Ray benchmark; `local_cluster()` starts one and kills it on exit (and the nodes stop by
themselves when the process that started them dies)."""

from __future__ import annotations

import contextlib
import logging
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

REPO = Path(__file__).resolve().parent.parent
#: The android_world stand-in, importable by the actors (tests/bench/androidworld/standin).
STANDIN = REPO / "tests" / "bench" / "androidworld" / "standin"
#: Seconds a node may take to join: a cold start on two busy cores takes a few.
START_S = 90.0
_COMMON = ["--disable-usage-stats", "--block", "--object-store-memory", str(200 << 20)]


class ClusterError(RuntimeError):
    """The cluster could not be started."""


def ray_command() -> Path | None:
    """The `ray` command beside this Python, if Ray is installed."""
    ray = Path(sys.executable).with_name("ray")
    return ray if ray.exists() else None


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

    def start_node(self, args: list[str], log: str) -> None:
        ray = ray_command()
        assert ray is not None
        # Actors may run the tests' own models, so their processes import `tests` too, and
        # the android_world stand-in.
        env = {
            **os.environ,
            "RAY_USAGE_STATS_ENABLED": "0",
            "PYTHONPATH": os.pathsep.join([str(REPO), str(STANDIN)]),
            "ANDROID_WORLD_STANDIN_SCENARIO": str(self.scenario),
        }
        with open(self.temp / log, "wb") as out:
            self.nodes.append(
                subprocess.Popen(
                    [str(ray), "start", *args, *_COMMON],
                    stdout=out,
                    stderr=subprocess.STDOUT,
                    env=env,
                    start_new_session=True,
                    preexec_fn=_end_with_parent,
                )
            )

    def add_node(self, cpus: int = 2) -> int:
        """Start one more worker node and wait until it has joined; its index."""
        self.start_node(
            ["--address", self.address, "--num-cpus", str(cpus)], f"node{len(self.nodes)}.log"
        )
        self.wait_for_nodes(sum(p.poll() is None for p in self.nodes))
        return len(self.nodes) - 1

    def wait_for_nodes(self, count: int) -> None:
        """Connect this process to the cluster and wait until `count` nodes are alive."""
        import ray

        deadline = time.monotonic() + START_S
        while True:
            if any(p.poll() is not None for p in self.nodes):
                raise ClusterError(f"a Ray node exited while starting; see {self.temp}")
            try:
                if not ray.is_initialized():
                    ray.init(address=self.address, logging_level=logging.ERROR, log_to_driver=False)
                if sum(1 for n in ray.nodes() if n.get("Alive")) == count:
                    return
            except ConnectionError:
                pass
            if time.monotonic() > deadline:
                raise ClusterError(f"the Ray cluster did not reach {count} nodes in {START_S:g} s")
            time.sleep(0.2)  # polling an observable state, bounded by the deadline

    def processes(self, title: str, node: int | None = None) -> list[int]:
        """Pids of this cluster's processes (of node `node`, or any) whose title starts with
        `title` (Ray names an actor's process `ray::Class` or `ray::Class.method`)."""
        chosen = self.nodes if node is None else [self.nodes[node]]
        found = []
        for pid in _family({p.pid for p in chosen if p.poll() is None}):
            try:
                cmd = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")[0].decode()
            except (OSError, UnicodeDecodeError):
                continue
            if cmd.startswith(title):
                found.append(pid)
        return found

    def kill_node(self, index: int) -> None:
        """Kill every process of node `index` at once, as a machine that goes away."""
        proc = self.nodes[index]
        if proc.poll() is None:
            for pid in _family({proc.pid}):
                with contextlib.suppress(ProcessLookupError, PermissionError):
                    os.kill(pid, signal.SIGKILL)
            proc.wait()


def _family(roots: set[int]) -> set[int]:
    """`roots`, the processes in their process groups, and all their descendants: newer Ray
    versions start workers in groups of their own."""
    parents: dict[int, int] = {}
    groups: dict[int, int] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        fields = stat.rsplit(")", 1)[-1].split()
        parents[int(entry.name)] = int(fields[1])
        groups[int(entry.name)] = int(fields[2])
    found = set(roots) | {pid for pid, group in groups.items() if group in roots}
    grew = True
    while grew:
        more = {pid for pid, parent in parents.items() if parent in found} - found
        found |= more
        grew = bool(more)
    return found


def _end_with_parent() -> None:
    """In the child: SIGTERM when the process that started it dies, however it dies (`ray
    start --block` then stops its node), so no cluster outlives a crashed run."""
    import ctypes

    pr_set_pdeathsig = 1
    ctypes.CDLL(None, use_errno=True).prctl(pr_set_pdeathsig, signal.SIGTERM)


@contextlib.contextmanager
def local_cluster(head_cpus: int = 4, workers: int = 1) -> Iterator[LocalCluster]:
    """A head and `workers` worker nodes; this process is connected to it as a driver, on the
    head's node (it joins while the head is alone: a driver whose node dies dies with it)."""
    import ray

    if ray_command() is None:
        raise ClusterError('Ray is not installed (pip install "artemis[ray]")')
    # A short folder: Ray's socket paths live under it and must stay under 108 bytes.
    temp = Path(tempfile.mkdtemp(prefix="ray", dir="/tmp"))
    port = _free_port()
    cluster = LocalCluster(f"127.0.0.1:{port}", temp)
    cluster.scenario.write_text("{}")
    try:
        cluster.start_node(
            ["--head", "--port", str(port), "--num-cpus", str(head_cpus),
             "--include-dashboard", "false", "--temp-dir", str(temp)],
            "head.log",
        )  # fmt: skip
        cluster.wait_for_nodes(1)
        for _ in range(workers):
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
