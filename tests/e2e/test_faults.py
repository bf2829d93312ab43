"""Faults against the real broker and database: outage with spool, full spool, 4xx, network cut."""

from __future__ import annotations

import asyncio
import contextlib
import json
from collections.abc import Callable
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from lorahub.daemons import InfluxDB, Mosquitto, free_port
from lorahub.errors import RejectReason
from tests.e2e.conftest import StartIngest
from tests.e2e.harness import Publisher, async_wait_for, influx_count, influx_query
from tests.e2e.test_delivery import DEVICES, _distinct_uplinks, _uplinks
from tests.faults.probes import metric, readiness, tiny_tmpfs
from tests.faults.proxy import CuttableProxy


def _ops(port: int) -> str:
    return f"[metrics]\nport = {port}\n"


async def _ready(port: int) -> tuple[int, dict[str, object]]:
    return await asyncio.to_thread(readiness, port)


async def _metric(port: int, name: str, labels: str = "") -> float | None:
    return await asyncio.to_thread(metric, port, name, labels)


async def _wait_metric(
    port: int,
    name: str,
    ok: float | Callable[[float | None], bool],
    what: str,
    timeout: float = 30,
) -> None:
    check = ok if callable(ok) else (lambda value: value == ok)
    await async_wait_for(lambda: check(metric(port, name)), timeout, what)


async def test_database_outage_spools_acknowledges_and_replays_exactly_once(
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
) -> None:
    port = free_port()
    await start_ingest("spool", DEVICES, extra=_ops(port))
    assert (await _ready(port))[0] == 200
    messages = _uplinks(400)
    running_influxdb.stop()
    try:
        for chunk in range(4):  # a stream, not one burst
            publisher.publish_many(messages[chunk * 100 : (chunk + 1) * 100])
            await asyncio.sleep(0.3)
        await _wait_metric(port, "lorahub_messages_in_flight", 0, "everything acknowledged")
        status, body = await _ready(port)
        assert (status, body["database_up"], body["spool_accepting"]) == (200, False, True)
        assert isinstance(body["spool_batches"], int) and body["spool_batches"] >= 1
        assert await _metric(port, "lorahub_database_up") == 0
        assert (await _metric(port, "lorahub_spool_bytes") or 0) > 0
    finally:
        running_influxdb.start()
    await async_wait_for(
        lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 400,
        30,
        "spooled uplinks replayed",
    )
    await _wait_metric(port, "lorahub_spool_batches", 0, "spool drained")
    assert (await _metric(port, "lorahub_replayed_batches_total") or 0) >= 1
    assert (await _metric(port, "lorahub_write_retries_total") or 0) >= 1
    assert (await _ready(port))[1]["database_up"] is True
    assert _distinct_uplinks(running_influxdb, influx_database) == (400, 400)


@pytest.mark.parametrize("limit", ["max_bytes", "disk_full"])
async def test_a_full_spool_holds_acknowledgements_and_loses_nothing(
    tmp_path: Path,
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
    limit: str,
) -> None:
    port = free_port()
    full_disk = tiny_tmpfs(tmp_path, "96k") if limit == "disk_full" else None
    with full_disk or contextlib.nullcontext() as spool_dir:
        await start_ingest(
            f"full-{limit.replace('_', '')}",
            DEVICES,
            extra=_ops(port) + "[pipeline]\nbatch_max_uplinks = 50\n",
            mqtt_extra="max_in_flight = 100",
            spool_dir=spool_dir,
            spool_extra="max_bytes = 65536" if limit == "max_bytes" else "",
        )
        running_influxdb.stop()
        try:
            publisher.publish_many(_uplinks(1500))
            await _wait_metric(
                port, "lorahub_messages_in_flight", lambda v: (v or 0) > 0, "held messages"
            )
            reason = "full" if limit == "max_bytes" else "ENOSPC"
            await _wait_metric(
                port,
                f'lorahub_spool_refusals_total{{reason="{reason}"}}',
                lambda v: (v or 0) > 0,
                "the spool refusing",
            )
            status, body = await _ready(port)
            assert (status, body["spool_accepting"], body["database_up"]) == (503, False, False)
            # Held: no more acknowledgements while the spool is full, the broker keeps the rest.
            settled = await _metric(port, "lorahub_messages_total")
            await asyncio.sleep(1.5)
            assert await _metric(port, "lorahub_messages_total") == settled
            assert (settled or 0) < 1500
        finally:
            running_influxdb.start()
        await async_wait_for(
            lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 1500,
            60,
            "every uplink after the outage",
        )
        await _wait_metric(port, "lorahub_messages_in_flight", 0, "all acknowledged")
        assert _distinct_uplinks(running_influxdb, influx_database) == (1500, 1500)
        assert (await _ready(port))[0] == 200


