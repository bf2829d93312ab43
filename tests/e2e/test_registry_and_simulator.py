"""The registry is re-read while running, and ``lorahub simulate`` feeds the service end to end."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from pathlib import Path

from typer.testing import CliRunner

from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.cli.app import app
from lorahub.daemons import InfluxDB
from lorahub.domain.tenancy import Site, Tenant
from lorahub.errors import RejectReason
from lorahub.settings import load_settings
from lorahub.simulation.village import demo_devices
from tests.e2e.conftest import StartIngest
from tests.e2e.harness import (
    Publisher,
    async_wait_for,
    influx_count,
)

LNS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "lns"
UP_TOPIC = "application/a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601/device/a840414a51c3d7e2/event/up"


async def test_a_device_registered_while_running_is_ingested_without_restart(
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
) -> None:
    ingest = await start_ingest("refresh", [])
    config, store = ingest.config, ingest.dead_letters
    tenancy = SqlTenantRepository(create_database_engine(load_settings(config).registry.url))
    tenancy.add_tenant(Tenant("lindenau", "Gemeinde Lindenau"), 0)
    tenancy.add_site(Site("dorfplatz", "lindenau", "Dorfplatz", "public_place"), 0)
    body = json.loads((LNS / "chirpstack-v4-up.json").read_text())
    publisher.publish(UP_TOPIC, json.dumps(body).encode())
    await async_wait_for(
        lambda: store.counts().get(RejectReason.UNKNOWN_DEVICE) == 1, 10, "unknown device"
    )
    code = CliRunner().invoke(
        app,
        [
            "--config", str(config), "devices", "add", "a840414a51c3d7e2",
            "--name", "env-dorfplatz-01", "--model", "dragino/lht65n",
            "--tenant", "lindenau", "--site", "dorfplatz",
        ],
    ).exit_code  # fmt: skip
    assert code == 0
    await asyncio.sleep(1.5)  # refresh_s is 0.5 in the test settings
    body["fCnt"] = 1843
    body["deduplicationId"] = str(uuid.uuid4())
    body["time"] = "2025-05-14T07:25:02.481913+00:00"
    publisher.publish(UP_TOPIC, json.dumps(body).encode())
    await async_wait_for(
        lambda: influx_count(running_influxdb, influx_database, "readings", "temperature") == 1,
        10,
        "the reading of the newly registered device",
    )


async def test_simulate_command_publishes_decodable_uplinks(
    running_influxdb: InfluxDB,
    influx_database: str,
    start_ingest: StartIngest,
) -> None:
    ingest = await start_ingest("sim", demo_devices())
    config = ingest.config
    for lns in ("chirpstack-v4", "tts-v3"):
        process = await asyncio.create_subprocess_exec(
            sys.executable,
            "-m",
            "lorahub",
            "--config",
            str(config),
            "simulate",
            "--rate",
            "200",
            "--count",
            "30",
            "--lns",
            lns,
            stdout=asyncio.subprocess.PIPE,
            stderr=asyncio.subprocess.STDOUT,
        )
        output, _ = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, output
        assert b"published 30 uplinks" in output
    await async_wait_for(
        lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") == 60,
        15,
        "60 simulated uplinks",
    )
    assert ingest.dead_letters.counts() == {}, "every simulated payload decodes"
    assert influx_count(running_influxdb, influx_database, "readings", "battery_voltage") > 0
