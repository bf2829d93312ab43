"""A small village for the page tests: two tenants, a public hub with a private room, tokens."""

from __future__ import annotations

import time
import warnings
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from lorahub.adapters.sql_schema import create_database_engine
from lorahub.api.app import create_app
from lorahub.api.services import ApiServices
from lorahub.decoding.catalog import load_catalog
from lorahub.domain.device import Calibration, Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.domain.tenancy import Site, Tenant
from lorahub.domain.uplink import Uplink
from lorahub.pipeline.activity import DeviceHeard
from lorahub.pipeline.process import BatchContent
from lorahub.settings import WebSettings
from lorahub.web.context import web_context
from lorahub.web.live import LiveBoard
from tests.e2e.conftest import publisher, service_factory  # noqa: F401  # fixtures for the browser

with warnings.catch_warnings():
    warnings.simplefilter("ignore")  # Starlette's test client warns about httpx (see tests/api)
    from fastapi.testclient import TestClient

REPO = Path(__file__).resolve().parents[2]
ZONE = ZoneInfo("Europe/Berlin")

A, B = "altdorf", "bergdorf"
HUB, DESKS, OFFICE, STATION = "altdorf-hub", "altdorf-desks", "altdorf-office", "altdorf-parcels"
B_HUB, B_ROOM = "bergdorf-hub", "bergdorf-room"
DESKS_CAM = DevEui("70b3d57ed000a001")  # people counter in the public co-working room
OFFICE_PIR = DevEui("70b3d57ed000a002")  # occupancy in the private office
BOX_1 = DevEui("70b3d57ed000a003")
HALL_PIR = DevEui("70b3d57ed000a004")  # directly in the hub: a tile of its own
B_PIR = DevEui("70b3d57ed000b001")


def village_sites() -> list[Site]:
    """Altdorf: a public hub with a public and a private room, a public parcel station."""
    return [
        Site(HUB, A, "Dorfhub Altdorf", "hub", public=True),
        Site(DESKS, A, "Coworking", "room", parent=HUB, capacity=4, public=True),
        Site(OFFICE, A, "Gemeindebüro", "room", parent=HUB, capacity=2, public=False),
        Site(STATION, A, "Paketstation", "parcel_station", public=True),
        Site(B_HUB, B, "Dorfhub Bergdorf", "hub", public=False),
        Site(B_ROOM, B, "Werkstatt", "room", parent=B_HUB, capacity=6),
    ]


def village_devices() -> list[Device]:
    """One device per tile kind."""
    return [
        Device(DESKS_CAM, "desks-cam", ModelId("milesight-iot/vs121"), A, DESKS),
        Device(OFFICE_PIR, "office-pir", ModelId("milesight-iot/ws202"), A, OFFICE),
        Device(HALL_PIR, "hall-pir", ModelId("milesight-iot/ws202"), A, HUB),
        Device(
            BOX_1, "fach-1", ModelId("milesight-iot/em400-tld"), A, STATION, Calibration(1.2, 0.1)
        ),
        Device(B_PIR, "werkstatt-pir", ModelId("milesight-iot/ws202"), B, B_ROOM),
    ]


def heard(dev_eui: DevEui, time_ns: int, **readings: float) -> BatchContent:
    """A batch in which ``dev_eui`` reported ``readings``."""
    uplink = Uplink("chirpstack_v4", dev_eui, time_ns, 85, 1, b"")
    return BatchContent(activity={dev_eui: DeviceHeard(uplink, readings, time_ns)})


@dataclass
class Village:
    """The app on a fresh registry, its board, and a token per role."""

    client: TestClient
    services: ApiServices
    board: LiveBoard
    tokens: dict[str, str]

    def sign_in(self, who: str) -> None:
        """Put ``who``'s token into the client's session cookie the way /login does."""
        self.client.cookies.clear()
        response = self.client.post(
            "/login", data={"token": self.tokens[who], "next": "/"}, follow_redirects=False
        )
        assert response.status_code == 303, response.text


@pytest.fixture
def village(tmp_path: Path) -> Iterator[Village]:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'registry.db'}")
    services = ApiServices.from_engine(engine, load_catalog(REPO / "decoders"))
    now = time.time_ns()
    for tenant in (Tenant(A, "Gemeinde Altdorf", "de"), Tenant(B, "Gemeinde Bergdorf", "en")):
        services.tenants.add_tenant(tenant, now)
    for site in village_sites():
        services.tenants.add_site(site, now)
    for device in village_devices():
        services.registry.add(device, now)
    tokens = {
        "admin": services.tokens.create("root", "admin", [], now),
        "operator": services.tokens.create("op-a", "operator", [A], now),
        "viewer": services.tokens.create("hub-staff-a", "viewer", [A], now),
        "viewer_b": services.tokens.create("hub-staff-b", "viewer", [B], now),
        "operator_b": services.tokens.create("op-b", "operator", [B], now),
    }
    board = LiveBoard(ZONE)
    app = create_app(services, web_context(WebSettings(), board))
    with TestClient(app, base_url="http://testserver") as client:
        yield Village(client, services, board, tokens)
    engine.dispose()
