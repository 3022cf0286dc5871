"""The real local Ray cluster the tests of this folder share (`tests.ray_cluster`): a head and
a worker node, started once for the whole test run (a cold start costs seconds) and killed
with it. Tests skip when Ray is not installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.bench.androidworld.conftest import (  # noqa: F401  (their fixtures, used here too)
    android_world,
    listeners,
)
from tests.ray_cluster import ClusterError, LocalCluster, local_cluster, ray_command


@pytest.fixture(scope="session")
def ray_cluster() -> Iterator[LocalCluster]:
    pytest.importorskip("ray", reason='Ray is not installed (pip install "artemis[ray]")')
    if ray_command() is None:
        pytest.skip("the ray command is not installed beside this Python")
    try:
        with local_cluster() as cluster:
            yield cluster
    except ClusterError as exc:
        pytest.fail(str(exc))
