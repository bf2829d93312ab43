"""Every network-server sample of the reference folder, through broker, service and InfluxDB."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from pathlib import Path

from lorahub.daemons import InfluxDB
from lorahub.domain.device import Calibration, Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.errors import RejectReason
from tests.e2e.conftest import StartIngest
from tests.e2e.harness import (
    Publisher,
    async_wait_for,
    influx_count,
    influx_points,
    influx_query,
)

LNS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "lns"

FLEET = [
    Device(
        DevEui("a81758fffe0c4e21"),
        "hub-coworking-raum1",
        ModelId("elsys/ers-eye"),
        "lindenau",
        "dorfhub",
    ),
    Device(
        DevEui("a840414a51c3d7e2"),
        "env-dorfplatz-01",
        ModelId("dragino/lht65n"),
        "lindenau",
        "dorfplatz",
    ),
    Device(
        DevEui("a84041c2e1b05f31"),
        "paket-bahnhof-01",
        ModelId("dragino/ldds75"),
        "lindenau",
        "bahnhof",
        Calibration(empty_distance_m=1.2, full_distance_m=0.15),
    ),
]


def _ns(text: str) -> int:
    base, _, fraction = text.rstrip("Z").partition(".")
    seconds = int(datetime.fromisoformat(base + "+00:00").timestamp())
    return seconds * 1_000_000_000 + int(fraction.ljust(9, "0"))


def _samples() -> list[tuple[str, bytes]]:
    manifest = json.loads((LNS / "manifest.json").read_text())
    messages = []
    for entry in manifest["files"]:
        topic: str = entry["topic"]
        if not topic.startswith(("application/", "v3/")) or "(publish)" in entry["event"]:
            continue
        messages.append((topic, (LNS / entry["file"]).read_bytes()))
    return messages


def _point(
    influx: InfluxDB, db: str, measurement: str, dev_eui: str, time_text: str
) -> dict[str, object]:
    points = influx_points(
        influx,
        db,
        f"SELECT * FROM \"{measurement}\" WHERE dev_eui = '{dev_eui}' AND time = {_ns(time_text)}",
    )
    assert len(points) == 1, f"{measurement} {dev_eui} @ {time_text}: {points}"
    return points[0]


async def test_every_reference_sample_lands_where_it_belongs(
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
) -> None:
    ingest = await start_ingest("e2e", FLEET)
    service, store = ingest.service, ingest.dead_letters
    samples = _samples()
    publisher.publish_many(samples)

    def settled() -> bool:
        return (
            influx_count(running_influxdb, influx_database, "uplinks", "f_port") >= 7
            and store.counts().get(RejectReason.UNKNOWN_DEVICE, 0) >= 1
        )

    await async_wait_for(settled, 20, "uplinks and dead letters")
    await asyncio.sleep(1.0)  # a last batch may still be in flight
    service.stop.set()
    await asyncio.wait_for(service.task, 30)

    db, influx = influx_database, running_influxdb
    # LHT65N: ChirpStack v4 and TTS carry the same frame at the same time: one point.
    env = _point(influx, db, "readings", "a840414a51c3d7e2", "2025-05-14T07:15:02.481913Z")
    assert env["temperature"] == 12.34
    assert env["relative_humidity"] == 78.5
    assert env["battery_voltage"] == 3.021
    assert env["external_temperature"] == 9.87
    assert env["battery"] == 88.2, "the ChirpStack status event adds the battery level"
    assert (
        env["tenant"] == "lindenau"
        and env["site"] == "dorfplatz"
        and env["model"] == "dragino/lht65n"
    )
    radio = _point(influx, db, "uplinks", "a840414a51c3d7e2", "2025-05-14T07:15:02.481913Z")
    assert radio["f_cnt"] == 1842 and radio["rssi"] == -97.0 and radio["spreading_factor"] == 7
    # The same frame again under a new deduplication id, 2.3 s later, is skipped.
    later = influx_query(
        influx, db, f"SELECT * FROM uplinks WHERE time = {_ns('2025-05-14T07:15:04.791913Z')}"
    )
    assert later == []
    # ERS Eye, sent through five dialects with the same time: one point.
    hub = _point(influx, db, "readings", "a81758fffe0c4e21", "2025-05-14T09:30:11.208407Z")
    assert hub["occupancy"] == 1 and hub["temperature"] == 21.5 and hub["illuminance"] == 180.0
    assert hub["motion_count"] == 3 and hub["battery_voltage"] == 3.61
    hub_radio = _point(influx, db, "uplinks", "a81758fffe0c4e21", "2025-05-14T09:30:11.208407Z")
    assert hub_radio["gateways"] in (2, 3)
    # LDDS75 in a parcel box: distance in metres and the fill level from its calibration.
    box = _point(influx, db, "readings", "a84041c2e1b05f31", "2025-05-14T11:02:47.930116Z")
    assert box["distance"] == 0.612
    assert box["fill_level"] == 56.0
    # A MAC-only frame proves the device alive but carries no readings.
    mac = _point(influx, db, "uplinks", "a840414a51c3d7e2", "2025-05-14T12:40:55.604771Z")
    assert mac["f_port"] == 0 and mac["payload_bytes"] == 0
    assert (
        influx_query(
            influx, db, f"SELECT * FROM readings WHERE time = {_ns('2025-05-14T12:40:55.604771Z')}"
        )
        == []
    )
    # Nothing of the unknown device reaches InfluxDB; it waits in the dead letters.
    assert (
        influx_query(influx, db, "SELECT * FROM uplinks WHERE dev_eui = '70b3d57ed0061a2b'") == []
    )
    counts = store.counts()
    assert counts.get(RejectReason.UNKNOWN_DEVICE) == 1
    assert RejectReason.MALFORMED not in counts
    assert RejectReason.INTERNAL not in counts
    letter = store.list(RejectReason.UNKNOWN_DEVICE)[0].letter
    assert letter.dev_eui == "70b3d57ed0061a2b"
    assert letter.payload == (LNS / "chirpstack-v4-up-no-codec.json").read_bytes()
    assert "not registered" in letter.error