@pytest.mark.parametrize("via_spool", [False, True], ids=["direct", "replayed"])
async def test_a_type_conflict_dead_letters_the_line_and_writes_the_rest(
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
    via_spool: bool,
) -> None:
    port = free_port()
    ingest = await start_ingest("conflict", DEVICES, extra=_ops(port))
    messages = _uplinks(120)
    first_ns = _uplink_time_ns(messages[0][1])
    await asyncio.to_thread(  # `distance` once as an integer: every float after it is a 400
        _write, running_influxdb, influx_database, f"readings,tenant=x distance=2i {first_ns}"
    )
    if via_spool:
        running_influxdb.stop()
    try:
        publisher.publish_many(messages)
        if via_spool:
            await _wait_metric(port, "lorahub_spool_batches", lambda v: (v or 0) > 0, "spooled")
    finally:
        if via_spool:
            running_influxdb.start()
    await async_wait_for(
        lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 120,
        30,
        "uplinks written",
    )
    await _wait_metric(port, "lorahub_spool_batches", 0, "spool drained")
    await _wait_metric(port, "lorahub_messages_total", 120, "all acknowledged")
    letters = [
        stored.letter
        for stored in ingest.dead_letters.list(RejectReason.WRITE_REJECTED, limit=1000)
    ]
    assert letters
    assert all("field type conflict" in letter.error for letter in letters)
    assert all(letter.error.startswith("HTTP 400") for letter in letters)
    assert all(b"distance=" in letter.payload for letter in letters)
    labels = 'reason="write_rejected"'
    assert await _metric(port, "lorahub_rejected_total", labels) == len(letters)
    others = influx_query(
        running_influxdb, influx_database, "SELECT count(people_in) FROM readings"
    )
    assert others and int(str(others[0][1])) > 0  # readings of the other devices went in
    assert _distinct_uplinks(running_influxdb, influx_database) == (120, 120)


def _write(influx: InfluxDB, database: str, line: str) -> None:
    httpx.post(
        f"{influx.url}/write", params={"db": database, "precision": "ns"}, content=line
    ).raise_for_status()


def _uplink_time_ns(body: bytes) -> int:
    stamp = json.loads(body)["time"]
    return int(datetime.fromisoformat(stamp).timestamp() * 1e9)


async def test_network_cut_reconnects_and_the_session_delivers_the_queue(
    running_mosquitto: Mosquitto,
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
) -> None:
    port = free_port()
    messages = _uplinks(150)
    with CuttableProxy(running_mosquitto.port) as proxy:
        await start_ingest("cut", DEVICES, extra=_ops(port), mqtt_port=proxy.port)
        publisher.publish_many(messages[:50])
        await async_wait_for(
            lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 50,
            30,
            "uplinks before the cut",
        )
        proxy.cut()
        await async_wait_for(lambda: readiness(port)[0] == 503, 10, "not ready while cut off")
        assert (await _ready(port))[1]["broker_connected"] is False
        publisher.publish_many(messages[50:100])  # the broker queues them for our session
        await asyncio.sleep(2.0)
        proxy.restore()
        await _wait_metric(port, "lorahub_mqtt_connected", 1, "reconnected", timeout=20)
        publisher.publish_many(messages[100:])
        await async_wait_for(
            lambda: influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 150,
            30,
            "every uplink after the cut",
        )
    assert (await _metric(port, "lorahub_mqtt_reconnects_total") or 0) >= 1
    assert proxy.connections >= 2
    assert _distinct_uplinks(running_influxdb, influx_database) == (150, 150)
