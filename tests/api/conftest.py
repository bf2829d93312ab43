"""The API against real databases: the same tests on SQLite (a temp file) and PostgreSQL."""

from __future__ import annotations

import os
import secrets
import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from fastapi import FastAPI
from sqlalchemy import Engine, create_engine, insert, select, text
from sqlalchemy.exc import OperationalError

from lorahub.adapters.alerts_sql import NewAlert
from lorahub.adapters.audit_sql import AuditEntry
from lorahub.adapters.device_state_sql import DeviceActivity, Sighting
from lorahub.adapters.sql_schema import (
    create_database_engine,
    metadata,
    notification_channels,
    notification_deliveries,
)
from lorahub.alerts.rules import ThresholdRule
from lorahub.api.app import create_app
from lorahub.api.services import ApiServices
from lorahub.decoding.catalog import Catalog, load_catalog
from lorahub.domain.dead_letter import DeadLetter
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.domain.tenancy import Site, Tenant
from lorahub.errors import RejectReason
from lorahub.settings import WebSettings
from lorahub.web.context import web_context
from lorahub.web.live import LiveBoard

with warnings.catch_warnings():
    # Starlette 1.x wants httpx2 for its test client and warns (an error here) when it runs on
    # httpx; the client works the same either way.
    warnings.simplefilter("ignore")
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]
POSTGRES = os.environ.get("LORAHUB_TEST_POSTGRES", "postgresql+psycopg://postgres@127.0.0.1:5432")

A, B = "altdorf", "bergdorf"
A_HUB, A_ROOM, B_HUB = "altdorf-hub", "altdorf-room", "bergdorf-hub"
A_DEV, B_DEV = DevEui("70b3d57ed000a001"), DevEui("70b3d57ed000b001")
PENDING = DevEui("70b3d57ed000ffff")
MODEL = ModelId("elsys/ers-co2")
A_CHANNEL, B_CHANNEL = 101, 201
CHANNEL_URL = "json://hook:Geheim-4711@127.0.0.1:1/alerts"
"""Nothing listens on port 1: a test message fails fast. The password must never be answered."""


@dataclass(frozen=True)
class World:
    """Two tenants with a hub each, one device each, a pending DevEUI, dead letters, tokens."""

    app: FastAPI
    client: TestClient
    services: ApiServices
    tokens: dict[str, str]
    alert_ids: dict[str, int]
    """The seeded alert of each tenant (``A_ALERT``, ``B_ALERT``), for URLs."""

    def auth(self, who: str) -> dict[str, str]:
        """Headers of ``who`` (admin; operator or viewer of altdorf; anonymous: none)."""
        return {"Authorization": f"Bearer {self.tokens[who]}"} if who in self.tokens else {}


@pytest.fixture(scope="session")
def catalog() -> Catalog:
    return load_catalog(REPO / "decoders")


@pytest.fixture(scope="session")
def postgres_url() -> Iterator[str]:
    """A fresh database for this test session, dropped at its end."""
    name = f"lorahub_t_{secrets.token_hex(6)}"
    server = create_engine(f"{POSTGRES}/postgres", isolation_level="AUTOCOMMIT")
    try:
        with server.connect() as connection:
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except OperationalError as exc:
        if os.environ.get("CI"):  # CI machines run PostgreSQL: never pass by skipping there
            raise
        pytest.skip(
            f"no PostgreSQL at {POSTGRES} ({exc.__class__.__name__}); set LORAHUB_TEST_POSTGRES"
        )
    yield f"{POSTGRES}/{name}"
    with server.connect() as connection:
        connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    server.dispose()


@pytest.fixture(scope="session", params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path_factory.mktemp('api') / 'registry.db'}"
    url: str = request.getfixturevalue("postgres_url")
    return url


@pytest.fixture(scope="session")
def engine(database_url: str) -> Iterator[Engine]:
    engine = create_database_engine(database_url)
    yield engine
    engine.dispose()


@pytest.fixture(scope="session")
def services(engine: Engine, catalog: Catalog) -> ApiServices:
    return ApiServices.from_engine(engine, catalog, time.time_ns)


@pytest.fixture(scope="session")
def client(services: ApiServices) -> Iterator[TestClient]:
    """A client on the real app; the app keeps no state of its own, so one serves every test."""
    board = LiveBoard(ZoneInfo("Europe/Berlin"))
    with TestClient(create_app(services, web_context(WebSettings(), board))) as client:
        yield client


