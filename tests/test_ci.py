"""What CI checks: lint, formatting and types (tests included) before the test suite."""

from __future__ import annotations

import tomllib

from tests.conftest import REPO


def _ci_commands() -> list[str]:
    lines = (REPO / ".ci" / "run").read_text(encoding="utf-8").splitlines()
    return [line.strip() for line in lines if line.strip() and not line.lstrip().startswith("#")]


def test_ci_runs_ruff_and_mypy_before_the_tests() -> None:
    commands = _ci_commands()
    for check in ("ruff check .", "ruff format --check .", "mypy"):
        assert check in commands, f".ci/run does not run {check!r}"
        assert commands.index(check) < commands.index("pytest")


def test_mypy_checks_the_tests_and_benchmarks_too() -> None:
    config = tomllib.loads((REPO / "pyproject.toml").read_text(encoding="utf-8"))
    files = config["tool"]["mypy"]["files"]
    assert {"artemis", "tests", "benchmarks"} <= set(files)
