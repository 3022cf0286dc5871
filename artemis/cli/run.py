"""`artemis run "TASK"`: one episode of the deliberative loop, shown live, recorded on disk."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.markup import escape

from artemis.agent import EpisodeResult, run_episode
from artemis.agent.display import LiveDisplay, final_line
from artemis.agent.episode import check_task
from artemis.agent.events import AgentEvent, OnEvent
from artemis.cli import app
from artemis.cli.common import console, err_console, settings, state
from artemis.config import Settings
from artemis.device.connect import SIM, for_sim, open_device
from artemis.device.targets import SimTarget, parse_target
from artemis.durable import ensure_dir
from artemis.errors import NoDeviceError
from artemis.models.roles import RoleModels, build_role_models
from artemis.safety.confirm import TerminalConfirmer
from artemis.tips.factory import open_tip_store


async def run_task(
    task: str,
    s: Settings,
    address: str | None,
    roles: RoleModels | None = None,
    on_event: OnEvent | None = None,
) -> EpisodeResult:
    """Resolve the models (unless given), open the tips and the device, and run one episode,
    shown live (or through `on_event`)."""
    if roles is None:
        roles = build_role_models(s)
    try:
        async with (
            contextlib.aclosing(await open_tip_store(s)) as tips,
            contextlib.AsyncExitStack() as stack,
        ):
            target = address or s.device.address
            sim = target is not None and isinstance(parse_target(target), SimTarget)
            if sim:
                s = for_sim(s)
            try:
                device = await stack.enter_async_context(open_device(s, target))
            except NoDeviceError:
                console.print("[dim]no device found: using the simulated phone[/dim]")
                s = for_sim(s)
                device = await stack.enter_async_context(open_device(s, SIM))
            else:
                if sim:
                    console.print("[dim]device: the simulated phone (in-process)[/dim]")
                else:
                    console.print(f"[dim]device: {device.address} ({device.route})[/dim]")
            # A person at the terminal answers the gate's "confirm"; otherwise the setting
            # safety.on_confirm does.
            confirm = TerminalConfirmer(console) if sys.stdin.isatty() else None
            return await run_episode(
                task,
                device,
                roles,
                tips,
                s,
                s.runs_dir,
                on_event=on_event or LiveDisplay(console),
                confirm=confirm,
            )
    finally:
        await roles.aclose()


@app.command("run")
def run(
    task: Annotated[str, typer.Argument(help="what to do, in plain words")],
    device: Annotated[
        str | None,
        typer.Option(
            "--device",
            "-d",
            help="a serial or adb:SERIAL (through the adb server, as `adb devices` lists it), "
            "HOST:PORT (adbd directly), usb[:SERIAL], or 'sim' for the simulated phone "
            "(default: device.address, else the adb server's first device, else a local "
            "emulator port, else the simulated phone)",
        ),
    ] = None,
    model: Annotated[
        str | None,
        typer.Option(
            "--model",
            "-m",
            help="model spec for every role, e.g. openai:gpt-4o, or 'heuristic' (offline "
            "baseline, no LLM)",
        ),
    ] = None,
    max_steps: Annotated[
        int | None, typer.Option("--max-steps", min=1, help="step budget (agent.max_steps)")
    ] = None,
    out: Annotated[
        Path | None, typer.Option("--out", "-o", help="folder for trajectories (runs_dir)")
    ] = None,
) -> None:
    """Carry out TASK on a device: plan, check, correct, gate, act, reflect; exit 1 unless it
    succeeds (130 when interrupted: the steps finished so far are kept). On a terminal, the
    safety gate asks before a sensitive action (y/N)."""
    task = check_task(task)
    s = settings(model=model, agent={"max_steps": max_steps}, runs_dir=out)
    # Refused before any work: a model that cannot run agent episodes, an unwritable --out.
    roles = build_role_models(s)
    ensure_dir(s.runs_dir)
    display = LiveDisplay(console, verbose=state.verbose > 0, progress=True)
    trajectory: list[str] = []

    def on_event(event: AgentEvent) -> None:
        if event.kind == "episode":
            trajectory.append(str(event.data.get("path")))
        display(event)

    try:
        result = asyncio.run(run_task(task, s, device, roles, on_event))
    except KeyboardInterrupt:
        display.close()
        where = f": the steps finished so far are in {trajectory[0]}" if trajectory else ""
        err_console.print(
            f"[yellow]interrupted[/yellow]{escape(where)}", highlight=False, soft_wrap=True
        )
        raise typer.Exit(130) from None
    finally:
        display.close()
    tokens = int(result.usage.get("total", {}).get("total_tokens", 0))
    console.print(final_line(result.outcome, result.reason, result.steps, str(result.path), tokens))
    if not result.success:
        raise typer.Exit(1)
