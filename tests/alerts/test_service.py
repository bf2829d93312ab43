"""The alert service on real stores: SQLite registry and alerts, a real InfluxDB for lines.

Observations are fed as durable batches would feed them; time is driven by a test clock.
Notices are collected at the outbox port (the outbox itself is tested with real mail and
webhook servers in tests/notify and tests/e2e).
"""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator, Callable
from contextlib import AbstractAsyncContextManager, asynccontextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from sqlalchemy import Connection, Engine

from lorahub.adapters.alert_context_sql import SqlAlertContextSource
from lorahub.adapters.alerts_sql import SqlAlertStore
from lorahub.adapters.device_state_sql import SqlDeviceState
from lorahub.adapters.influx_sink import InfluxSink
from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.rules_sql import SqlRuleRepository
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.alerts.notice import AlertNotice
from lorahub.alerts.rules import OfflineRule, ThresholdRule, builtin_rules
from lorahub.alerts.service import AlertService
from lorahub.daemons import InfluxDB
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.domain.tenancy import Site, Tenant
from lorahub.domain.uplink import Uplink
from lorahub.pipeline.activity import DeviceHeard
from lorahub.pipeline.directory import DeviceDirectory
from lorahub.pipeline.process import BatchContent
from lorahub.settings import AlertSettings, InfluxSettings

S = 1_000_000_000
T0 = 1_795_000_000 * S
CO2_DEVICE = Device(
    DevEui("a84041000181c061"),
    "CO2 Besprechung",
    ModelId("elsys/ers-co2"),
    "ostdorf",
    "ostdorf-meeting",
    expected_interval_s=600,
)


@dataclass
class Outbox:
    """Collects what the service hands to the notification outbox."""

    notices: list[AlertNotice] = field(default_factory=list)

    def notify(self, notice: AlertNotice, connection: Connection | None = None) -> object:
        self.notices.append(notice)
        return 1

    def kinds(self) -> list[tuple[str, str]]:
        return [(notice.kind, notice.rule_id) for notice in self.notices]


@dataclass
class Clock:
    now: int = T0

    def __call__(self) -> int:
        return self.now


@dataclass
class World:
    engine: Engine
    influx: InfluxDB
    database: str
    clock: Clock
    outbox: Outbox
    start: Callable[[], AbstractAsyncContextManager[AlertService]]


def heard(device: Device, at_ns: int, readings: dict[str, float]) -> BatchContent:
    content = BatchContent()
    uplink = Uplink("chirpstack_v4", device.dev_eui, at_ns, 5, 1, b"\x00")
    content.activity[device.dev_eui] = DeviceHeard(uplink, readings, at_ns)
    return content


@pytest.fixture
def world(tmp_path: Path, running_influxdb: InfluxDB) -> World:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'r.db'}")
    tenants = SqlTenantRepository(engine)
    tenants.add_tenant(Tenant("ostdorf", "Ostdorf", "de"), T0)
    tenants.add_site(Site("ostdorf-hub", "ostdorf", "Dorfhub", "hub"), T0)
    tenants.add_site(
        Site("ostdorf-meeting", "ostdorf", "Besprechungsraum", "room", parent="ostdorf-hub"), T0
    )
    SqlDeviceRegistry(engine).add(CO2_DEVICE, T0)
    database = f"alerts_{uuid.uuid4().hex[:8]}"
    running_influxdb.create_database(database)
    clock, outbox = Clock(), Outbox()
    settings = AlertSettings(
        evaluate_every_s=0.01, tick_s=0.02, rules_refresh_s=0.02, renotify_after_s=3600
    )

    def start() -> AbstractAsyncContextManager[AlertService]:
        return _running(engine, running_influxdb, database, settings, clock, outbox)

    return World(engine, running_influxdb, database, clock, outbox, start)


@asynccontextmanager
async def _running(
    engine: Engine,
    influx: InfluxDB,
    database: str,
    settings: AlertSettings,
    clock: Clock,
    outbox: Outbox,
) -> AsyncIterator[AlertService]:
    registry = SqlDeviceRegistry(engine)
    contexts = SqlAlertContextSource(
        SqlRuleRepository(engine), SqlTenantRepository(engine), builtin_rules(3, 20)
    )
    async with InfluxSink(InfluxSettings(url=influx.url, database=database)) as sink:
        service = AlertService(
            settings,
            SqlAlertStore(engine),
            contexts,
            DeviceDirectory(registry.load_all()),
            SqlDeviceState(engine).last_seen,
            outbox,
            sink,
            "https://hub.example",
            clock,
        )
        stop = asyncio.Event()
        task = asyncio.create_task(service.run(stop))
        await asyncio.sleep(0.05)
        try:
            yield service
        finally:
            stop.set()
            await task


async def settle() -> None:
    await asyncio.sleep(0.15)


def alert_points(world: World) -> list[dict[str, object]]:
    return world.influx.query(world.database, 'SELECT * FROM "alerts" ORDER BY time')


