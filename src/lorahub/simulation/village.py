"""The demo village: about 30 devices of three municipalities sharing one platform."""

from __future__ import annotations

import hashlib

from lorahub.alerts.rules import Rule, ThresholdRule
from lorahub.domain.device import Calibration, Device
from lorahub.domain.ids import ModelId, parse_dev_eui
from lorahub.domain.tenancy import Site, SiteKind, Tenant

MUNICIPALITIES = ("lindenau", "birkenfeld", "eichstetten")

# (site suffix, name, kind, parent suffix, capacity, public)
_SITES: tuple[tuple[str, str, SiteKind, str | None, int | None, bool], ...] = (
    ("dorfhub", "Dorfhub", "hub", None, None, True),
    ("dorfhub-eingang", "Dorfhub Eingang", "room", "dorfhub", None, True),
    ("dorfhub-coworking", "Coworking", "room", "dorfhub", 8, True),
    ("dorfhub-meeting", "Besprechungsraum", "room", "dorfhub", 12, True),
    ("dorfhub-buero", "Gemeindebüro", "room", "dorfhub", 4, False),
    ("paketstation-bahnhof", "Paketstation Bahnhof", "parcel_station", None, None, True),
    ("dorfplatz", "Dorfplatz", "public_place", None, None, True),
)

# (site, device name, model, calibration) per municipality; every municipality has a village
# hub with rooms, a parcel station with boxes and a public square.
_LAYOUT: tuple[tuple[str, str, str, Calibration], ...] = (
    ("dorfhub-eingang", "eingang-zaehler", "milesight-iot/vs133", Calibration()),
    ("dorfhub-coworking", "coworking-co2", "elsys/ers-co2", Calibration()),
    ("dorfhub-coworking", "coworking-desks", "milesight-iot/vs121", Calibration()),
    ("dorfhub-meeting", "meeting-klima", "milesight-iot/am319", Calibration()),
    ("dorfhub-meeting", "meeting-eye", "elsys/ers-eye", Calibration()),
    ("dorfhub-buero", "buero-pir", "milesight-iot/ws202", Calibration()),
    ("paketstation-bahnhof", "paketfach-1", "milesight-iot/em400-tld", Calibration(1.2, 0.1)),
    ("paketstation-bahnhof", "paketfach-2", "dragino/ldds75", Calibration(1.2, 0.1)),
    ("paketstation-bahnhof", "altglas-container", "milesight-iot/em310-udl", Calibration(1.3, 0.1)),
    ("dorfplatz", "dorfplatz-klima", "dragino/lht65n", Calibration()),
)


def _dev_eui(tenant: str, name: str) -> str:
    digest = hashlib.sha256(f"{tenant}/{name}".encode()).hexdigest()
    return "70b3d5" + digest[:10]


def demo_tenants() -> list[Tenant]:
    """The three municipalities of the demo village."""
    return [Tenant(tenant, f"Gemeinde {tenant.title()}", "de") for tenant in MUNICIPALITIES]


def demo_sites() -> list[Site]:
    """Every site of the demo village, parents before their rooms."""
    return [
        Site(
            id=f"{tenant}-{suffix}",
            tenant=tenant,
            name=f"{name} {tenant.title()}",
            kind=kind,
            parent=f"{tenant}-{parent}" if parent else None,
            capacity=capacity,
            public=public,
        )
        for tenant in MUNICIPALITIES
        for suffix, name, kind, parent, capacity, public in _SITES
    ]


def demo_devices() -> list[Device]:
    """Every device of the demo village, with stable DevEUIs."""
    return [
        Device(
            dev_eui=parse_dev_eui(_dev_eui(tenant, name)),
            name=f"{tenant}-{name}",
            model=ModelId(model),
            tenant=tenant,
            site=f"{tenant}-{site}",
            calibration=calibration,
        )
        for tenant in MUNICIPALITIES
        for site, name, model, calibration in _LAYOUT
    ]


def demo_rules() -> dict[str, list[Rule]]:
    """Alert rules of each municipality: stale air in the hub, a parcel box nearly full."""
    return {
        tenant: [
            ThresholdRule(
                id="co2-dorfhub",
                name="CO2 im Dorfhub",
                quantity="co2",
                above=1000,
                clear=900,
                hold_s=60,
                site=f"{tenant}-dorfhub",
                severity="warning",
            ),
            ThresholdRule(
                id="paketfach-voll",
                name="Paketfach fast voll",
                quantity="fill_level",
                above=90,
                clear=70,
                site=f"{tenant}-paketstation-bahnhof",
                severity="info",
            ),
        ]
        for tenant in MUNICIPALITIES
    }
