"""The registry is re-read while running, and ``lorahub simulate`` feeds the service end to end."""

from __future__ import annotations

import asyncio
import json
import sys
import uuid
from collections.abc import Callable
from pathlib import Path

from typer.testing import CliRunner

from lorahub.adapters.deadletters_sql import SqlDeadLetterStore
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.cli.app import app
from lorahub.daemons import InfluxDB, Mosquitto
from lorahub.errors import RejectReason
from lorahub.settings import load_settings
from lorahub.simulation.village import demo_devices
from tests.e2e.conftest import InProcessService
from tests.e2e.harness import (
    Publisher,
    async_wait_for,
    influx_count,
    register,
    write_config,
)

LNS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "lns"
UP_TOPIC = "application/a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601/device/a840414a51c3d7e2/event/up"


async def test_a_device_registered_while_running_is_ingested_without_restart(
    tmp_path: Path,
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    service_factory: Callable[[Path], InProcessService],
) -> None:
    config = write_config(
        tmp_path,
        running_mosquitto,
        running_influxdb.url,
        influx_database,
        client_id=f"refresh-{uuid.uuid4().hex[:6]}",
    )
    register(config, [])
    service_factory(config)
    await asyncio.sleep(1.0)
    store = SqlDeadLetterStore(create_database_engine(load_settings(config).registry.url))
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
    tmp_path: Path,
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    service_factory: Callable[[Path], InProcessService],
) -> None:
    config = write_config(
        tmp_path,
        running_mosquitto,
        running_influxdb.url,
        influx_database,
        client_id=f"sim-{uuid.uuid4().hex[:6]}",
    )
    register(config, demo_devices())
    service_factory(config)
    await asyncio.sleep(1.0)
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
    store = SqlDeadLetterStore(create_database_engine(load_settings(config).registry.url))
    assert store.counts() == {}, "every simulated payload decodes"
    assert influx_count(running_influxdb, influx_database, "readings", "battery_voltage") > 0
