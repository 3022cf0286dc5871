"""One emulator's share of an AndroidWorld run.

A worker owns one env (one emulator) and one artemis agent. It takes task templates from a
shared queue until the queue is empty, running each through android_world's
`suite_utils.run` with its `IncrementalCheckpointer`, so finished instances are skipped on
resume and a task that raises is recorded as failed while the run goes on.

When the emulator is lost, the worker puts the template it was on back in the queue (another
emulator, or a resumed run, finishes it) and stops.

Workers run in their own processes when there are several emulators: android_world's tasks
seed and draw from the process-wide `random` module while they set up, which threads would
interleave.
"""

from __future__ import annotations

import importlib
import queue
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Literal, Protocol

from rich.console import Console

from artemis.bench.androidworld.agent import DriverFactory, make_agent
from artemis.bench.androidworld.deps import load_android_world
from artemis.bench.androidworld.device import EmulatorLostError
from artemis.bench.androidworld.emulators import Emulator, port_open
from artemis.bench.androidworld.results import UsageLedger, instance_name
from artemis.config import Settings, load_settings
from artemis.errors import ArtemisError, BenchmarkError

#: Builds the per-episode driver factory: "module:function", called as
#: `function(settings, trajectories_dir)`.
DEFAULT_AGENT_BUILDER = "artemis.bench.androidworld.pipeline:build_drivers"

AgentBuilder = Callable[[Settings, Path], DriverFactory]


class TaskQueue(Protocol):
    def get_nowait(self) -> str: ...

    def put(self, item: str) -> None: ...


@dataclass(frozen=True, slots=True)
class WorkerJob:
    """Everything a worker needs; picklable, so that it can cross to a process."""

    emulator: Emulator
    adb_path: str
    family: str
    tasks: tuple[str, ...]  # every template of the run (the suite is built the same everywhere)
    n_task_combinations: int
    seed: int
    checkpoint_dir: str
    agent_builder: str = DEFAULT_AGENT_BUILDER
    config_file: str | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    emulator_setup: bool = False
    call_timeout_s: float = 120.0


@dataclass(slots=True)
class WorkerResult:
    emulator: Emulator
    status: Literal["done", "lost", "unavailable", "failed"]
    message: str = ""
    templates: list[str] = field(default_factory=list)  # templates it ran to the end


def load_builder(path: str) -> AgentBuilder:
    module, _, attr = path.partition(":")
    if not module or not attr:
        raise BenchmarkError(f"agent builder {path!r} is not 'module:function'")
    try:
        fn = getattr(importlib.import_module(module), attr)
    except (ImportError, AttributeError) as exc:
        raise BenchmarkError(f"cannot load the agent builder {path!r}: {exc}") from exc
    if not callable(fn):
        raise BenchmarkError(f"agent builder {path!r} is not callable")
    return fn


def _progress_hook(
    agent: Any, ledger: UsageLedger, emulator: Emulator, console: Console
) -> Callable[..., None]:
    """Their `process_episodes_fn`: called after each instance is checkpointed.

    It records the instance's usage, prints one line, and stops the suite (by raising, outside
    android_world's per-task error handling) when the emulator is gone.
    """

    def hook(episodes: list[dict[str, Any]], print_summary: bool = False) -> None:
        del print_summary
        last = episodes[-1]
        name = instance_name(str(last["task_template"]), int(last["instance_id"]))
        error = last.get("exception_info") is not None
        usage = agent.take_usage()
        success = None if error else float(last["is_successful"])
        ledger.append(name, usage, error=error, success=success)
        outcome = "error" if error else f"success {float(last['is_successful']):.2f}"
        console.print(
            f"[{emulator.name}] {name}: {outcome}, {usage.steps} steps, "
            f"{usage.tokens:,} tokens, ${usage.cost_usd:.4f}",
            highlight=False,
            markup=False,
        )
        if agent.lost or (error and not port_open(emulator.host, emulator.console_port)):
            raise EmulatorLostError(f"{emulator.name} was lost during {name}")

    return hook


def run_worker(job: WorkerJob, tasks: TaskQueue) -> WorkerResult:
    """Run templates from `tasks` on `job.emulator` until none is left or the emulator is lost."""
    console = Console()
    aw = load_android_world()
    settings = load_settings(job.config_file, **job.overrides)
    builder = load_builder(job.agent_builder)
    try:
        env = aw.env_launcher.load_and_setup_env(
            console_port=job.emulator.console_port,
            emulator_setup=job.emulator_setup,
            freeze_datetime=True,
            adb_path=job.adb_path,
            grpc_port=job.emulator.grpc_port,
        )
    except Exception as exc:  # boundary: this emulator cannot be used; the others go on
        return WorkerResult(job.emulator, "unavailable", f"cannot set up {job.emulator}: {exc}")
    emu = job.emulator
    try:
        drivers = builder(settings, Path(job.checkpoint_dir) / "trajectories")
    except ArtemisError as exc:  # e.g. no model configured: every worker would say the same
        _close(None, env)
        return WorkerResult(emu, "failed", str(exc))
    agent = make_agent(
        env,
        drivers,
        android_world=aw,
        alive=lambda: port_open(emu.host, emu.console_port),
        call_timeout_s=job.call_timeout_s,
        name=f"artemis-{emu.console_port}",
    )
    result = WorkerResult(emu, "done")
    try:
        suite = aw.suite_utils.create_suite(
            aw.registry.TaskRegistry().get_registry(family=job.family),
            n_task_combinations=job.n_task_combinations,
            seed=job.seed,
            tasks=list(job.tasks),
            env=env,
        )
        checkpointer = aw.checkpointer.IncrementalCheckpointer(job.checkpoint_dir)
        ledger = UsageLedger(Path(job.checkpoint_dir), str(emu.console_port))
        hook = _progress_hook(agent, ledger, emu, console)
        while True:
            try:
                name = tasks.get_nowait()
            except queue.Empty:
                break
            sub = aw.suite_utils.Suite({name: suite[name]})
            sub.suite_family = job.family
            try:
                aw.suite_utils.run(sub, agent, checkpointer=checkpointer, process_episodes_fn=hook)
            except EmulatorLostError as exc:
                tasks.put(name)
                result.status, result.message = "lost", str(exc)
                break
            result.templates.append(name)
    except ArtemisError as exc:
        result.status, result.message = "failed", str(exc)
    finally:
        _close(agent, env)
    return result


def _close(agent: Any, env: Any) -> None:
    for fn in (getattr(agent, "close", None), env.close):
        if fn is None:
            continue
        try:
            fn()
        except Exception:  # closing a lost emulator's env may fail; nothing is left to save
            continue