async def test_threshold_with_hold_time_fires_once_resolves_and_survives_restart(
    world: World,
) -> None:
    rule = ThresholdRule(
        id="co2-meeting",
        name="CO2 Besprechung",
        quantity="co2",
        above=1400,
        clear=1200,
        hold_s=600,
        site="ostdorf-hub",
        severity="critical",
    )
    SqlRuleRepository(world.engine).add("ostdorf", rule, T0)
    async with world.start() as service:
        for minute, value in ((0, 1500), (5, 1550), (10, 1600), (15, 1650)):
            service.collect(heard(CO2_DEVICE, T0 + minute * 60 * S, {"co2": value}))
            await settle()
    assert world.outbox.kinds() == [("fired", "co2-meeting")]
    fired = world.outbox.notices[0]
    assert (fired.value, fired.threshold, fired.unit, fired.site_name, fired.language) == (
        1600,
        1400,
        "ppm",
        "Besprechungsraum",
        "de",
    )
    assert fired.link == "https://hub.example/devices/a84041000181c061"
    store = SqlAlertStore(world.engine)
    [alert] = store.find(None)
    assert (alert.state, alert.value, alert.started_ns) == ("firing", 1600, T0 + 600 * S)

    # a restart in the middle of the firing alert: neither forgotten nor fired again
    async with world.start() as service:
        service.collect(heard(CO2_DEVICE, T0 + 20 * 60 * S, {"co2": 1300}))  # above clear
        await settle()
        assert world.outbox.kinds() == [("fired", "co2-meeting")]
        service.collect(heard(CO2_DEVICE, T0 + 25 * 60 * S, {"co2": 1100}))
        await settle()
    assert world.outbox.kinds() == [("fired", "co2-meeting"), ("resolved", "co2-meeting")]
    [alert] = store.find(None)
    assert alert.state == "resolved" and alert.resolved_ns == T0 + 25 * 60 * S
    assert [entry.kind for entry in store.history(alert.id)] == ["fired", "resolved"]
    points = alert_points(world)
    assert [(p["state"], p["value"], p["rule"], p["site"], p["severity"]) for p in points] == [
        ("firing", 1600.0, "co2-meeting", "ostdorf-meeting", "critical"),
        ("resolved", 1100.0, "co2-meeting", "ostdorf-meeting", "critical"),
    ]


async def test_offline_after_k_intervals_and_back_online(world: World) -> None:
    async with world.start() as service:
        service.collect(heard(CO2_DEVICE, T0, {"co2": 600}))
        await settle()
        world.clock.now = T0 + 3 * 600 * S  # exactly 3 intervals: not yet
        await settle()
        assert world.outbox.notices == []
        world.clock.now = T0 + 3 * 600 * S + S
        await settle()
        assert world.outbox.kinds() == [("fired", "offline")]
        world.clock.now += 600 * S
        await settle()
        assert len(world.outbox.notices) == 1  # one alert while it lasts
        service.collect(heard(CO2_DEVICE, world.clock.now, {"co2": 640}))
        await settle()
    assert world.outbox.kinds() == [("fired", "offline"), ("resolved", "offline")]
    assert world.outbox.notices[0].value is None
    assert [p["state"] for p in alert_points(world)] == ["firing", "resolved"]


async def test_critical_alerts_are_renotified_until_acknowledged(world: World) -> None:
    SqlRuleRepository(world.engine).add(
        "ostdorf", OfflineRule(id="silent", name="Silent", after_s=60, severity="critical"), T0
    )
    store = SqlAlertStore(world.engine)
    async with world.start() as service:
        service.collect(heard(CO2_DEVICE, T0, {"co2": 600}))
        await settle()
        world.clock.now = T0 + 61 * S
        await settle()
        world.clock.now += 3601 * S
        await settle()
        assert world.outbox.kinds() == [("fired", "silent"), ("renotified", "silent")]
        [alert] = store.find(None, states=["firing"])
        with world.engine.begin() as connection:
            store.acknowledge(
                alert.id, "anna", "Batterie wird getauscht", world.clock.now, connection
            )
        world.clock.now += 7200 * S
        await settle()
    assert world.outbox.kinds() == [("fired", "silent"), ("renotified", "silent")]
    assert [entry.kind for entry in store.history(alert.id)] == [
        "fired",
        "renotified",
        "acknowledged",
    ]
    assert [p["state"] for p in alert_points(world)] == ["firing", "acknowledged"]


async def test_a_deleted_rule_resolves_its_alert(world: World) -> None:
    rules = SqlRuleRepository(world.engine)
    rules.add("ostdorf", ThresholdRule(id="co2", name="CO2", quantity="co2", above=1000), T0)
    async with world.start() as service:
        service.collect(heard(CO2_DEVICE, T0, {"co2": 1200}))
        await settle()
        rules.remove("ostdorf", "co2")
        await settle()
    assert world.outbox.kinds() == [("fired", "co2"), ("resolved", "co2")]
