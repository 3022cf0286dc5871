"""What CLI modules share: consoles, the global options, settings loading."""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console

if TYPE_CHECKING:  # the settings' models take a good part of start-up: imported when used
    from artemis.config import Settings


console = Console()
err_console = Console(stderr=True)


@dataclass
class _State:
    config_file: Path | None = None
    verbose: int = 0


state = _State()


class _CliLogHandler(logging.StreamHandler):
    """Log lines on stderr, one a line: `WARNING artemis.tips.store: ...`."""

    def emit(self, record: logging.LogRecord) -> None:
        self.stream = sys.stderr  # whatever stderr is now (a test may have swapped it)
        super().emit(record)


def reset_logging() -> None:
    """Undo `configure_logging` (for tests that call the CLI in-process)."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _CliLogHandler)]:
        root.removeHandler(old)
    root.setLevel(logging.WARNING)
    logging.getLogger("artemis").setLevel(logging.NOTSET)


def configure_logging(verbosity: int) -> None:
    """What the log shows on stderr: warnings (default); artemis's progress with `-v` (what it
    opened, imported, decided, each step of an episode); debugging detail with `-vv` (each
    model call), with the libraries' own progress too."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _CliLogHandler)]:
        root.removeHandler(old)
    handler = _CliLogHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(levelname)s %(name)s: %(message)s"))
    root.addHandler(handler)
    root.setLevel(logging.INFO if verbosity >= 2 else logging.WARNING)
    ours = logging.DEBUG if verbosity >= 2 else logging.INFO if verbosity == 1 else logging.WARNING
    logging.getLogger("artemis").setLevel(ours)


def settings(**overrides: Any) -> Settings:
    """Settings from file and environment, with CLI flags (`overrides`) on top."""
    from artemis.config import load_settings

    return load_settings(state.config_file, **overrides)
