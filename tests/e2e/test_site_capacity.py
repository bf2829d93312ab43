"""Occupancy readings carry their site's capacity, re-read while the service runs."""

from __future__ import annotations

import asyncio
import time

from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.daemons import InfluxDB
from lorahub.decoding.catalog import load_catalog
from lorahub.domain.tenancy import Site
from lorahub.settings import load_settings
from lorahub.simulation.fleet import Fleet
from lorahub.simulation.village import demo_devices
from tests.conftest import CATALOG_DIR
from tests.e2e.conftest import StartIngest
from tests.e2e.harness import Publisher, async_wait_for, influx_points

S = 1_000_000_000


async def test_capacity_follows_the_site_while_running(
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
) -> None:
    desks = next(d for d in demo_devices() if d.name == "lindenau-coworking-desks")
    ingest = await start_ingest("capacity", [desks])
    sites = SqlTenantRepository(create_database_engine(load_settings(ingest.config).registry.url))
    room = sites.site(desks.site, None)
    assert room is not None
    sites.update_site(Site(room.id, room.tenant, room.name, "room", capacity=8))
    await asyncio.sleep(1.5)  # refresh_s is 0.5 in the test settings
    fleet = Fleet([desks], load_catalog(CATALOG_DIR), seed=7)
    start = time.time_ns() - 60 * S
    query = 'SELECT "people_count", "capacity" FROM readings ORDER BY time'

    def points() -> list[dict[str, object]]:
        return influx_points(running_influxdb, influx_database, query)

    publisher.publish(*fleet.message(fleet.members[0], "chirpstack-v4", start))
    await async_wait_for(lambda: len(points()) == 1, 10, "the first reading")
    sites.update_site(Site(room.id, room.tenant, room.name, "room", capacity=12))
    await asyncio.sleep(1.5)
    publisher.publish(*fleet.message(fleet.members[0], "chirpstack-v4", start + S))
    await async_wait_for(lambda: len(points()) == 2, 10, "the second reading")
    assert [point["capacity"] for point in points()] == [8, 12]
