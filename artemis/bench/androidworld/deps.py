"""Import android_world lazily, and say how to install it when it is missing.

android_world (google-research/android_world) is not on PyPI. artemis installs and imports
without it; only the AndroidWorld benchmark needs it, and it fails with `INSTALL_HINT` rather
than a traceback when it is absent.
"""

from __future__ import annotations

import importlib
import sys
from dataclasses import dataclass
from types import ModuleType

from artemis.errors import DependencyMissingError

#: The android_world commit the adapter and runner were checked against (read, not run).
ANDROID_WORLD_COMMIT = "d9c569f764b3a5629321858de03ff653d0f24056"
ANDROID_WORLD_REPO = "https://github.com/google-research/android_world"

INSTALL_HINT = (
    "android_world is not installed in this environment. It is not on PyPI: install it from "
    "its repository into the same environment as artemis, on Python 3.11 or 3.12 (it pins "
    "numpy 1.26, which has no build for newer Pythons):\n\n"
    f"  git clone {ANDROID_WORLD_REPO}.git\n"
    "  cd android_world\n"
    f"  git checkout {ANDROID_WORLD_COMMIT[:12]}   # the commit artemis was checked against\n"
    "  pip install -r requirements.txt\n"
    '  pip install wheel "setuptools<82"\n'
    "  pip install --no-build-isolation .\n\n"
    "Its setup.py imports pkg_resources (removed in setuptools 82) and generates protobuf "
    "modules with grpcio-tools (from requirements.txt) while it builds, so pip must build it "
    "with this environment's packages (--no-build-isolation); the setuptools of a fresh "
    'environment builds wheels only with the wheel package beside it (without it: "invalid '
    "command 'bdist_wheel'\"). Then start an emulator (README, section AndroidWorld) and run "
    "this command again."
)


@dataclass(frozen=True, slots=True)
class AndroidWorld:
    """The android_world modules the adapter and the runner use."""

    base_agent: ModuleType
    interface: ModuleType
    json_action: ModuleType
    adb_utils: ModuleType
    adb_pb2: ModuleType
    env_launcher: ModuleType
    suite_utils: ModuleType
    checkpointer: ModuleType
    registry: ModuleType


_MODULES = {
    "base_agent": "android_world.agents.base_agent",
    "interface": "android_world.env.interface",
    "json_action": "android_world.env.json_action",
    "adb_utils": "android_world.env.adb_utils",
    "adb_pb2": "android_env.proto.adb_pb2",  # android_env: android_world's requirement
    "env_launcher": "android_world.env.env_launcher",
    "suite_utils": "android_world.suite_utils",
    "checkpointer": "android_world.checkpointer",
    "registry": "android_world.registry",
}


def _python_note() -> str:
    if sys.version_info >= (3, 13):
        v = f"{sys.version_info.major}.{sys.version_info.minor}"
        return f"\nThis interpreter is Python {v}: make a 3.11 or 3.12 environment first."
    return ""


def import_module(name: str) -> ModuleType:
    """Import one android_world module; `DependencyMissingError` when android_world is absent.

    An android_world that is installed but broken (a missing generated protobuf module, a
    missing dependency of its own) is reported with the module that failed.
    """
    try:
        return importlib.import_module(name)
    except ImportError as exc:
        where = exc.name or ""
        if isinstance(exc, ModuleNotFoundError) and where == "android_world":
            raise DependencyMissingError(INSTALL_HINT + _python_note()) from None
        if where.startswith("android_world"):
            # `from android_world.x.proto import state_pb2` fails this way when the protobuf
            # modules were not generated at build time.
            raise DependencyMissingError(
                f"android_world is installed but incomplete: {exc}. Its protobuf modules are "
                "generated when it is built; reinstall it as below.\n\n" + INSTALL_HINT
            ) from None
        raise DependencyMissingError(
            f"android_world is installed but cannot be imported: {exc}. Run "
            "`pip install -r requirements.txt` in its checkout, in this environment."
        ) from None


def load_android_world() -> AndroidWorld:
    """All the android_world modules the benchmark uses, imported now."""
    return AndroidWorld(**{field: import_module(mod) for field, mod in _MODULES.items()})
