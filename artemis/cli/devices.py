"""`artemis devices`: which devices answer, with model, Android version and screen size."""

from __future__ import annotations

import asyncio
from typing import Annotated

import typer
from rich.table import Table

from artemis.cli import app
from artemis.cli.common import console, err_console, settings
from artemis.config import Settings
from artemis.device.base import DeviceInfo
from artemis.device.connect import DEFAULT_PORTS, PROBE_TIMEOUT_S, connect_adb
from artemis.errors import ArtemisError


async def _probe(address: str, s: Settings, timeout_s: float) -> DeviceInfo | str:
    try:
        device = await connect_adb(address, s, connect_timeout_s=timeout_s)
    except ArtemisError as exc:
        return str(exc)
    try:
        return await asyncio.wait_for(device.info(), s.device.command_timeout_s)
    except TimeoutError:
        return f"{address} connected but did not answer within {s.device.command_timeout_s:g} s"
    except ArtemisError as exc:
        return f"{address}: {exc}"
    finally:
        await device.close()


async def _probe_all(addresses: list[str], s: Settings, timeout_s: float) -> list[DeviceInfo | str]:
    return list(await asyncio.gather(*(_probe(a, s, timeout_s) for a in addresses)))


@app.command("devices")
def devices(
    addresses: Annotated[
        list[str] | None,
        typer.Argument(
            help="HOST:PORT of each device's adbd (default: 127.0.0.1 ports 5555, 5557, ... 5585)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List the devices that answer over ADB: model, Android version, screen size."""
    s = settings()
    explicit = bool(addresses)
    targets = addresses or [f"127.0.0.1:{port}" for port in DEFAULT_PORTS]
    timeout_s = s.device.connect_timeout_s if explicit else PROBE_TIMEOUT_S
    results = asyncio.run(_probe_all(targets, s, timeout_s))
    found = [r for r in results if isinstance(r, DeviceInfo)]
    dead = [r for r in results if isinstance(r, str)]
    if found:
        table = Table("address", "model", "Android", "SDK", "screen")
        for info in found:
            table.add_row(
                info.address,
                info.model,
                info.android_version,
                str(info.sdk) if info.sdk is not None else "?",
                f"{info.width}x{info.height}",
            )
        console.print(table)
    if explicit:
        for message in dead:
            err_console.print(f"[red]error:[/red] {message}", highlight=False)
    elif not found:
        err_console.print(
            f"[red]error:[/red] no device answered on 127.0.0.1 ports "
            f"{DEFAULT_PORTS[0]}-{DEFAULT_PORTS[-1]} (start one: see emulator/README.md)",
            highlight=False,
        )
    if dead and (explicit or not found):
        raise typer.Exit(1)
