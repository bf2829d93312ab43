"""Session fixtures: real Mosquitto, InfluxDB 1.x and VictoriaMetrics on free ports."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

from lorahub.daemons import InfluxDB, Mosquitto, VictoriaMetrics
from tests.notify.receivers import SmtpServer, WebhookServer

REPO = Path(__file__).resolve().parent.parent
SHARED_REFERENCE = REPO.parent / "shared" / "reference"
CATALOG_DIR = REPO / "decoders"


@pytest.fixture(scope="session")
def mosquitto(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Mosquitto]:
    """A Mosquitto broker of this test session (tests may stop and restart it)."""
    broker = Mosquitto(tmp_path_factory.mktemp("mosquitto"))
    broker.start()
    yield broker
    broker.stop()


@pytest.fixture
def running_mosquitto(mosquitto: Mosquitto) -> Mosquitto:
    """The session broker, started again if an earlier test left it stopped."""
    if not mosquitto.running:
        mosquitto.start()
    return mosquitto


@pytest.fixture(scope="session")
def influxdb(tmp_path_factory: pytest.TempPathFactory) -> Iterator[InfluxDB]:
    """An InfluxDB 1.x server of this test session."""
    server = InfluxDB(tmp_path_factory.mktemp("influxd"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def running_influxdb(influxdb: InfluxDB) -> InfluxDB:
    """The session InfluxDB, started again if an earlier test left it stopped."""
    if not influxdb.running:
        influxdb.start()
    return influxdb


@pytest.fixture(scope="session")
def victoria_metrics(tmp_path_factory: pytest.TempPathFactory) -> Iterator[VictoriaMetrics]:
    """A VictoriaMetrics server of this test session (InfluxDB v2 write API)."""
    server = VictoriaMetrics(tmp_path_factory.mktemp("victoria-metrics"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def influx_database(running_influxdb: InfluxDB) -> str:
    """A fresh, empty InfluxDB database for one test."""
    name = f"t_{uuid.uuid4().hex[:12]}"
    running_influxdb.create_database(name)
    return name


@pytest.fixture
def unique_topic_prefix() -> str:
    """A topic prefix no other test uses."""
    return f"test/{uuid.uuid4().hex[:12]}"


@pytest.fixture
def smtp() -> Iterator[SmtpServer]:
    """A real SMTP server (aiosmtpd) on a free port, for notification channels."""
    server = SmtpServer()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def webhook() -> Iterator[WebhookServer]:
    """A real HTTP server recording the JSON bodies POSTed to it, for webhook channels."""
    server = WebhookServer()
    server.start()
    yield server
    server.stop()
