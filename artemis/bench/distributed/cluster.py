"""Connecting to a Ray cluster: `--ray ADDRESS|auto`.

Ray is an optional extra (`pip install "artemis[ray]"`). It is imported here, when a run asks
for a cluster, and never when artemis is imported; without it the run stops with how to
install it.
"""

from __future__ import annotations

import importlib
import logging
import re
import socket
from dataclasses import dataclass
from types import ModuleType
from typing import Any

from artemis.errors import BenchmarkError, DependencyMissingError

#: Seconds to wait for the head's port to answer before giving up on the address.
PROBE_TIMEOUT_S = 5.0

INSTALL_HINT = 'Ray is not installed in this environment: pip install "artemis[ray]"'

# `auto`, `HOST:PORT` (the head's GCS port, 6379 by default) or `ray://HOST:PORT` (Ray Client).
_ADDRESS = re.compile(r"^(auto|(ray://)?[A-Za-z0-9._-]+:\d{1,5})$")


def ray_module() -> ModuleType:
    """The `ray` module; `DependencyMissingError` saying how to install it when absent."""
    try:
        return importlib.import_module("ray")
    except ImportError as exc:
        raise DependencyMissingError(INSTALL_HINT) from exc


def check_address(address: str) -> str:
    """A cluster address as `--ray` takes it, stripped; a `BenchmarkError` otherwise."""
    value = address.strip()
    if not _ADDRESS.match(value):
        raise BenchmarkError(
            f"--ray {address!r} is not a cluster address: use auto (the cluster started on "
            "this machine with `ray start --head`), HOST:PORT of its head, or ray://HOST:PORT"
        )
    return value


@dataclass(frozen=True)
class Cluster:
    """A connected cluster: the `ray` module and the node the driver runs on."""

    ray: Any
    address: str
    driver_node: str
    #: This call joined the cluster (so `disconnect` leaves it); False when the process
    #: had joined it before.
    joined: bool = True

    def nodes(self) -> int:
        return sum(1 for n in self.ray.nodes() if n.get("Alive"))


def connect(address: str) -> Cluster:
    """Join the cluster at `address` as a driver (once per process; a second call with the
    process already connected reuses the connection)."""
    value = check_address(address)
    ray = ray_module()
    if not ray.is_initialized():
        _probe(value)
    joined = not ray.is_initialized()
    if joined:
        try:
            ray.init(
                address=value,
                # The driver prints one line per case; actors' own logs stay on their nodes.
                log_to_driver=False,
                logging_level=logging.WARNING,
                configure_logging=False,
            )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise BenchmarkError(
                f"cannot join the Ray cluster at {value}: {exc} (is `ray start --head` running "
                "there, and is this the same Ray and Python version?)"
            ) from exc
    node = ray.get_runtime_context().get_node_id()
    return Cluster(ray, value, node, joined)


def _probe(address: str) -> None:
    """Fail at once when nothing listens at a HOST:PORT address (Ray itself retries for
    minutes, logging as it goes)."""
    if address == "auto":
        return
    host, _, port = address.removeprefix("ray://").rpartition(":")
    try:
        socket.create_connection((host, int(port)), timeout=PROBE_TIMEOUT_S).close()
    except OSError as exc:
        raise BenchmarkError(
            f"cannot join the Ray cluster at {address}: nothing answers there "
            f"({exc.strerror or exc}); start its head with `ray start --head --port {port}`"
        ) from None


def disconnect(cluster: Cluster) -> None:
    """Leave the cluster if `connect` joined it (the actors this driver made end with it)."""
    if cluster.joined and cluster.ray.is_initialized():
        cluster.ray.shutdown()
