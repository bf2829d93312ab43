"""At-least-once delivery: kill, broker restart, database outage; exactly one point per uplink."""

from __future__ import annotations

import asyncio
import itertools
import json
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from lorahub.daemons import InfluxDB, Mosquitto, VictoriaMetrics
from lorahub.decoding.catalog import load_catalog
from lorahub.simulation.fleet import Fleet
from lorahub.simulation.village import demo_devices
from tests.conftest import CATALOG_DIR
from tests.e2e.conftest import ServiceProcess, StartIngest
from tests.e2e.harness import (
    Publisher,
    async_wait_for,
    influx_count,
    influx_query,
    register,
    wait_for,
    write_config,
)

DEVICES = demo_devices()[:12]


def _uplinks(count: int, lns: str = "chirpstack-v4", seed: int = 7) -> list[tuple[str, bytes]]:
    fleet = Fleet(DEVICES, load_catalog(CATALOG_DIR), seed=seed)
    start = time.time_ns() - 3_600_000_000_000
    clock = (start + i * 1_000_000 for i in itertools.count())
    messages = fleet.messages("tts-v3" if lns == "tts-v3" else "chirpstack-v4", clock)
    return [next(messages) for _ in range(count)]


def _distinct_uplinks(influx: InfluxDB, db: str) -> tuple[int, int]:
    """(points in ``uplinks``, distinct (device, f_cnt) pairs among them)."""
    rows = influx_query(influx, db, "SELECT f_cnt, dev_eui FROM uplinks")
    return len(rows), len({(row[2], row[1]) for row in rows})


def test_sigkill_mid_batch_loses_nothing_and_duplicates_nothing(
    tmp_path: Path,
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    service_process: Callable[[Path], ServiceProcess],
) -> None:
    client_id = f"kill-{uuid.uuid4().hex[:6]}"
    slow = write_config(
        tmp_path,
        running_mosquitto,
        running_influxdb.url,
        influx_database,
        client_id=client_id,
        extra="[pipeline]\nbatch_max_age_ms = 30000\nbatch_max_uplinks = 100000\n",
    )
    register(slow, DEVICES)
    service = service_process(slow)
    service.start()
    messages = _uplinks(300)
    first, second = messages[:200], messages[200:]
    publisher.publish_many(first)
    wait_for(lambda: service.metric("lorahub_messages_in_flight") == 200, 20, "200 in flight")
    service.kill()
    assert influx_count(running_influxdb, influx_database, "uplinks", "f_port") == 0
    # While the service is down the broker queues for its persistent session.
    publisher.publish_many(second)
    # Same client id (so the same broker session), normal batching from here on.
    write_config(
        tmp_path, running_mosquitto, running_influxdb.url, influx_database, client_id=client_id
    )
    service.start()
    wait_for(
        lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 200,
        30,
        "redelivered uplinks",
    )
    service.kill()  # once more, after part of the redelivery was written and acknowledged
    service.start()
    wait_for(
        lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 300,
        30,
        "all uplinks",
    )
    wait_for(lambda: service.metric("lorahub_messages_in_flight") == 0, 20, "all acknowledged")
    assert service.terminate() == 0
    points, distinct = _distinct_uplinks(running_influxdb, influx_database)
    assert (points, distinct) == (300, 300)


async def test_broker_restart_reconnects_and_delivers(
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    start_ingest: StartIngest,
) -> None:
    await start_ingest("restart", DEVICES)
    messages = _uplinks(100)
    publisher = Publisher(running_mosquitto)
    publisher.publish_many(messages[:50])
    publisher.close()
    running_mosquitto.stop()
    await asyncio.sleep(1.0)
    running_mosquitto.start()
    await asyncio.sleep(0.5)
    publisher = Publisher(running_mosquitto)
    publisher.publish_many(messages[50:])
    publisher.close()
    await async_wait_for(
        lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 100,
        30,
        "uplinks after broker restart",
    )
    await asyncio.sleep(0.5)
    assert _distinct_uplinks(running_influxdb, influx_database) == (100, 100)


async def test_database_outage_holds_acknowledgements_then_catches_up(
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
) -> None:
    await start_ingest("outage", DEVICES, spool_extra="enabled = false")  # no spool: hold acks
    running_influxdb.stop()
    try:
        publisher.publish_many(_uplinks(80))
        await asyncio.sleep(3.0)  # longer than the retry window: the pipeline must hold on
    finally:
        running_influxdb.start()
    await async_wait_for(
        lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 80,
        30,
        "uplinks after the outage",
    )
    assert _distinct_uplinks(running_influxdb, influx_database) == (80, 80)


async def test_v2_write_api_to_victoria_metrics(
    victoria_metrics: VictoriaMetrics,
    publisher: Publisher,
    start_ingest: StartIngest,
) -> None:
    bucket = f"b{uuid.uuid4().hex[:8]}"
    await start_ingest(
        "vm",
        DEVICES,
        influx_url=victoria_metrics.url,
        influx_section=f'api = "v2"\nbucket = "{bucket}"\norg = "village"\ntoken = "t0k"\n',
    )
    publisher.publish_many(_uplinks(40, lns="tts-v3"))

    def exported() -> int:
        victoria_metrics.flush()
        response = httpx.get(
            f"{victoria_metrics.url}/api/v1/export",
            params={"match[]": '{__name__="uplinks_f_cnt"}'},
            timeout=10,
        )
        return sum(line.count(",") + 1 for line in _values(response.text))

    await async_wait_for(lambda: exported() >= 40, 30, "points in VictoriaMetrics")
    assert exported() == 40


def _values(export: str) -> list[str]:
    out = []
    for line in export.splitlines():
        if line.strip():
            out.append(",".join(str(v) for v in json.loads(line)["values"]))
    return out
