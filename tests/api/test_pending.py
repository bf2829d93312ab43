"""Pending DevEUIs: listed for admins and operators, claimed into a device in one transaction."""

from __future__ import annotations

import time

from lorahub.adapters.device_state_sql import Sighting
from lorahub.domain.ids import DevEui
from tests.api.conftest import A_DEV, A_HUB, B_HUB, MODEL, PENDING, A, World, snapshot

V1 = "/api/v1"
HEARD = DevEui("a84041000181c2d3")


def _claim(**changes: object) -> dict[str, object]:
    return {"name": "Parcel box", "model": MODEL, "tenant": A, "site": A_HUB, **changes}


def _hear_twice(world: World) -> None:
    now = time.time_ns()
    world.services.state.record(
        [],
        [
            Sighting(HEARD, now, "tts-eu1", "v3/app/devices/x/up", b"\x01\x02"),
            Sighting(HEARD, now + 1_000_000_000, "tts-eu1", "v3/app/devices/x/up", b"\xca\xfe"),
        ],
    )


def test_pending_devices_show_the_last_uplink(world: World) -> None:
    _hear_twice(world)
    response = world.client.get(f"{V1}/pending-devices", headers=world.auth("operator"))
    assert response.status_code == 200, response.text
    heard = response.json()[0]
    assert heard["dev_eui"] == HEARD
    assert heard["uplinks"] == 2
    assert heard["lns_name"] == "tts-eu1"
    assert heard["last_payload_hex"] == "cafe"
    assert heard["last_seen"] > heard["first_seen"]
    assert [item["dev_eui"] for item in response.json()] == [HEARD, PENDING]
    limited = world.client.get(f"{V1}/pending-devices?limit=1", headers=world.auth("admin"))
    assert len(limited.json()) == 1


def test_viewers_do_not_see_pending_devices(world: World) -> None:
    response = world.client.get(f"{V1}/pending-devices", headers=world.auth("viewer"))
    assert response.status_code == 403


def test_claim_registers_the_device_and_drops_it_from_pending(world: World) -> None:
    _hear_twice(world)
    response = world.client.post(
        f"{V1}/pending-devices/{HEARD.upper()}/claim",
        json=_claim(tags={"route": "north"}),
        headers=world.auth("operator"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["dev_eui"] == HEARD and response.json()["tags"] == {"route": "north"}
    device = world.services.registry.get(HEARD)
    assert device is not None and device.tenant == A and device.name == "Parcel box"
    assert HEARD not in [p.dev_eui for p in world.services.state.pending()]
    entry = world.services.audit.entries(frozenset({A}), limit=1)[0]
    assert (entry.actor, entry.action, entry.entity_id) == (f"operator-{A}", "claim", HEARD)
    again = world.client.post(
        f"{V1}/pending-devices/{HEARD}/claim", json=_claim(), headers=world.auth("operator")
    )
    assert again.status_code == 404
    assert "pending device" in again.text


def test_a_refused_claim_leaves_the_device_pending(world: World) -> None:
    cases = [
        (_claim(site=B_HUB), 422, "is not a site of tenant"),
        (_claim(model="acme/nope"), 422, "unknown model"),
        (_claim(tenant="bergdorf", site=B_HUB), 404, "tenant 'bergdorf' not found"),
        (_claim(name=""), 422, "at least 1 character"),
    ]
    before = snapshot(world.services.engine)
    for body, status, message in cases:
        response = world.client.post(
            f"{V1}/pending-devices/{PENDING}/claim", json=body, headers=world.auth("operator")
        )
        assert response.status_code == status, response.text
        assert message in response.text
    assert (
        world.client.post(
            f"{V1}/pending-devices/{A_DEV}/claim", json=_claim(), headers=world.auth("operator")
        ).status_code
        == 404
    )
    assert snapshot(world.services.engine) == before


def test_device_detail_shows_the_last_activity(world: World) -> None:
    response = world.client.get(f"{V1}/devices/{A_DEV}", headers=world.auth("viewer"))
    assert response.status_code == 200, response.text
    detail = response.json()
    assert detail["activity"]["f_cnt"] == 7
    assert (detail["activity"]["rssi"], detail["activity"]["snr"]) == (-97.0, 6.5)
    assert detail["activity"]["gateways"] == 2
    assert detail["activity"]["readings"] == {"co2": 612, "battery_voltage": 3.6}
    assert detail["activity"]["last_seen"].endswith("Z")
    assert detail["battery"] == {"percent": None, "voltage": 3.6}
