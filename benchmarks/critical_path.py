"""The agent loop's critical path on simulated phones, before and after, in one run.

    python benchmarks/critical_path.py [--baseline REF] [--tasks A,B] [--latency S]

Each figure is measured on two source trees, interleaved: REF (default `main`, extracted with
`git archive` into a temporary folder) and this checkout. Each measurement runs in its own
process with `PYTHONPATH` set to the tree, and uses only what both trees have
(`run_simworld`, `resolve_model`, `WrapperModel`), so the same code measures both.

- **P1**, model calls of wall time per step: SimWorld's oracle on one phone with every model
  call delayed by `--latency` seconds, minus the same run with no delay, per step, divided by
  the delay. D-Artemis's order costs about 2 (Manager, SRA, some TAC); the aim is 1.1.
- **P2**, a step's wall time over its raw device I/O with a zero-latency model served over
  HTTP (`oracle:artemis`: the real openai client against a loopback chat-completions
  server). Raw device I/O is one tap, `screencap -p`, `uiautomator dump` and `dumpsys
  window`, timed on the same phone in the same process.
- **P1 with TAC asked**: P1 again with `agent.tac_skip_when_confident = false`, so TAC asks
  its model at every device action instead of letting the UI-tree pre-check decide (the
  oracle's actions are nearly always decided by the pre-check, which hides TAC's place on the
  critical path).
- **P2 on a phone's latencies**: P2 again, on a few tasks (`--phone-tasks`), with the
  simulated phone's commands as slow as a real device's (`PHONE_LATENCY_S`, from
  `../shared/notes/FACTS.md`: `input` 0.3-0.4 s, `screencap` 0.3-0.5 s on an emulator,
  `uiautomator dump` 1-3 s, of which its wait for a still screen is 1 s) and the settings a
  real device runs with (polls 0.25 s apart, the fingerprint and the screenshot method
  `auto`), not the simulated phone's: what the agent adds to a step where the device's
  time is what a user waits for. Raw device I/O is timed with the same latencies.
- **P7**, throughput of 8 phones over one, with the delayed oracle on the whole suite. Each
  run's CPU time (this process and the processes it started, such as the phones' own) per
  step is printed too, with the ceiling it puts on P7 on this machine: its cores, times a
  step's wall time on one phone, over a step's CPU time with eight. And how much longer a
  case takes with 8 phones than alone (their contention for the cores): 8 over that is what P7
  would be if the run started its first cases at once and no phone waited for the last.

Also the oracle's and the heuristic's success on each tree (the first must stay at 100%, the
second unchanged). Both trees are byte-compiled first, as an installed package is, so that
neither pays for compiling its modules in every process it starts. Prints a Markdown table,
and ratios, since the machine is shared.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
REPO = HERE.parent

#: Seconds a real device takes per command (regex on the command line as sent), for P2 on a
#: phone's latencies, from `../shared/notes/FACTS.md`'s ranges: the middle of `input`'s
#: 0.3-0.4 s and of `screencap`'s 0.3-0.5 s, the low end of `uiautomator dump`'s 1-3 s (its
#: wait for a still screen alone). Other commands (`dumpsys`, `am`) answer at the simulated
#: phone's speed.
PHONE_LATENCY_S = (
    (r"\binput (tap|swipe|keyevent|text)\b", 0.35),
    (r"\bscreencap\b", 0.4),
    (r"\buiautomator dump\b", 1.0),
)


# --- one measurement, inside a tree's process ---------------------------------------------------


async def _suite(
    out: Path,
    model: str,
    tasks: list[str],
    devices: int,
    latency: float,
    agent: dict[str, Any] | None = None,
) -> dict[str, Any]:
    from artemis.bench.simworld.runner import SimRunOptions, run_simworld
    from artemis.config import Settings
    from artemis.models.registry import resolve_model
    from artemis.models.wrappers import WrapperModel

    class Slow(WrapperModel):
        async def complete(self, messages: Any, **kwargs: Any) -> Any:
            await asyncio.sleep(latency)
            return await self.wrapped.complete(messages, **kwargs)

    class SlowOracle(Slow):
        def bind_task(self, task: Any) -> None:
            self.wrapped.bind_task(task)  # type: ignore[attr-defined]

    def resolve(spec: str | None, settings: Settings) -> Any:
        model = resolve_model(spec, settings)
        if latency <= 0:
            return model
        return SlowOracle(model) if hasattr(model, "bind_task") else Slow(model)

    settings = Settings.model_validate({"data_dir": out / "data", "agent": agent or {}})
    options = SimRunOptions(out=out / "run", tasks=tasks, model=model, devices=devices)
    cpu = _cpu_s()
    started = time.perf_counter()
    result = await run_simworld(options, settings, resolve=resolve)
    wall = time.perf_counter() - started
    cpu = _cpu_s() - cpu
    records = [json.loads(line) for line in (out / "run" / "results.jsonl").open()]
    steps = sum(int(r.get("steps", 0)) for r in records)
    return {
        "wall_s": wall,
        "case_s": sum(float(r.get("duration_s", "nan")) for r in records),
        "cpu_s": cpu,
        "steps": steps,
        "episodes": len(records),
        "success": result.summary.success_rate,
    }


def _cpu_s() -> float:
    """CPU seconds of this process and of its children that have ended."""
    own, kids = (
        resource.getrusage(resource.RUSAGE_SELF),
        resource.getrusage(resource.RUSAGE_CHILDREN),
    )
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


@contextlib.contextmanager
def _like_a_phone() -> Iterator[None]:
    """Simulated phones started meanwhile in this process answer with a real device's
    latencies (`PHONE_LATENCY_S`), and SimWorld runs keep a real device's settings instead of
    the simulated phone's (`for_sim`)."""
    from artemis.bench.simworld import runner
    from artemis.sim.server import SimServer

    init, for_sim = SimServer.__init__, runner.for_sim

    def slow_init(self: Any, *args: Any, **kwargs: Any) -> None:
        init(self, *args, **kwargs)
        for pattern, seconds in PHONE_LATENCY_S:
            self.faults.delay(pattern, seconds)

    SimServer.__init__ = slow_init  # type: ignore[method-assign]
    runner.for_sim = lambda settings: settings
    try:
        yield
    finally:
        SimServer.__init__ = init  # type: ignore[method-assign]
        runner.for_sim = for_sim


