"""The demo village: about 30 devices of three municipalities sharing one platform."""

from __future__ import annotations

import hashlib

from lorahub.domain.device import Calibration, Device
from lorahub.domain.ids import ModelId, parse_dev_eui

MUNICIPALITIES = ("lindenau", "birkenfeld", "eichstetten")

# (site, device name, model, calibration) per municipality; every municipality has a village
# hub with rooms, a parcel station with boxes and a public square.
_LAYOUT: tuple[tuple[str, str, str, Calibration], ...] = (
    ("dorfhub-coworking", "coworking-co2", "elsys/ers-co2", Calibration()),
    ("dorfhub-coworking", "coworking-eye", "elsys/ers-eye", Calibration()),
    ("dorfhub-meeting", "meeting-co2", "elsys/ers-co2", Calibration()),
    ("dorfhub-meeting", "meeting-eye", "elsys/ers-eye", Calibration()),
    ("dorfhub-office", "office-eye", "elsys/ers-eye", Calibration()),
    ("paketstation-bahnhof", "paketbox-1", "dragino/ldds75", Calibration(0.6, 0.05)),
    ("paketstation-bahnhof", "paketbox-2", "dragino/ldds75", Calibration(0.6, 0.05)),
    ("paketstation-bahnhof", "altglas-container", "milesight-iot/em310-udl", Calibration(1.5, 0.2)),
    ("dorfplatz", "dorfplatz-klima", "dragino/lht65n", Calibration()),
    ("dorfplatz", "dorfplatz-lpp", "generic/cayenne-lpp", Calibration()),
)


def _dev_eui(tenant: str, name: str) -> str:
    digest = hashlib.sha256(f"{tenant}/{name}".encode()).hexdigest()
    return "70b3d5" + digest[:10]


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
