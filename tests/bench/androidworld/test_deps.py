"""Importing android_world: absent, broken, or missing a dependency of its own."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from artemis.bench.androidworld.deps import import_module
from artemis.errors import DependencyMissingError


@pytest.fixture
def broken_android_world(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    pkg = tmp_path / "android_world"
    (pkg / "env").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "env" / "__init__.py").write_text("")
    (pkg / "env" / "proto_user.py").write_text("from android_world.env import state_pb2\n")
    (pkg / "env" / "needs_dep.py").write_text("import android_env_not_here\n")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield pkg
    for name in [m for m in sys.modules if m.startswith("android_world")]:
        del sys.modules[name]


def test_absent_android_world_says_how_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "android_world", None)  # makes the import fail as absent
    with pytest.raises(DependencyMissingError, match="not installed") as info:
        import_module("android_world.suite_utils")
    assert "pip install -r requirements.txt" in str(info.value)


def test_missing_generated_protobuf_modules_say_reinstall(broken_android_world: Path) -> None:
    with pytest.raises(DependencyMissingError, match="installed but incomplete"):
        import_module("android_world.env.proto_user")


def test_a_missing_dependency_of_android_world_is_named(broken_android_world: Path) -> None:
    with pytest.raises(DependencyMissingError, match="android_env_not_here"):
        import_module("android_world.env.needs_dep")
