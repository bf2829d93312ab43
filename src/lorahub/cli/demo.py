"""``lorahub demo``: a local demo village (broker, database, simulator, service) in one command."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import signal
import time
from pathlib import Path
from typing import Annotated

import typer

from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.rules_sql import SqlRuleRepository
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.adapters.tokens_sql import SqlTokenRepository
from lorahub.bootstrap import run_service
from lorahub.cli.catalog_access import catalog_of
from lorahub.cli.context import err
from lorahub.daemons import InfluxDB, Mosquitto, free_port
from lorahub.logs import configure_logging
from lorahub.settings import load_settings
from lorahub.simulation.fleet import Fleet
from lorahub.simulation.publisher import publish
from lorahub.simulation.village import (
    MUNICIPALITIES,
    demo_devices,
    demo_rules,
    demo_sites,
    demo_tenants,
)

DATABASE = "lorahub"


def _write_config(
    folder: Path, mosquitto: Mosquitto, influx: InfluxDB, catalog_dir: Path, web_port: int
) -> Path:
    path = folder / "lorahub.toml"
    path.write_text(
        f"""# Written by `lorahub demo`; every key is documented in deploy/lorahub.example.toml.
[mqtt]
host = "127.0.0.1"
port = {mosquitto.port}
client_id = "lorahub-demo"

[influx]
api = "v1"
url = "{influx.url}"
database = "{DATABASE}"

[registry]
url = "sqlite:///{folder / "registry.db"}"

[catalog]
dir = "{catalog_dir}"

[pipeline]
batch_max_age_ms = 500

[spool]
dir = "{folder / "spool"}"

[web]
port = {web_port}
"""
    )
    return path


def demo_command(
    folder: Annotated[
        Path, typer.Option("--dir", help="Work folder for broker and database.")
    ] = Path(".demo"),
    rate: Annotated[float, typer.Option(min=0.1, help="Simulated uplinks per second.")] = 5.0,
    duration: Annotated[
        float | None, typer.Option(min=1, help="Stop after this many seconds (default: Ctrl-C).")
    ] = None,
    catalog_dir: Annotated[Path, typer.Option(help="Device catalog folder.")] = Path("decoders"),
) -> None:
    """Start Mosquitto and InfluxDB, register a demo village and ingest simulated uplinks."""
    folder = folder.resolve()
    folder.mkdir(parents=True, exist_ok=True)
    mosquitto, influx = Mosquitto(folder / "mosquitto"), InfluxDB(folder / "influxdb")
    with mosquitto, influx:
        influx.create_database(DATABASE)
        config = _write_config(folder, mosquitto, influx, catalog_dir.resolve(), free_port())
        (folder / "registry.db").unlink(missing_ok=True)  # a fresh village each run
        settings = load_settings(config)
        configure_logging(settings.logging)
        catalog = catalog_of(settings)
        engine = create_database_engine(settings.registry.url)
        registry = SqlDeviceRegistry(engine)
        devices = [d for d in demo_devices() if d.model in catalog]
        now = time.time_ns()
        tenancy = SqlTenantRepository(engine)
        for tenant in demo_tenants():
            tenancy.add_tenant(tenant, now)
        for site in demo_sites():
            tenancy.add_site(site, now)
        registry.upsert(devices, now)
        rules = SqlRuleRepository(engine)
        for tenant_id, tenant_rules in demo_rules().items():
            rules.load(tenant_id, tenant_rules, now, prune=True)
        token = SqlTokenRepository(engine).create("demo-admin", "admin", [], now)
        _print_where_to_look(config, influx, len(devices), settings.web.port, token)
        fleet = Fleet(devices, catalog)
        clock = (time.time_ns() for _ in itertools.count())

        async def main() -> None:
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for signum in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(signum, stop.set)
            if duration is not None:
                loop.call_later(duration, stop.set)
            async with asyncio.TaskGroup() as tasks:
                tasks.create_task(run_service(settings, stop), name="service")
                await asyncio.sleep(1.0)
                tasks.create_task(
                    publish(
                        settings.mqtt,
                        fleet.messages("chirpstack-v4", clock),
                        rate=rate,
                        count=None,
                        stop=stop,
                    ),
                    name="simulator",
                )

        with contextlib.suppress(KeyboardInterrupt):
            asyncio.run(main())
        written = influx.count(DATABASE, "uplinks", "f_port")
    err.print(f"demo stopped after {written} uplinks written; data stays in {folder}")


def _print_where_to_look(
    config: Path, influx: InfluxDB, devices: int, web_port: int, token: str
) -> None:
    query = "SELECT last(*) FROM readings GROUP BY device"
    typer.echo(
        f"""lorahub demo village: {devices} devices of {len(MUNICIPALITIES)} municipalities \
({", ".join(MUNICIPALITIES)})
  settings:     {config}
  InfluxDB:     {influx.url}  database '{DATABASE}'
  latest data:  curl -sG {influx.url}/query --data-urlencode db={DATABASE} \\
                  --data-urlencode "q={query}"
  hub page:     http://127.0.0.1:{web_port}/hubs/lindenau-dorfhub   (public; kiosk: ?kiosk=1)
                sign in for every room and the fleet: http://127.0.0.1:{web_port}/login?next=/fleet
  parcels:      http://127.0.0.1:{web_port}/parcels/lindenau-paketstation-bahnhof
  public feed:  http://127.0.0.1:{web_port}/public/v1/sites
  REST API:     http://127.0.0.1:{web_port}/docs   (admin token: {token})
                curl -s -H "Authorization: Bearer {token}" \\
                  http://127.0.0.1:{web_port}/api/v1/devices
  devices:      lorahub --config {config} devices list
  dead letters: lorahub --config {config} deadletters list
  alerts:       lorahub --config {config} alerts list    (rules: lorahub ... rules list)
Press Ctrl-C to stop."""
    )
