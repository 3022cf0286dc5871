"""How long `artemis --version` and `artemis --help` take, before and after, in one run.

    python benchmarks/cli_startup.py [--baseline REF] [--runs N]

Each command runs `--runs` times (default 7) as `python -m artemis ...` on REF (default
`main`, extracted with `git archive`) and on this checkout, interleaved, with `PYTHONPATH` set
to the tree; the median wall time of each is printed, with the modules each imports that the
bare interpreter does not (from `python -X importtime`), largest first. Both trees are
byte-compiled first, as an installed package is.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from critical_path import byte_compiled, extract_tree

REPO = Path(__file__).resolve().parent.parent
COMMANDS = (["--version"], ["--help"])


def _run(tree: Path, args: list[str], *, importtime: bool = False) -> tuple[float, str]:
    env = dict(os.environ, PYTHONPATH=str(tree), COLUMNS="100")
    cmd = [sys.executable, *(["-X", "importtime"] if importtime else []), "-m", "artemis", *args]
    started = time.perf_counter()
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tempfile.gettempdir())
    took = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(args)} on {tree} failed:\n{done.stderr[-2000:]}")
    return took, done.stderr


def _heaviest(stderr: str, n: int = 3) -> str:
    """The `n` top-level imports that took longest, from `-X importtime` output."""
    rows = []
    for line in stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, raw = line.split(":", 1)[1].split("|")
        name = raw[1:]  # one space after the bar; more mean a nested import
        if not name.startswith(" ") and cumulative.strip().isdigit():
            rows.append((int(cumulative), name.strip()))
    rows.sort(reverse=True)
    return ", ".join(f"{name} {us / 1000:.0f} ms" for us, name in rows[:n])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="main", help="git ref to compare with")
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        trees = {
            args.baseline: byte_compiled(extract_tree(args.baseline, Path(tmp))),
            "this tree": byte_compiled(REPO),
        }
        times: dict[tuple[str, str], list[float]] = {}
        for _ in range(args.runs):
            for command in COMMANDS:
                for name, tree in trees.items():
                    took, _ = _run(tree, command)
                    times.setdefault((name, command[0]), []).append(took)
        print(f"| command | {args.baseline} | this tree |")
        print("|---|---|---|")
        for command in COMMANDS:
            cells = [f"{statistics.median(times[(n, command[0])]):.2f} s" for n in trees]
            print(f"| artemis {command[0]} | {' | '.join(cells)} |")
        for name, tree in trees.items():
            _, stderr = _run(tree, ["--help"], importtime=True)
            print(f"\n{name}, heaviest imports of --help: {_heaviest(stderr)}")


if __name__ == "__main__":
    main()
