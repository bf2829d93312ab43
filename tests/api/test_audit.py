"""Every change leaves an audit entry naming its actor; entries and dead letters are scoped."""

from __future__ import annotations

from tests.api.conftest import A_DEV, A_HUB, B_DEV, MODEL, A, B, World

V1 = "/api/v1"


def _audit(world: World, who: str, limit: int = 100) -> list[dict[str, object]]:
    response = world.client.get(f"{V1}/audit?limit={limit}", headers=world.auth(who))
    assert response.status_code == 200, response.text
    entries: list[dict[str, object]] = response.json()
    return entries


def test_changes_are_audited_and_scoped(world: World) -> None:
    operator, admin = world.auth("operator"), world.auth("admin")
    site = {"id": "altdorf-station", "tenant": A, "name": "Station", "kind": "parcel_station"}
    device = {"dev_eui": "70b3d57ed000a0f1", "name": "Box", "model": MODEL, "tenant": A}
    calls = [
        world.client.post(f"{V1}/sites", json=site, headers=operator),
        world.client.patch(f"{V1}/sites/{A_HUB}", json={"capacity": 12}, headers=operator),
        world.client.post(f"{V1}/devices", json={**device, "site": A_HUB}, headers=operator),
        world.client.patch(f"{V1}/devices/{A_DEV}", json={"name": "Renamed"}, headers=operator),
        world.client.delete(f"{V1}/devices/{A_DEV}", headers=operator),
        world.client.patch(f"{V1}/tenants/{A}", json={"language": "en"}, headers=operator),
        world.client.post(f"{V1}/devices/import", json=[], headers=operator),
        world.client.patch(f"{V1}/devices/{B_DEV}", json={"name": "B!"}, headers=admin),
        world.client.post(f"{V1}/tenants", json={"id": "c", "name": "C"}, headers=admin),
    ]
    assert [call.status_code for call in calls] == [201, 200, 201, 200, 204, 200, 200, 200, 201]

    mine = [e for e in _audit(world, "operator") if e["actor"] != "seed"]
    assert [(e["action"], e["entity"], e["entity_id"]) for e in mine] == [
        ("update", "tenant", A),
        ("delete", "device", A_DEV),
        ("update", "device", A_DEV),
        ("create", "device", "70b3d57ed000a0f1"),
        ("update", "site", A_HUB),
        ("create", "site", "altdorf-station"),
    ]
    assert {e["actor"] for e in mine} == {f"operator-{A}"}
    assert mine[4]["detail"] == {"capacity": 12}
    assert {e["tenant"] for e in _audit(world, "viewer")} == {A}

    everything = _audit(world, "admin")
    assert {e["tenant"] for e in everything} == {A, B, "c"}
    assert everything[0]["actor"] == "root" and everything[0]["entity_id"] == "c"
    assert len(_audit(world, "admin", limit=2)) == 2


def test_an_import_is_audited_per_tenant(world: World) -> None:
    rows = [
        {"dev_eui": A_DEV, "name": "A!", "model": MODEL, "tenant": A, "site": A_HUB},
        {"dev_eui": "70b3d57ed000a0f1", "name": "new", "model": MODEL, "tenant": A, "site": A_HUB},
    ]
    response = world.client.post(f"{V1}/devices/import", json=rows, headers=world.auth("operator"))
    assert response.json() == {"created": 1, "updated": 1, "rejected": []}
    entry = _audit(world, "viewer")[0]
    assert (entry["action"], entry["tenant"]) == ("import", A)
    assert entry["actor"] == f"operator-{A}"
    assert entry["detail"] == {"devices": 2, "created": 1, "updated": 1}


def test_dead_letters_are_scoped_to_the_tenants_devices(world: World) -> None:
    def dev_euis(who: str, query: str = "") -> list[object]:
        response = world.client.get(f"{V1}/dead-letters{query}", headers=world.auth(who))
        assert response.status_code == 200, response.text
        return [letter["dev_eui"] for letter in response.json()]

    assert dev_euis("viewer") == [A_DEV]
    assert dev_euis("operator", "?reason=malformed") == []
    assert dev_euis("admin") == [None, B_DEV, A_DEV]
    assert dev_euis("admin", "?reason=malformed") == [None]
    assert dev_euis("admin", "?limit=1") == [None]
    letter = world.client.get(f"{V1}/dead-letters", headers=world.auth("viewer")).json()[0]
    assert (letter["reason"], letter["payload_hex"], letter["error"]) == (
        "decode_failed",
        "ff",
        "bad",
    )
