"""Asking for a cluster: addresses `--ray` takes, and what a user without Ray is told. None
of these needs Ray installed, or a cluster."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

import artemis
from artemis.bench.distributed.cluster import INSTALL_HINT, check_address, connect, ray_module
from artemis.errors import BenchmarkError, DependencyMissingError


@pytest.mark.parametrize(
    "address", ["auto", "127.0.0.1:6379", "head.example:6379", "ray://h:10001"]
)
def test_addresses_a_cluster_is_reached_by(address: str) -> None:
    assert check_address(f" {address} ") == address


@pytest.mark.parametrize("address", ["", "localhost", "127.0.0.1:", "http://h:6379", "a b:1"])
def test_anything_else_is_refused_with_the_forms_that_work(address: str) -> None:
    with pytest.raises(BenchmarkError, match=r"auto .* HOST:PORT"):
        check_address(address)


def test_without_ray_the_run_says_how_to_install_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "ray", None)  # what an environment without Ray imports
    with pytest.raises(DependencyMissingError) as err:
        ray_module()
    assert str(err.value) == INSTALL_HINT and 'pip install "artemis[ray]"' in INSTALL_HINT
    with pytest.raises(DependencyMissingError):
        connect("auto")


def test_importing_artemis_and_its_ray_route_does_not_import_ray() -> None:
    code = (
        "import sys, artemis, artemis.cli.bench_sim, artemis.bench.distributed.simworld; "
        "print('ray' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False" and artemis.__name__ == "artemis"


def test_a_bad_cluster_address_is_one_line_and_no_traceback(tmp_path: Path) -> None:
    command = [
        *(sys.executable, "-m", "artemis", "bench", "sim", "--ray", "not an address"),
        *("-m", "oracle", "-o", str(tmp_path / "run")),
    ]
    done = subprocess.run(command, capture_output=True, text=True, timeout=120)
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "is not a cluster address" in done.stderr


def test_an_address_where_nothing_listens_fails_at_once(
    monkeypatch: pytest.MonkeyPatch, unused_tcp_port: int
) -> None:
    pytest.importorskip("ray", reason='Ray is not installed (pip install "artemis[ray]")')
    with pytest.raises(BenchmarkError, match="nothing answers there"):
        connect(f"127.0.0.1:{unused_tcp_port}")
