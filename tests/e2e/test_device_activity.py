"""Through the real broker: each device's last activity and the unregistered DevEUIs heard."""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from lorahub.adapters.device_state_sql import SqlDeviceState
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.settings import load_settings
from tests.e2e.conftest import StartIngest
from tests.e2e.harness import Publisher, async_wait_for

LNS = Path(__file__).resolve().parents[3] / "shared" / "reference" / "lns"
APP = "application/a3f1c2d4-5b6e-4f70-8a91-b2c3d4e5f601/device"
KNOWN = DevEui("a840414a51c3d7e2")
STRANGER = DevEui("70b3d57ed0051234")
NS = 1_000_000_000


def _message(name: str, dev_eui: DevEui, f_cnt: int, minute: int) -> tuple[str, bytes]:
    body = json.loads((LNS / name).read_text())
    body["deviceInfo"]["devEui"] = dev_eui
    body["deduplicationId"] = str(uuid.uuid4())
    body["time"] = f"2025-05-14T07:{minute:02d}:02.481913+00:00"
    event = "status" if "status" in name else "up"
    if event == "up":
        body["fCnt"] = f_cnt
    return f"{APP}/{dev_eui}/event/{event}", json.dumps(body).encode()


async def test_activity_and_pending_devices_are_recorded(
    publisher: Publisher, start_ingest: StartIngest
) -> None:
    device = Device(KNOWN, "env-dorfplatz-01", ModelId("dragino/lht65n"), "lindenau", "dorfplatz")
    ingest = await start_ingest("activity", [device], registry_extra="state_flush_s = 0.2")
    state = SqlDeviceState(create_database_engine(load_settings(ingest.config).registry.url))

    publisher.publish_many(
        [
            _message("chirpstack-v4-up.json", KNOWN, 1842, 15),
            _message("chirpstack-v4-status.json", KNOWN, 0, 15),
            _message("chirpstack-v4-up-mac-only.json", KNOWN, 1843, 20),  # keeps the readings
            _message("chirpstack-v4-up.json", STRANGER, 7, 16),
            _message("chirpstack-v4-up.json", STRANGER, 8, 17),
            _message("chirpstack-v4-status.json", STRANGER, 0, 18),
        ]
    )

    def recorded() -> bool:
        activity = state.activity(KNOWN)
        pending = state.pending()
        return (
            activity is not None
            and activity.f_cnt == 1843
            and "battery" in activity.readings
            and bool(pending)
            and pending[0].uplinks == 3
        )

    await async_wait_for(recorded, 15, "device activity and the pending DevEUI")
    activity = state.activity(KNOWN)
    assert activity is not None
    minute_20 = 1_747_207_202_481_913_000  # 2025-05-14T07:20:02.481913Z
    assert activity.last_seen_ns == minute_20
    mac_only = json.loads((LNS / "chirpstack-v4-up-mac-only.json").read_text())["rxInfo"][0]
    assert (activity.rssi, activity.snr) == (mac_only["rssi"], mac_only["snr"])
    assert activity.gateways == 1
    assert activity.readings["temperature"] == 12.34
    assert activity.readings["battery"] == 88.2
    assert activity.readings_ns == minute_20 - 5 * 60 * NS  # the data uplink, not the MAC frame

    [pending] = state.pending()
    assert pending.dev_eui == STRANGER
    assert pending.uplinks == 3
    assert pending.lns_name is None  # the newest was the status event, which names no device
    assert pending.last_topic.endswith(f"/{STRANGER}/event/status")
    assert json.loads(pending.last_payload)["batteryLevel"] == 88.18898
    assert pending.first_seen_ns == minute_20 - 4 * 60 * NS
