"""The simulated phone is a device, not a client: it imports nothing from the client side."""

from __future__ import annotations

import ast
from pathlib import Path

import artemis.sim

#: Modules outside `artemis.sim` that the phone may use: the bottom layer both sides share.
SHARED = {"artemis.png", "artemis.bytesum"}


def test_sim_imports_only_itself_and_the_shared_bottom_layer() -> None:
    root = Path(artemis.sim.__file__).parent
    found: dict[str, str] = {}
    for path in sorted(root.rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = (
                [a.name for a in node.names]
                if isinstance(node, ast.Import)
                else [node.module or ""]
                if isinstance(node, ast.ImportFrom) and node.level == 0
                else []
            )
            for name in names:
                if name.split(".")[0] == "artemis" and not name.startswith("artemis.sim"):
                    found[f"{path.relative_to(root)}: {name}"] = name
    assert set(found.values()) <= SHARED, sorted(found)
