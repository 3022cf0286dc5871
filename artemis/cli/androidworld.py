"""`artemis bench androidworld`: the AndroidWorld evaluation.

`register(bench_app)` adds the command to a `bench` group; the bottom of this module adds it
to the shared one in `artemis.cli.bench`.
"""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from artemis.cli.common import console, settings, state

_HELP = (
    "Run artemis on AndroidWorld (google-research/android_world) and print its success rate."
    "\n\n"
    "Needs android_world installed in this environment (it is not on PyPI; without it the "
    "command says how to install it) and running emulators (AVD AndroidWorldAvd, Pixel 6, "
    "API 33, started with -grpc). Resumes from --checkpoint-dir through android_world's "
    "checkpoints."
)


def androidworld(
    tasks: Annotated[
        list[str] | None,
        typer.Option(
            "--tasks",
            help="task template(s) to run, repeatable or comma-separated "
            "(e.g. ContactsAddContact); default: every task of the family",
        ),
    ] = None,
    n_task_combinations: Annotated[
        int,
        typer.Option(
            "--n-task-combinations", min=1, help="instances (parameter draws) per task template"
        ),
    ] = 1,
    task_random_seed: Annotated[
        int, typer.Option("--task-random-seed", help="seed of the task parameters")
    ] = 30,
    console_port: Annotated[
        int,
        typer.Option("--console-port", help="console port of the emulator (adbd is the next port)"),
    ] = 5554,
    grpc_port: Annotated[
        int, typer.Option("--grpc-port", help="gRPC port the emulator was started with")
    ] = 8554,
    emulators: Annotated[
        str | None,
        typer.Option(
            "--emulators",
            help="several emulators: a count N (console ports --console-port + 2i, gRPC ports "
            "--grpc-port + i) or CONSOLE:GRPC pairs, e.g. 5554:8554,5556:8555 (HOST:CONSOLE:GRPC "
            "for another machine's, with --ray); tasks are split across them and the results "
            "merged",
        ),
    ] = None,
    checkpoint_dir: Annotated[
        Path | None,
        typer.Option(
            "--checkpoint-dir",
            help="folder of android_world's checkpoints; an existing one is resumed "
            "(default: a new folder under the runs directory)",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option("--model", help="model spec for every role, e.g. openai:qwen2.5-vl-72b"),
    ] = None,
    family: Annotated[
        str,
        typer.Option("--suite-family", help="android_world task family (android_world, ...)"),
    ] = "android_world",
    adb_path: Annotated[
        str | None,
        typer.Option(
            "--adb-path", help="adb binary (default: $ANDROID_HOME, the SDK's places, PATH)"
        ),
    ] = None,
    emulator_setup: Annotated[
        bool,
        typer.Option(
            "--emulator-setup",
            help="install and set up the apps first: needed once per fresh emulator",
        ),
    ] = False,
    ray: Annotated[
        str | None,
        typer.Option(
            "--ray",
            metavar="ADDRESS",
            help="run on a Ray cluster (auto, or HOST:PORT of its head): one actor per "
            "emulator, on the node that hosts it; needs artemis\\[ray]",
        ),
    ] = None,
    call_timeout: Annotated[
        float,
        typer.Option(
            "--call-timeout",
            min=1.0,
            help="seconds an env call may take before the emulator counts as lost",
        ),
    ] = 120.0,
) -> None:
    # Imported here so that `--help` and the rest of the CLI never import the benchmark.
    from artemis.bench.androidworld.emulators import parse_emulators
    from artemis.bench.androidworld.runner import RunOptions, run_androidworld
    from artemis.bench.distributed.cluster import check_address

    overrides = {"model": model}
    s = settings(**overrides)
    options = RunOptions(
        emulators=parse_emulators(emulators, console_port=console_port, grpc_port=grpc_port),
        tasks=tuple(tasks or ()),
        n_task_combinations=n_task_combinations,
        task_random_seed=task_random_seed,
        checkpoint_dir=checkpoint_dir,
        family=family,
        adb_path=adb_path,
        emulator_setup=emulator_setup,
        config_file=state.config_file,
        overrides={k: v for k, v in overrides.items() if v is not None},
        call_timeout_s=call_timeout,
        ray=check_address(ray) if ray is not None else None,
    )
    run_androidworld(options, s, console)


def register(bench_app: typer.Typer) -> None:
    """Add `androidworld` to a `bench` command group."""
    bench_app.command("androidworld", help=_HELP)(androidworld)


# The shared `bench` group (artemis.cli.bench) gets this command here.
from artemis.cli.bench import bench_app  # noqa: E402

register(bench_app)
