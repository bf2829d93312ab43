"""The root command: global options, ``run`` and the sub-command groups."""

from __future__ import annotations

import asyncio
import signal
from pathlib import Path
from typing import Annotated

import typer

from lorahub import __version__
from lorahub.bootstrap import run_service
from lorahub.cli import (
    alerts,
    catalog,
    channels,
    dashboards,
    deadletters,
    decode,
    demo,
    devices,
    rules,
    simulate,
    sites,
    tenants,
    tokens,
)
from lorahub.cli.context import EXIT_CONFIG, CliState, err, settings_of
from lorahub.errors import ConfigError
from lorahub.logs import configure_logging

app = typer.Typer(
    name="lorahub",
    help="LoRaWAN ingestion for smart villages: MQTT uplinks to InfluxDB.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)
app.add_typer(tenants.app, name="tenants")
app.add_typer(sites.app, name="sites")
app.add_typer(tokens.app, name="tokens")
app.add_typer(devices.app, name="devices")
app.add_typer(deadletters.app, name="deadletters")
app.add_typer(catalog.app, name="catalog")
app.add_typer(rules.app, name="rules")
app.add_typer(alerts.app, name="alerts")
app.add_typer(dashboards.app, name="dashboards")
app.add_typer(channels.app, name="channels")
app.command("decode")(decode.decode_command)
app.command("simulate")(simulate.simulate_command)
app.command("demo")(demo.demo_command)


def _version(value: bool) -> None:
    if value:
        typer.echo(__version__)
        raise typer.Exit


@app.callback()
def root(
    ctx: typer.Context,
    config: Annotated[
        Path | None,
        typer.Option(
            "--config", "-c", envvar="LORAHUB_CONFIG", help="Settings file (TOML).", dir_okay=False
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version.")
    ] = False,
) -> None:
    """lorahub: LoRaWAN uplinks from ChirpStack or The Things Stack into InfluxDB."""
    ctx.obj = CliState(config=config)


@app.command("run")
def run_command(ctx: typer.Context) -> None:
    """Run the ingestion service until SIGTERM or Ctrl-C (then flush and exit 0)."""
    settings = settings_of(ctx)
    configure_logging(settings.logging)

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGTERM, signal.SIGINT):
            loop.add_signal_handler(signum, stop.set)
        await run_service(settings, stop)

    try:
        asyncio.run(main())
    except ConfigError as exc:
        err.print(f"[red]configuration error:[/red] {exc}")
        raise typer.Exit(EXIT_CONFIG) from exc


def main() -> None:
    """Entry point of the ``lorahub`` script."""
    app()
