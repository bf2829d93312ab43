"""A database in the session's real InfluxDB holding a day of the demo village."""

from __future__ import annotations

import time
import uuid

import httpx
import pytest

from lorahub.daemons import InfluxDB
from tests.dashboards.demo_points import HOUR, alert_lines, uplink_lines

CHUNK = 5000


@pytest.fixture(scope="module")
def demo_village(influxdb: InfluxDB) -> tuple[InfluxDB, str, int]:
    """(server, database, end of the data in ns): 24 hours of demo data written via /write."""
    if not influxdb.running:
        influxdb.start()
    database = f"dash_{uuid.uuid4().hex[:10]}"
    influxdb.create_database(database)
    end_ns = time.time_ns()
    lines = uplink_lines(end_ns - 24 * HOUR, end_ns) + alert_lines(end_ns)
    for start in range(0, len(lines), CHUNK):
        response = httpx.post(
            f"{influxdb.url}/write",
            params={"db": database, "precision": "ns"},
            content="\n".join(lines[start : start + CHUNK]).encode(),
            timeout=30,
        )
        response.raise_for_status()
    return influxdb, database, end_ns
