"""What CLI modules share: consoles, the global options, settings loading."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from rich.console import Console

from artemis.config import Settings, load_settings

console = Console()
err_console = Console(stderr=True)


@dataclass
class _State:
    config_file: Path | None = None
    verbose: bool = False


state = _State()


def settings(**overrides: Any) -> Settings:
    """Settings from file and environment, with CLI flags (`overrides`) on top."""
    return load_settings(state.config_file, **overrides)
