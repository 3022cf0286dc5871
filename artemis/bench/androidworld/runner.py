"""`artemis bench androidworld`: run artemis on AndroidWorld and report it their way.

The run uses android_world's own pieces: `env_launcher.load_and_setup_env` for each emulator,
`suite_utils.create_suite` for the task instances (seeded as theirs), `suite_utils.run` with
an `IncrementalCheckpointer` for the episodes (their step budget, `int(10 * complexity)`;
their per-task error handling; their resume). android_world's `run.py` is never imported: its
flags look for an Android SDK when the module loads.

Task templates go to the emulators through one queue, so a fast emulator takes more of them,
and the results are merged from the shared checkpoint folder.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import logging
import multiprocessing
import queue
import threading
from collections.abc import Mapping, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from rapidfuzz import process as fuzz_process
from rich.console import Console

from artemis.bench.androidworld.deps import ANDROID_WORLD_COMMIT, AndroidWorld, load_android_world
from artemis.bench.androidworld.emulators import (
    Emulator,
    check_emulators,
    find_adb,
    is_loopback,
)
from artemis.bench.androidworld.results import (
    Summary,
    progress_counts,
    read_ledgers,
    render,
    summarize,
)
from artemis.bench.androidworld.worker import (
    DEFAULT_AGENT_BUILDER,
    WorkerJob,
    WorkerResult,
    run_worker,
)
from artemis.config import Settings
from artemis.durable import write_json
from artemis.errors import BenchmarkError
from artemis.progress import Tracker

log = logging.getLogger(__name__)

DEFAULT_FAMILY = "android_world"
MANIFEST = "artemis_run.json"
SUMMARY = "artemis_summary.json"
_EPISODE_FIELDS = ["task_template", "instance_id", "is_successful", "episode_length"]


@dataclass(frozen=True, slots=True)
class RunOptions:
    """The options of one run (the CLI's flags)."""

    emulators: tuple[Emulator, ...]
    tasks: tuple[str, ...] = ()  # empty: the whole family
    n_task_combinations: int = 1
    task_random_seed: int = 30
    checkpoint_dir: Path | None = None
    family: str = DEFAULT_FAMILY
    adb_path: str | None = None
    emulator_setup: bool = False
    agent_builder: str = DEFAULT_AGENT_BUILDER
    config_file: Path | None = None
    overrides: dict[str, Any] = field(default_factory=dict)
    call_timeout_s: float = 120.0
    #: A Ray cluster's address: one actor per emulator, on the node that hosts it.
    ray: str | None = None


def select_tasks(registry: Mapping[str, Any], wanted: Sequence[str], family: str) -> list[str]:
    """The task templates to run, sorted; unknown names are an error with a suggestion."""
    names = sorted(registry)
    if not wanted:
        return names
    chosen: list[str] = []
    for raw in wanted:
        for name in (n.strip() for n in raw.split(",")):
            if not name or name in chosen:
                continue
            if name not in registry:
                best = fuzz_process.extractOne(name, names)
                hint = f"; did you mean {best[0]}?" if best and best[1] >= 80 else ""
                raise BenchmarkError(f"no task {name!r} in the {family} family{hint}")
            chosen.append(name)
    return sorted(chosen)


def recorded_name(task_type: Any) -> str:
    """The name android_world records a registry entry's episodes and checkpoints under.

    That is the instance's `task.name`, not the registry key: MiniWoB's keys are its HTML
    files (`click-button`) and its classes `MiniWobClickButton`. `name` is a property that
    reads only the class (`self.__class__.__name__`, or a name a wrapper class fixes), so it
    is read from an instance made without `__init__`, which would draw task parameters.
    """
    prop = getattr(task_type, "name", None)
    if isinstance(prop, property) and prop.fget is not None:
        try:
            name = prop.fget(object.__new__(task_type))
        except AttributeError:  # the name needs the instance's parameters: not the case so far
            name = None
        if isinstance(name, str) and name:
            return name
    return str(getattr(task_type, "__name__", task_type))


def _check_manifest(folder: Path, options: RunOptions) -> None:
    """A checkpoint folder resumes only the run it was made for (same seed and instances)."""
    path = folder / MANIFEST
    want = {
        "family": options.family,
        "task_random_seed": options.task_random_seed,
        "n_task_combinations": options.n_task_combinations,
    }
    if path.is_file():
        try:
            have = json.loads(path.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise BenchmarkError(
                f"{path} is unreadable ({exc}); use another --checkpoint-dir"
            ) from None
        diff = {k: have.get(k) for k, v in want.items() if have.get(k) != v}
        if diff:
            was = ", ".join(f"{k}={v}" for k, v in diff.items())
            raise BenchmarkError(
                f"{folder} holds a run made with {was}: resume it with the same options, or "
                "start a new run with another --checkpoint-dir"
            )
        return
    write_json(path, {**want, "android_world_commit_checked": ANDROID_WORLD_COMMIT})


def default_checkpoint_dir(settings: Settings) -> Path:
    stamp = dt.datetime.now().strftime("%Y%m%dT%H%M%S")
    return settings.runs_dir / "androidworld" / f"run_{stamp}"


def _run_workers(jobs: Sequence[WorkerJob], templates: Sequence[str]) -> list[WorkerResult]:
    """Run every job to the end; one emulator runs in this process, several in their own."""
    if len(jobs) == 1:
        tasks: queue.Queue[str] = queue.Queue()
        for name in templates:
            tasks.put(name)
        return [_guarded(jobs[0], tasks)]
    ctx = multiprocessing.get_context("spawn")
    with ctx.Manager() as manager:
        shared = manager.Queue()
        for name in templates:
            shared.put(name)
        with ProcessPoolExecutor(len(jobs), mp_context=ctx) as pool:
            futures = [(job, pool.submit(_guarded, job, shared)) for job in jobs]
            results = []
            for job, future in futures:
                try:
                    results.append(future.result())
                except Exception as exc:  # a worker process died: record it, keep the others
                    results.append(WorkerResult(job.emulator, "failed", f"worker died: {exc!r}"))
            return results


def _guarded(job: WorkerJob, tasks: Any) -> WorkerResult:
    """`run_worker`, with anything unexpected recorded as that worker's failure."""
    try:
        return run_worker(job, tasks)
    except Exception as exc:  # boundary: one emulator's failure must not hide the others'
        log.exception("worker for %s failed", job.emulator)
        return WorkerResult(job.emulator, "failed", f"{type(exc).__name__}: {exc}")


def run_androidworld(
    options: RunOptions, settings: Settings, console: Console | None = None
) -> Summary:
    """Run (or resume) an AndroidWorld evaluation; print and return its summary.

    Raises `DependencyMissingError` without android_world, `BenchmarkError` for bad options,
    a missing emulator or adb, and, after printing the summary, when an emulator was lost.
    """
    console = console or Console()
    aw = load_android_world()
    adb_path = find_adb(options.adb_path)
    if options.ray is None:
        remote = [str(e) for e in options.emulators if not is_loopback(e.host)]
        if remote:
            raise BenchmarkError(
                f"{', '.join(remote)}: emulators of other machines run on a Ray cluster "
                "(--ray ADDRESS), with an actor on each emulator's machine"
            )
        check_emulators(options.emulators)
    else:  # each actor checks its emulator on its own node
        check_emulators(tuple(e for e in options.emulators if is_loopback(e.host)))
    registry = _registry(aw, options.family)
    tasks = select_tasks(registry, options.tasks, options.family)
    folder = Path(options.checkpoint_dir or default_checkpoint_dir(settings)).expanduser()
    _check_manifest(folder, options)
    console.print(
        f"AndroidWorld ({options.family}): {len(tasks)} task template(s) x "
        f"{options.n_task_combinations}, seed {options.task_random_seed}, on "
        f"{', '.join(map(str, options.emulators))}\nCheckpoints: {folder} "
        "(run again with --checkpoint-dir to resume)",
        highlight=False,
    )
    base = WorkerJob(
        emulator=options.emulators[0],
        adb_path=adb_path,
        family=options.family,
        tasks=tuple(tasks),
        n_task_combinations=options.n_task_combinations,
        seed=options.task_random_seed,
        checkpoint_dir=str(folder),
        agent_builder=options.agent_builder,
        config_file=str(options.config_file) if options.config_file else None,
        overrides=dict(options.overrides),
        emulator_setup=options.emulator_setup,
        call_timeout_s=options.call_timeout_s,
    )
    jobs = [replace(base, emulator=emu) for emu in options.emulators]
    with _watch(folder, Tracker(console, "AndroidWorld", len(tasks) * options.n_task_combinations)):
        if options.ray is not None:
            from artemis.bench.distributed.androidworld import run_workers_on_ray

            recorded = {t: recorded_name(registry[t]) for t in tasks}
            results = asyncio.run(run_workers_on_ray(options.ray, jobs, recorded, folder))
        else:
            results = _run_workers(jobs, tasks)

    episodes = aw.checkpointer.IncrementalCheckpointer(str(folder)).load(
        fields=[*_EPISODE_FIELDS, "exception_info"]
    )
    planned = {recorded_name(registry[t]): options.n_task_combinations for t in tasks}
    summary = summarize(planned, episodes, read_ledgers(folder))
    write_json(folder / SUMMARY, summary.as_dict())
    notes = [f"{r.emulator}: {r.status}: {r.message}" for r in results if r.status != "done"]
    render(summary, console, notes=notes)
    if notes:
        raise BenchmarkError(
            "the run stopped early:\n"
            + "\n".join(notes)
            + f"\nWhat finished is saved in {folder}; run the same command with "
            f"--checkpoint-dir {folder} to resume."
        )
    return summary


class _watch:
    """Keeps `tracker` up to date from the ledgers the workers append to (they may be other
    processes), polled once a second while the run lasts."""

    def __init__(self, folder: Path, tracker: Tracker, interval_s: float = 1.0) -> None:
        self.folder, self.tracker, self.interval_s = folder, tracker, interval_s
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, name="aw-progress", daemon=True)

    def __enter__(self) -> Tracker:
        self.tracker.__enter__()
        self._thread.start()
        return self.tracker

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        self.tracker.close()

    def _poll(self) -> None:
        while True:
            self.tracker.set(*progress_counts(read_ledgers(self.folder)))
            if self._stop.wait(self.interval_s):
                return


def _registry(aw: AndroidWorld, family: str) -> Mapping[str, Any]:
    try:
        registry = aw.registry.TaskRegistry().get_registry(family=family)
    except ValueError as exc:
        raise BenchmarkError(f"unknown task family {family!r}: {exc}") from None
    return dict(registry)
