"""`--emulators`: counts, CONSOLE:GRPC pairs, and HOST:CONSOLE:GRPC for other machines'
emulators (a run on Ray places each one's actor on that host's node)."""

from __future__ import annotations

from pathlib import Path
from types import ModuleType

import pytest

from artemis.bench.androidworld.emulators import Emulator, is_loopback, parse_emulators
from artemis.bench.androidworld.runner import RunOptions, run_androidworld
from artemis.config import Settings
from artemis.errors import BenchmarkError


def test_the_forms_of_emulators() -> None:
    assert parse_emulators("2") == (Emulator(5554, 8554), Emulator(5556, 8555))
    assert parse_emulators("5554:8554,10.0.0.7:5554:8554") == (
        Emulator(5554, 8554),
        Emulator(5554, 8554, "10.0.0.7"),
    )
    assert str(Emulator(5554, 8554, "10.0.0.7")) == "emulator-5554 on 10.0.0.7 (gRPC 8554)"
    assert str(Emulator(5554, 8554)) == "emulator-5554 (gRPC 8554)"


@pytest.mark.parametrize("spec", ["h:1:2:3", ":5554:8554", "5554:", "h:5554"])
def test_a_malformed_emulator_is_refused(spec: str) -> None:
    with pytest.raises(BenchmarkError, match=r"is not CONSOLE:GRPC|is not a port"):
        parse_emulators(spec)


def test_the_same_ports_on_two_hosts_do_not_overlap_but_on_one_they_do() -> None:
    parse_emulators("10.0.0.7:5554:8554,10.0.0.8:5554:8554")
    with pytest.raises(BenchmarkError, match="overlap"):
        parse_emulators("10.0.0.7:5554:8554,10.0.0.7:5554:8555")


@pytest.mark.parametrize(
    ("host", "loop"),
    [("127.0.0.1", True), ("localhost", True), ("::1", True), ("10.0.0.7", False), ("h", False)],
)
def test_loopback_hosts(host: str, loop: bool) -> None:
    assert is_loopback(host) is loop


def test_another_machines_emulator_needs_ray(android_world: ModuleType, tmp_path: Path) -> None:
    adb = tmp_path / "adb"
    adb.write_text("")
    options = RunOptions(
        emulators=(Emulator(5554, 8554, "10.0.0.7"),),
        checkpoint_dir=tmp_path / "ckpt",
        adb_path=str(adb),
    )
    with pytest.raises(BenchmarkError, match="--ray ADDRESS"):
        run_androidworld(options, Settings())
