"""``lorahub simulate``: publish realistic uplinks for the registered devices."""

from __future__ import annotations

import asyncio
import itertools
import signal
import time
from typing import Annotated

import typer

from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.cli.catalog_access import catalog_of
from lorahub.cli.context import EXIT_FAILURE, err, out, settings_of
from lorahub.simulation.envelopes import LnsFormat
from lorahub.simulation.fleet import Fleet
from lorahub.simulation.publisher import publish


def simulate_command(
    ctx: typer.Context,
    rate: Annotated[float, typer.Option(min=0.01, help="Uplinks per second.")] = 1.0,
    count: Annotated[int | None, typer.Option(min=1, help="Stop after this many.")] = None,
    lns: Annotated[
        str, typer.Option(help="Message format: chirpstack-v4 or tts-v3.")
    ] = "chirpstack-v4",
    seed: Annotated[
        int | None,
        typer.Option(
            help="Random seed, for a repeatable run (default: a new fleet state each run)."
        ),
    ] = None,
) -> None:
    """Publish uplinks of every registered device, in its model's real payload format."""
    if lns not in ("chirpstack-v4", "tts-v3"):
        err.print(f"[red]unknown format {lns!r}[/red]: use chirpstack-v4 or tts-v3")
        raise typer.Exit(EXIT_FAILURE)
    settings = settings_of(ctx)
    catalog = catalog_of(settings)
    devices = list(
        SqlDeviceRegistry(create_database_engine(settings.registry.url)).load_all().values()
    )
    try:
        fleet = Fleet(devices, catalog, seed)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]; register devices first (lorahub devices add/import)")
        raise typer.Exit(EXIT_FAILURE) from exc
    lns_format: LnsFormat = "tts-v3" if lns == "tts-v3" else "chirpstack-v4"
    clock = (time.time_ns() for _ in itertools.count())

    async def main() -> int:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        return await publish(
            settings.mqtt, fleet.messages(lns_format, clock), rate=rate, count=count, stop=stop
        )

    sent = asyncio.run(main())
    out.print(f"published {sent} uplinks of {len(fleet.members)} devices ({lns})")
