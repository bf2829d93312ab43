"""JavaScript codecs and server-decoded objects through broker, service and InfluxDB."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from lorahub.daemons import InfluxDB
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.errors import RejectReason
from lorahub.simulation.envelopes import RadioSample, chirpstack_v4_uplink
from tests.catalog_builder import build_test_catalog
from tests.e2e.conftest import StartIngest
from tests.e2e.harness import Publisher, async_wait_for

LNS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "lns"
RADIO = RadioSample(rssi=-90, snr=5.0, frequency=868_100_000, spreading_factor=7)
ROOM = Device(DevEui("acacacacacac0001"), "room", ModelId("acme/room-sensor"), "t", "hub")
RUNAWAY = Device(DevEui("acacacacacac0002"), "runaway", ModelId("acme/runaway"), "t", "hub")
SERVER = Device(
    DevEui("a840414a51c3d7e2"), "env", ModelId("dragino/lht65n"), "t", "square", decoding="lns"
)


async def test_js_codec_lns_decoding_and_a_runaway_codec_in_the_pipeline(
    tmp_path: Path,
    running_influxdb: InfluxDB,
    influx_database: str,
    publisher: Publisher,
    start_ingest: StartIngest,
) -> None:
    catalog = build_test_catalog(tmp_path / "decoders")
    ingest = await start_ingest("codecs", [ROOM, RUNAWAY, SERVER], catalog_dir=catalog)
    base = 1_700_000_000_000_000_000
    messages = [
        chirpstack_v4_uplink(ROOM, 5, 1, bytes.fromhex("0100e2022d0309c4"), base, RADIO),
        chirpstack_v4_uplink(RUNAWAY, 1, 1, b"\x01", base + 1, RADIO),  # loops forever
        chirpstack_v4_uplink(ROOM, 5, 2, bytes.fromhex("01ff9c"), base + 2, RADIO),
    ]
    for topic, body in messages:
        publisher.publish(topic, body)
    tts = json.loads((LNS / "tts-v3-up.json").read_bytes())
    tts["uplink_message"]["frm_payload"] = "AA=="  # not LHT65N bytes: the server's object counts
    publisher.publish(
        "v3/smart-village-lindenau@ttn/devices/env-dorfplatz-01/up", json.dumps(tts).encode()
    )

    def settled() -> bool:
        return (
            running_influxdb.count(influx_database, "readings", "temperature") >= 3
            and ingest.dead_letters.counts().get(RejectReason.CODEC_TIMEOUT) == 1
        )

    await async_wait_for(settled, 20, "readings and the codec_timeout dead letter")
    await asyncio.sleep(0.5)
    rows = running_influxdb.query(
        influx_database, "SELECT temperature, relative_humidity, device FROM readings"
    )
    by_device = sorted((row["device"], row["temperature"]) for row in rows)
    assert by_device == [("env", 12.34), ("room", -10.0), ("room", 22.6)]
    assert running_influxdb.count(influx_database, "uplinks", "f_port") == 4
    letter = ingest.dead_letters.list(RejectReason.CODEC_TIMEOUT)[0].letter
    assert letter.dev_eui == RUNAWAY.dev_eui
    assert "stopped after 100 ms" in letter.error
