"""`artemis run "TASK"`: one episode of the deliberative loop, shown live, recorded on disk."""

from __future__ import annotations

import asyncio
import contextlib
import sys
from pathlib import Path
from typing import Annotated

import typer

from artemis.agent import EpisodeResult, run_episode
from artemis.agent.display import LiveDisplay, final_line
from artemis.cli import app
from artemis.cli.common import console, settings
from artemis.config import Settings
from artemis.device.connect import open_device
from artemis.models.roles import build_role_models
from artemis.safety.confirm import TerminalConfirmer
from artemis.tips.factory import open_tip_store


async def run_task(task: str, s: Settings, address: str | None) -> EpisodeResult:
    """Resolve the models, open the tips and the device, and run one episode."""
    roles = build_role_models(s)  # fails first, with how to configure a model
    try:
        async with contextlib.aclosing(await open_tip_store(s)) as tips:
            target = address or s.device.address
            async with open_device(s, target, fallback_to_sim=target is None) as device:
                if getattr(device, "sim", None) is None:
                    console.print(f"[dim]device: {device.address} ({device.route})[/dim]")
                elif target is None:
                    console.print("[dim]no device found: using the simulated phone[/dim]")
                else:
                    console.print("[dim]device: the simulated phone (in-process)[/dim]")
                # A person at the terminal answers the gate's "confirm"; otherwise the
                # setting safety.on_confirm does.
                confirm = TerminalConfirmer(console) if sys.stdin.isatty() else None
                return await run_episode(
                    task,
                    device,
                    roles,
                    tips,
                    s,
                    s.runs_dir,
                    on_event=LiveDisplay(console),
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
    succeeds. On a terminal, the safety gate asks before a sensitive action (y/N)."""
    s = settings(model=model, agent={"max_steps": max_steps}, runs_dir=out)
    result = asyncio.run(run_task(task, s, device))
    tokens = int(result.usage.get("total", {}).get("total_tokens", 0))
    console.print(final_line(result.outcome, result.reason, result.steps, str(result.path), tokens))
    if not result.success:
        raise typer.Exit(1)