async def _raw_io(n: int = 20) -> float:
    """Seconds of one step's raw device I/O on a simulated phone: an input that changes the
    screen (recents on or off), `screencap -p` of the new screen, a UI dump and `dumpsys
    window`; the median of `n` rounds."""
    import statistics

    from artemis.config import Settings
    from artemis.device.connect import open_sim
    from artemis.sim.phone import Phone

    dump = "uiautomator dump /sdcard/window_dump.xml && cat /sdcard/window_dump.xml"
    async with open_sim(Settings(), phone=Phone(0)) as sim:
        conn = sim.device.conn
        took = []
        for _ in range(n):
            started = time.perf_counter()
            await conn.shell("input keyevent 187")
            await conn.exec_out("screencap -p")
            await conn.shell(dump)
            await conn.shell("dumpsys window | grep -E 'mCurrentFocus|mFocusedApp'")
            took.append(time.perf_counter() - started)
        return statistics.median(took)


def measure(kind: str, args: argparse.Namespace) -> dict[str, Any]:
    tasks = [t for t in args.tasks.split(",") if t]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        if kind == "raw_io":
            return {"raw_io_s": asyncio.run(_raw_io())}
        if kind == "raw_io_phone":
            with _like_a_phone():
                return {"raw_io_s": asyncio.run(_raw_io(5))}
        if kind == "p2_phone":
            phone_tasks = [t for t in args.phone_tasks.split(",") if t]
            with _like_a_phone():
                return asyncio.run(_suite(out, "oracle:artemis", phone_tasks, 1, 0.0))
        if kind == "heuristic":
            return asyncio.run(_suite(out, "heuristic", tasks, 2, 0.0))
        model = "oracle:artemis" if kind == "p2" else "oracle"
        devices = 8 if kind == "p7_8" else 1
        latency = 0.0 if kind in ("p1_zero", "p2", "p1t_zero") else args.latency
        agent = {"tac_skip_when_confident": False} if kind.startswith("p1t") else None
        return asyncio.run(_suite(out, model, tasks, devices, latency, agent))


