"""`artemis sim serve`: the simulated phone as an ADB device on a TCP port."""

from __future__ import annotations

import asyncio
import importlib
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Annotated

import typer

from artemis.cli import app
from artemis.cli.common import console
from artemis.errors import ConfigError, DependencyMissingError
from artemis.sim.contract import PhoneLike
from artemis.sim.faults import Faults
from artemis.sim.server import SimServer

sim_app = typer.Typer(help="The simulated phone.", no_args_is_help=True)
app.add_typer(sim_app, name="sim")


def make_phone(seed: int) -> PhoneLike:
    """`artemis.sim.phone.Phone(seed=seed)`, imported when asked for."""
    try:
        module = importlib.import_module("artemis.sim.phone")
    except ImportError as exc:
        raise DependencyMissingError(f"the simulated phone is not available: {exc}") from exc
    phone: PhoneLike = module.Phone(seed=seed)
    return phone


def read_keys(path: Path) -> list[str]:
    """Public keys, one per line, as in a device's `adb_keys` or an `adbkey.pub`."""
    try:
        lines = path.read_text().splitlines()
    except OSError as exc:
        raise ConfigError(f"cannot read the key file {path}: {exc.strerror or exc}") from exc
    return [line for line in lines if line.strip() and not line.startswith("#")]


async def serve(
    phone: PhoneLike,
    host: str,
    port: int,
    *,
    auth_keys: list[str] | None = None,
    faults: Faults | None = None,
    secure: Sequence[str] = (),
    on_ready: Callable[[SimServer], None] | None = None,
) -> None:
    """Serve until cancelled (Ctrl-C). Apps in `secure` set FLAG_SECURE on their windows."""
    try:
        server = SimServer(phone, host=host, port=port, auth_keys=auth_keys, faults=faults)
        for package in secure:
            server.ctx.windows.secure(package)
        await server.start()
    except OSError as exc:
        raise ConfigError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from exc
    auth = f", {len(auth_keys)} authorised key(s)" if auth_keys is not None else ""
    console.print(
        f"the simulated phone is listening on {server.address}{auth}; "
        f"try: adb connect {server.address}",
        highlight=False,
        soft_wrap=True,
    )
    if on_ready is not None:
        on_ready(server)
    try:
        await server.serve_forever()
    finally:
        await server.stop()


@sim_app.command("serve")
def serve_cmd(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(help="TCP port (0: any free port)")] = 5555,
    seed: Annotated[int, typer.Option(help="seed of the phone's initial state")] = 0,
    auth_keys: Annotated[
        Path | None,
        typer.Option(help="require ADB auth: file of accepted public keys (like adb_keys)"),
    ] = None,
    drop_rate: Annotated[
        float,
        typer.Option(
            min=0.0, max=1.0, help="fault: drop each command's connection with this chance"
        ),
    ] = 0.0,
    secure: Annotated[
        list[str] | None,
        typer.Option(
            help="package whose windows set FLAG_SECURE: screencap gives black (repeatable)",
            show_default=False,
        ),
    ] = None,
) -> None:
    """Serve the simulated phone over the ADB protocol (Ctrl-C stops it)."""
    keys = read_keys(auth_keys) if auth_keys is not None else None
    faults = Faults(seed=seed, drop_rate=drop_rate)
    phone = make_phone(seed)
    asyncio.run(serve(phone, host, port, auth_keys=keys, faults=faults, secure=secure or ()))
