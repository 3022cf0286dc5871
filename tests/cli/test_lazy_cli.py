"""The CLI imports a command's modules only when that command runs."""

from __future__ import annotations

import subprocess
import sys

HEAVY = ("chromadb", "openai", "artemis.bench.simworld.runner", "artemis.agent.loop")


def _loaded_after(args: list[str]) -> set[str]:
    code = (
        "import sys\n"
        "from artemis.cli import main\n"
        f"sys.argv = ['artemis', *{args!r}]\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        f"print('loaded:' + ','.join(m for m in {HEAVY!r} if m in sys.modules), file=sys.stderr)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    last = done.stderr.strip().splitlines()[-1]
    assert last.startswith("loaded:"), done.stderr
    return {m for m in last.removeprefix("loaded:").split(",") if m}


def test_version_and_help_import_no_command_module() -> None:
    assert _loaded_after(["--version"]) == set()
    assert _loaded_after(["--help"]) == set()


def test_a_command_is_there_when_it_runs() -> None:
    assert "artemis.bench.simworld.runner" in _loaded_after(["bench", "sim", "--help"])