# --- the driver ---------------------------------------------------------------------------------


KINDS = (
    "raw_io",
    "p1_zero",
    "p2",
    "p1_slow",
    "p1t_zero",
    "p1t_slow",
    "p7_8",
    "heuristic",
    "raw_io_phone",
    "p2_phone",
)


def extract_tree(ref: str, into: Path) -> Path:
    """The source tree of `ref`, extracted into `into` with `git archive`."""
    archive = subprocess.run(
        ["git", "-C", str(REPO), "archive", ref], check=True, capture_output=True
    ).stdout
    subprocess.run(["tar", "-x", "-C", str(into)], input=archive, check=True)
    return into


def byte_compiled(tree: Path) -> Path:
    """`tree` with its package byte-compiled, as an installed package is: a process started
    from it (a phone host, the CLI) then reads bytecode instead of compiling every module
    again, which it would do on every start where `PYTHONDONTWRITEBYTECODE` is set."""
    subprocess.run([sys.executable, "-m", "compileall", "-q", str(tree / "artemis")], check=True)
    return tree


def _run(tree: Path, kind: str, args: argparse.Namespace) -> dict[str, Any]:
    env = dict(os.environ, PYTHONPATH=str(tree))
    cmd = [sys.executable, str(Path(__file__).resolve()), "--measure", kind]
    cmd += ["--tasks", args.tasks, "--latency", str(args.latency)]
    cmd += ["--phone-tasks", args.phone_tasks]
    done = subprocess.run(cmd, env=env, capture_output=True, text=True, cwd=tree)
    if done.returncode != 0:
        raise SystemExit(f"{kind} on {tree} failed:\n{done.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


def _p1(zero: dict[str, Any], slow: dict[str, Any], latency: float) -> float:
    return (slow["wall_s"] / slow["steps"] - zero["wall_s"] / zero["steps"]) / latency


def figures(m: dict[str, dict[str, Any]], latency: float) -> dict[str, float]:
    zero, slow = m["p1_zero"], m["p1_slow"]
    p2 = m["p2"]["wall_s"] / m["p2"]["steps"]
    step_phone = m["p2_phone"]["wall_s"] / m["p2_phone"]["steps"]
    one = slow["episodes"] / slow["wall_s"]
    eight = m["p7_8"]["episodes"] / m["p7_8"]["wall_s"]
    cpu_step = m["p7_8"].get("cpu_s", float("nan")) / m["p7_8"]["steps"]
    return {
        "cpu_step_ms": cpu_step * 1000,
        "P7_ceiling": (os.cpu_count() or 1) * (slow["wall_s"] / slow["steps"]) / cpu_step,
        "P1": _p1(zero, slow, latency),
        "P1_tac": _p1(m["p1t_zero"], m["p1t_slow"], latency),
        "P2": p2 / m["raw_io"]["raw_io_s"],
        "P2_phone": step_phone / m["raw_io_phone"]["raw_io_s"],
        "step_s_phone": step_phone,
        "raw_io_s_phone": m["raw_io_phone"]["raw_io_s"],
        "P7": eight / one,
        # A case's time with 8 phones over its time alone: what they cost each other.
        "contention": m["p7_8"].get("case_s", float("nan")) / slow.get("case_s", float("nan")),
        "step_ms_http": p2 * 1000,
        "raw_io_ms": m["raw_io"]["raw_io_s"] * 1000,
        "oracle": min(
            zero["success"], slow["success"], m["p1t_slow"]["success"], m["p7_8"]["success"]
        ),
        "oracle_http": m["p2"]["success"],
        "heuristic": m["heuristic"]["success"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--baseline", default="main", help="git ref to compare with")
    parser.add_argument("--tasks", default="", help="task templates (default: all)")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per model call")
    parser.add_argument(
        "--phone-tasks",
        default="SettingsWifi,ContactsCreate,ClockAddAlarm,MarkorCreateNote",
        help="task templates for P2 on a phone's latencies",
    )
    parser.add_argument("--measure", choices=KINDS, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.measure:
        from artemis.errors import ArtemisError

        try:
            print(json.dumps(measure(args.measure, args)))
        except ArtemisError as exc:  # a task name that does not exist, say: one line
            raise SystemExit(f"{type(exc).__name__}: {exc}") from None
        return
    from artemis.bench.simworld.registry import select
    from artemis.errors import BenchmarkError

    for names in (args.tasks, args.phone_tasks):  # before minutes of runs, not after
        try:
            select([t for t in names.split(",") if t])
        except BenchmarkError as exc:
            raise SystemExit(f"BenchmarkError: {exc}") from None
    with tempfile.TemporaryDirectory() as tmp:
        trees = {
            args.baseline: byte_compiled(extract_tree(args.baseline, Path(tmp))),
            "this tree": byte_compiled(REPO),
        }
        found: dict[str, dict[str, dict[str, Any]]] = {name: {} for name in trees}
        for kind in KINDS:
            for name, tree in trees.items():
                found[name][kind] = _run(tree, kind, args)
                print(f"{kind:>9} {name}: {found[name][kind]}", file=sys.stderr, flush=True)
    before, after = (figures(found[n], args.latency) for n in trees)
    print(f"\n| figure | {args.baseline} | this tree | target |")
    print("|---|---|---|---|")
    print(f"| P1, model calls per step | {before['P1']:.2f} | {after['P1']:.2f} | <= 1.3 |")
    print(
        f"| P1 with TAC asked at every action | {before['P1_tac']:.2f} | "
        f"{after['P1_tac']:.2f} | <= 1.3 |"
    )
    print(
        f"| P2, step / raw device I/O (HTTP) | {before['P2']:.2f}x "
        f"({before['step_ms_http']:.0f} / {before['raw_io_ms']:.0f} ms) | {after['P2']:.2f}x "
        f"({after['step_ms_http']:.0f} / {after['raw_io_ms']:.0f} ms) | <= 1.5x |"
    )
    print(
        f"| P2 on a phone's latencies, step / raw device I/O (HTTP) | {before['P2_phone']:.2f}x "
        f"({before['step_s_phone']:.2f} / {before['raw_io_s_phone']:.2f} s) | "
        f"{after['P2_phone']:.2f}x ({after['step_s_phone']:.2f} / "
        f"{after['raw_io_s_phone']:.2f} s) | |"
    )
    print(f"| P7, 8 phones / 1 | {before['P7']:.2f}x | {after['P7']:.2f}x | >= 7x |")
    print(
        f"| a case's time, 8 phones / 1 (P7's ceiling with no start-up and perfect packing: "
        f"8 / this) | {before['contention']:.3f} ({8 / before['contention']:.2f}x) | "
        f"{after['contention']:.3f} ({8 / after['contention']:.2f}x) | |"
    )
    print(
        f"| CPU per step with 8 phones (P7's ceiling on {os.cpu_count()} cores) | "
        f"{before['cpu_step_ms']:.0f} ms ({before['P7_ceiling']:.2f}x) | "
        f"{after['cpu_step_ms']:.0f} ms ({after['P7_ceiling']:.2f}x) | |"
    )
    for key, what in (
        ("oracle", "oracle success"),
        ("oracle_http", "oracle:artemis success"),
        ("heuristic", "heuristic success"),
    ):
        print(f"| {what} | {before[key]:.1%} | {after[key]:.1%} | |")


if __name__ == "__main__":
    main()
