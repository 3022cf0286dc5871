"""`artemis devices`: which devices answer, with state, model, Android version and screen size.

Without names it lists the adb server's devices (every state, as `adb devices` does) and the
emulator adb ports on 127.0.0.1 that answer directly and that the server does not list.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from typing import Annotated

import typer
from rich.table import Table

from artemis.cli import app
from artemis.cli.common import console, err_console, settings
from artemis.config import Settings
from artemis.device.adb import AdbDevice
from artemis.device.adbserver import state_advice
from artemis.device.base import DeviceInfo
from artemis.device.connect import (
    DEFAULT_PORTS,
    PROBE_TIMEOUT_S,
    connect_adb,
    connect_target,
    discover,
    open_device,
)
from artemis.device.targets import ServerTarget, SimTarget, parse_target
from artemis.errors import ArtemisError


@dataclass(frozen=True, slots=True)
class Row:
    name: str
    route: str
    state: str
    info: DeviceInfo | None = None


async def _info(device: AdbDevice, s: Settings) -> DeviceInfo | str:
    try:
        return await asyncio.wait_for(device.info(), s.device.command_timeout_s)
    except TimeoutError:
        return (
            f"{device.address} connected but did not answer within {s.device.command_timeout_s:g} s"
        )
    except ArtemisError as exc:
        return f"{device.address}: {exc}"


async def _named(name: str, s: Settings) -> Row | str:
    try:
        async with open_device(s, name) as device:
            info = await _info(device, s)
            route = "in-process" if isinstance(parse_target(name), SimTarget) else device.route
            return info if isinstance(info, str) else Row(device.address, route, "device", info)
    except ArtemisError as exc:
        return str(exc)


async def _server_row(serial: str, s: Settings) -> Row | str:
    try:
        device = await connect_target(ServerTarget(serial), s)
    except ArtemisError as exc:
        return str(exc)
    try:
        info = await _info(device, s)
    finally:
        await device.close()
    return info if isinstance(info, str) else Row(serial, device.route, "device", info)


async def _direct_row(address: str, s: Settings) -> Row | None:
    try:
        device = await connect_adb(address, s, connect_timeout_s=PROBE_TIMEOUT_S)
    except ArtemisError:
        return None  # nothing there: ports without an emulator are the usual case
    try:
        info = await _info(device, s)
    finally:
        await device.close()
    return None if isinstance(info, str) else Row(address, device.route, "device", info)


async def _discover_all(s: Settings) -> tuple[list[Row], list[str], str]:
    """Rows, problems (one line each), and one line on what was looked at."""
    found = await discover(s)
    rows: list[Row] = []
    problems: list[str] = []
    entries = found.server_devices or []
    ready = [e.serial for e in entries if e.ready]
    results = await asyncio.gather(
        *(_server_row(serial, s) for serial in ready),
        *(_direct_row(str(t), s) for t in found.direct),
    )
    by_serial = dict(zip(ready, results[: len(ready)], strict=True))
    for entry in entries:
        result = by_serial.get(entry.serial)
        if isinstance(result, Row):
            rows.append(result)
        else:
            rows.append(Row(entry.serial, "adb server", entry.state))
            problems.append(result or state_advice(entry.serial, entry.state))
    rows.extend(r for r in results[len(ready) :] if isinstance(r, Row))
    server = (
        f"no adb server answers at {found.server}"
        if found.server_devices is None
        else f"the adb server at {found.server} lists {len(entries)} device(s)"
    )
    where = f"{server}; 127.0.0.1 ports {DEFAULT_PORTS[0]}-{DEFAULT_PORTS[-1]} were tried directly"
    return rows, problems, where


def _table(rows: list[Row]) -> Table:
    # No column may be cut: a serial is what the user types next.
    table = Table(box=None, pad_edge=False, header_style="bold")
    for column in ("serial", "route", "state", "model", "Android", "SDK", "screen"):
        table.add_column(column, no_wrap=True)
    for row in rows:
        info = row.info
        table.add_row(
            row.name,
            row.route,
            row.state,
            info.model if info else "",
            info.android_version if info else "",
            (str(info.sdk) if info.sdk is not None else "?") if info else "",
            f"{info.width}x{info.height}" if info else "",
        )
    return table


@app.command("devices")
def devices(
    names: Annotated[
        list[str] | None,
        typer.Argument(
            help="devices to look at: a serial or adb:SERIAL (through the adb server), "
            "HOST:PORT (adbd directly), usb[:SERIAL]; default: the adb server's devices and "
            "the emulator ports 127.0.0.1:5555, 5557, ... 5585",
            show_default=False,
        ),
    ] = None,
) -> None:
    """List devices: the adb server's and those that answer directly, with their state, model,
    Android version and screen size."""
    s = settings()
    if names:
        results = asyncio.run(_gather_named(names, s))
        rows = [r for r in results if isinstance(r, Row)]
        problems = [r for r in results if isinstance(r, str)]
        where = ""
    else:
        rows, problems, where = asyncio.run(_discover_all(s))
    if rows:
        console.print(_table(rows))
    for line in problems:
        err_console.print(f"[red]error:[/red] {line}", highlight=False, soft_wrap=True)
    usable = any(r.info is not None for r in rows)
    if not rows and where:
        err_console.print(
            f"[red]error:[/red] no device found: {where} (connect a phone, or start an "
            "emulator: see emulator/README.md)",
            highlight=False,
            soft_wrap=True,
        )
    if (names and problems) or not usable:
        raise typer.Exit(1)


async def _gather_named(names: list[str], s: Settings) -> list[Row | str]:
    return list(await asyncio.gather(*(_named(n, s) for n in names)))