@pytest.fixture
def world(engine: Engine, services: ApiServices, client: TestClient) -> World:
    """Empty every table and seed the two villages."""
    with engine.begin() as connection:
        for table in reversed(metadata.sorted_tables):
            connection.execute(table.delete())
    app = client.app
    assert isinstance(app, FastAPI)
    return World(app, client, services, _seed(services), _seed_alerts(services))


def _seed(services: ApiServices) -> dict[str, str]:
    now = time.time_ns()
    for tenant_id, hub in ((A, A_HUB), (B, B_HUB)):
        services.tenants.add_tenant(Tenant(tenant_id, tenant_id.title()), now)
        services.tenants.add_site(Site(hub, tenant_id, "Dorfladen", "hub"), now)
    services.tenants.add_site(Site(A_ROOM, A, "Co-working", "room", parent=A_HUB), now)
    services.registry.add(Device(A_DEV, "A CO2", MODEL, A, A_HUB), now)
    services.registry.add(Device(B_DEV, "B CO2", MODEL, B, B_HUB), now)
    services.state.record(
        [
            DeviceActivity(dev, now, 7, -97.0, 6.5, 2, {"co2": 612, "battery_voltage": 3.6}, now)
            for dev in (A_DEV, B_DEV)
        ],
        [Sighting(PENDING, now, "chirpstack-main", "application/1/device/x/event/up", b"\x01")],
    )
    services.dead_letters.put_many(
        [
            DeadLetter(now, f"up/{dev}", b"\xff", RejectReason.DECODE_FAILED, "bad", dev)
            for dev in (A_DEV, B_DEV)
        ]
        + [DeadLetter(now, "up/none", b"{", RejectReason.MALFORMED, "not JSON")]
    )
    for tenant_id, hub in ((A, A_HUB), (B, B_HUB)):
        services.audit.add(AuditEntry(now, "seed", "create", "site", hub, tenant_id))
    _seed_channels(services.engine, now)
    return {
        "admin": services.tokens.create("root", "admin", [], now),
        "operator": services.tokens.create(f"operator-{A}", "operator", [A], now),
        "viewer": services.tokens.create(f"viewer-{A}", "viewer", [A], now),
    }


def _seed_channels(engine: Engine, now: int) -> None:
    """A channel with one failed delivery per tenant, at fixed ids (sequences never reset)."""
    with engine.begin() as connection:
        for channel_id, tenant_id in ((A_CHANNEL, A), (B_CHANNEL, B)):
            connection.execute(
                insert(notification_channels).values(
                    id=channel_id,
                    tenant=tenant_id,
                    name="Webhook",
                    url=CHANNEL_URL,
                    min_severity="info",
                    kinds=["fired", "renotified", "acknowledged", "resolved"],
                    timezone="Europe/Berlin",
                    enabled=True,
                    healthy=True,
                    consecutive_failures=0,
                    created_ns=now,
                    updated_ns=now,
                )
            )
            connection.execute(
                insert(notification_deliveries).values(
                    channel_id=channel_id,
                    tenant=tenant_id,
                    kind="alert",
                    severity="critical",
                    title=f"[Kritisch] Grenzwert: CO2 zu hoch - {tenant_id}",
                    body="CO₂: 1.450 ppm",
                    status="failed",
                    attempts=8,
                    last_error="A Connection error occurred sending JSON notification",
                    created_ns=now,
                )
            )


def snapshot(engine: Engine) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table, to show that a refused request changed nothing."""
    with engine.connect() as connection:
        return {
            table.name: sorted((tuple(row) for row in connection.execute(select(table))), key=repr)
            for table in metadata.sorted_tables
        }


CO2_RULE = ThresholdRule(id="co2-high", name="CO2", quantity="co2", above=1400, clear=1200)


def _seed_alerts(services: ApiServices) -> dict[str, int]:
    """A rule and a firing alert per tenant."""
    now = time.time_ns()
    ids = {}
    for tenant_id, hub, dev in ((A, A_HUB, A_DEV), (B, B_HUB, B_DEV)):
        services.rules.add(tenant_id, CO2_RULE, now)
        alert = NewAlert(
            tenant_id, "co2-high", "threshold", dev, hub, "warning", "co2", 1500.0, 1400.0, now
        )
        with services.engine.begin() as connection:
            ids[f"{tenant_id[0].upper()}_ALERT"] = services.alerts.open(alert, connection).id
    return ids
