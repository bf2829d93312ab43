"""Starting the board from what is stored: device state, and today's buckets from InfluxDB."""

from __future__ import annotations

import time
from pathlib import Path

import httpx

from lorahub.adapters.device_state_sql import DeviceActivity, SqlDeviceState
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.daemons import InfluxDB
from lorahub.domain.ids import DevEui
from lorahub.settings import InfluxSettings
from lorahub.web.live import LiveBoard
from lorahub.web.presence import BUCKET_NS, Presence, bucket_of
from lorahub.web.seed import seed_from_state, seed_today
from tests.web.conftest import ZONE

DEV = DevEui("70b3d57ed000a001")
BIN = DevEui("70b3d57ed000a002")


def test_seed_from_device_state(tmp_path: Path) -> None:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'state.db'}")
    state = SqlDeviceState(engine)
    now = time.time_ns()
    state.record(
        [
            DeviceActivity(DEV, now, 1, -90.0, 5.0, 1, {"people_count": 2, "co2": 500}, now),
            DeviceActivity(BIN, now, 1, -90.0, 5.0, 1, {"temperature": 4.0}, now),
        ],
        [],
    )
    board = LiveBoard(ZONE)
    assert seed_from_state(board, state) == 1
    assert board.latest(DEV) == Presence(now, people_count=2)
    engine.dispose()


async def test_seed_today_from_influxdb(running_influxdb: InfluxDB, influx_database: str) -> None:
    board = LiveBoard(ZONE)
    start = board.day_start_ns()
    now = time.time_ns()
    earlier = max(start, now - 2 * BUCKET_NS)
    lines = [
        f"readings,dev_eui={DEV} people_count=3i {earlier}",
        f"readings,dev_eui={DEV} people_count=5i {earlier + 1000}",
        f"readings,dev_eui={BIN} fill_level=40.0 {now}",
        f"readings,dev_eui={BIN} fill_level=90.0 {start - BUCKET_NS}",  # yesterday
    ]
    _write(running_influxdb, influx_database, lines)
    settings = InfluxSettings(url=running_influxdb.url, database=influx_database)
    assert await seed_today(board, settings) == 2
    assert board.today(DEV) == {bucket_of(earlier): 5.0}
    assert board.today(BIN) == {bucket_of(now): 40.0}


async def test_seed_today_without_influxql_starts_empty() -> None:
    board = LiveBoard(ZONE)
    settings = InfluxSettings(url="http://127.0.0.1:9", database="x", timeout_s=0.5)
    assert await seed_today(board, settings) == 0
    assert board.today(DEV) == {}


def _write(influx: InfluxDB, database: str, lines: list[str]) -> None:
    response = httpx.post(f"{influx.url}/write", params={"db": database}, content="\n".join(lines))
    response.raise_for_status()
