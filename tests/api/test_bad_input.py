"""Bad input gets a precise 4xx, and nothing in the database changes."""

from __future__ import annotations

import pytest

from lorahub.domain.ids import DevEui
from tests.api.conftest import A_DEV, A_HUB, B_DEV, B_HUB, MODEL, A, B, World, snapshot

V1 = "/api/v1"
NEW = DevEui("70b3d57ed000a0f1")


def _device(**changes: object) -> dict[str, object]:
    return {"dev_eui": NEW, "name": "Bin 1", "model": MODEL, "tenant": A, "site": A_HUB, **changes}


@pytest.mark.parametrize(
    ("who", "body", "status", "message"),
    [
        ("operator", _device(dev_eui="70b3d57ed000a0"), 422, "invalid DevEUI"),
        ("operator", _device(dev_eui="zz-70b3d57ed000a0"), 422, "expected 16 hex characters"),
        ("operator", _device(model="acme/unknown"), 422, "unknown model 'acme/unknown'"),
        ("operator", _device(dev_eui=A_DEV.upper()), 409, f"device {A_DEV} is already registered"),
        ("admin", _device(dev_eui=B_DEV), 409, "already registered"),
        ("operator", _device(site=B_HUB), 422, f"site {B_HUB!r} is not a site of tenant {A!r}"),
        ("admin", _device(site="nowhere"), 422, "is not a site of tenant"),
        ("operator", _device(tenant=B, site=B_HUB), 404, f"tenant {B!r} not found"),
        ("admin", _device(tenant="Upper Case"), 422, "should match pattern"),
        ("admin", _device(name=""), 422, "at least 1 character"),
        ("admin", _device(name="a\x00b"), 422, "control characters"),
        ("admin", _device(empty_distance_m=-1), 422, "greater than or equal to 0"),
        ("admin", _device(colour="red"), 422, "Extra inputs are not permitted"),
        ("admin", {"dev_eui": NEW}, 422, "Field required"),
    ],
)
def test_a_refused_device_changes_nothing(
    world: World, who: str, body: dict[str, object], status: int, message: str
) -> None:
    before = snapshot(world.services.engine)
    response = world.client.post(f"{V1}/devices", json=body, headers=world.auth(who))
    assert response.status_code == status, response.text
    assert message in response.text
    assert snapshot(world.services.engine) == before


@pytest.mark.parametrize(
    ("method", "url", "content", "message"),
    [
        ("POST", "/devices", '{"dev_eui": ', "JSON decode error"),
        ("POST", "/sites", "[1, 2", "JSON decode error"),
        ("PATCH", f"/devices/{A_DEV}", '{"name": None}', "JSON decode error"),
        ("PATCH", f"/devices/{A_DEV}", '{"name": null}', "name may not be null"),
        ("PATCH", f"/devices/{A_DEV}", '{"model": "acme/x"}', "unknown model 'acme/x'"),
        ("PATCH", f"/devices/{A_DEV}", f'{{"site": "{B_HUB}"}}', "is not a site of tenant"),
        ("GET", "/devices/not-a-dev-eui", "", "invalid DevEUI"),
        ("PATCH", f"/sites/{A_HUB}", '{"latitude": 91}', "less than or equal to 90"),
        ("PATCH", f"/sites/{A_HUB}", '{"parent": "bergdorf-hub"}', "is not a site of tenant"),
        ("POST", "/tenants", '{"id": "-x", "name": "X"}', "should match pattern"),
        ("POST", "/tenants", f'{{"id": "{A}", "name": "X"}}', f"tenant {A!r} exists"),
        ("DELETE", f"/sites/{A_HUB}", "", "still has devices or rooms"),
        ("GET", "/dead-letters?reason=bogus", "", "Input should be"),
        ("GET", "/audit?limit=0", "", "greater than or equal to 1"),
    ],
)
def test_malformed_requests_get_clear_messages(
    world: World, method: str, url: str, content: str, message: str
) -> None:
    before = snapshot(world.services.engine)
    response = world.client.request(
        method,
        V1 + url,
        content=content or None,
        headers={**world.auth("admin"), "Content-Type": "application/json"},
    )
    assert 400 <= response.status_code < 500, response.text
    assert message in response.text
    assert snapshot(world.services.engine) == before


CSV_HEADER = "dev_eui,name,model,tenant,site,empty_distance_m,full_distance_m,decoding\n"


def test_csv_import_writes_valid_rows_and_reports_the_rest(world: World) -> None:
    rows = [
        f"70-B3-D5-7E-D0-00-A0-F1,Bin 1,{MODEL},{A},{A_HUB},1.2,0.2,",  # 2: created
        f"{A_DEV},Renamed,{MODEL},{A},{A_HUB},,,lns",  # 3: updated
        f"70b3d57ed0,Short,{MODEL},{A},{A_HUB},,,",  # 4: bad DevEUI
        f"70b3d57ed000a0f2,X,acme/nope,{A},{A_HUB},,,",  # 5: unknown model
        f"70b3d57ed000a0f3,X,{MODEL},{A},{B_HUB},,,",  # 6: site of another tenant
        f"70b3d57ed000a0f4,X,{MODEL},{B},{B_HUB},,,",  # 7: tenant out of scope
        f"70b3d57ed000a0f1,Again,{MODEL},{A},{A_HUB},,,",  # 8: repeats row 2
        f"70b3d57ed000a0f5,X,{MODEL},{A},{A_HUB},,,,extra",  # 9: too many values
        f"70b3d57ed000a0f6,X,{MODEL},{A},{A_HUB},far,,",  # 10: not a number
        f"{B_DEV},Stolen,{MODEL},{A},{A_HUB},,,",  # 11: another tenant's device
    ]
    b_before = world.services.registry.get(B_DEV)
    response = world.client.post(
        f"{V1}/devices/import",
        content=CSV_HEADER + "\n".join(rows) + "\n",
        headers={**world.auth("operator"), "Content-Type": "text/csv; charset=utf-8"},
    )
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"]) == (1, 1)
    reasons = {item["row"]: item["reason"] for item in report["rejected"]}
    assert sorted(reasons) == [4, 5, 6, 7, 8, 9, 10, 11]
    assert "invalid DevEUI" in reasons[4] and "Value error" not in reasons[4]
    assert "unknown model 'acme/nope'" in reasons[5]
    assert f"unknown site {B_HUB!r}" in reasons[6]  # not "B's site": no hint B exists
    assert f"you may not manage tenant {B!r}" in reasons[7]
    assert "repeats an earlier row" in reasons[8]
    assert "more values than columns" in reasons[9]
    assert "empty_distance_m" in reasons[10]
    assert "registered to another tenant" in reasons[11]
    devices = {d.dev_eui: d for d in world.services.registry.list(None)}
    assert sorted(devices) == sorted([A_DEV, B_DEV, NEW])
    assert devices[A_DEV].name == "Renamed" and devices[A_DEV].decoding == "lns"
    assert devices[NEW].calibration.empty_distance_m == 1.2
    assert world.services.registry.get(B_DEV) == b_before


def test_json_import_validates_each_element(world: World) -> None:
    body = [
        _device(),
        _device(dev_eui="nope"),
        "not an object",
        _device(dev_eui="70b3d57ed000a0f2", tags={"bin": "north"}),
        _device(dev_eui="70b3d57ed000a0f3", model="acme/nope"),
    ]
    response = world.client.post(f"{V1}/devices/import", json=body, headers=world.auth("admin"))
    assert response.status_code == 200, response.text
    report = response.json()
    assert (report["created"], report["updated"]) == (2, 0)
    assert [item["row"] for item in report["rejected"]] == [2, 3, 5]
    assert world.services.registry.get(NEW) is not None


@pytest.mark.parametrize(
    ("content_type", "content", "status", "message"),
    [
        ("application/json", b'[{"dev_eui": ', 422, "malformed JSON"),
        ("application/json", b'{"dev_eui": "x"}', 422, "expected a JSON list of devices"),
        ("text/csv", b"dev_eui,name\n1,2\n", 422, "missing columns model, tenant, site"),
        ("text/csv", b"dev_eui,name,model,tenant,site,colour\n", 422, "unknown columns colour"),
        ("text/csv", b"\xff\xfe\x00", 422, "not UTF-8"),
        ("text/csv", b"dev_eui,name,model,tenant,site\n\x00,,,,\n", 422, "NUL"),
        ("text/plain", b"hello", 415, "send text/csv or application/json"),
    ],
)
def test_an_unreadable_import_changes_nothing(
    world: World, content_type: str, content: bytes, status: int, message: str
) -> None:
    before = snapshot(world.services.engine)
    response = world.client.post(
        f"{V1}/devices/import",
        content=content,
        headers={**world.auth("operator"), "Content-Type": content_type},
    )
    assert response.status_code == status, response.text
    assert message in response.text
    assert snapshot(world.services.engine) == before


def test_dev_euis_are_accepted_in_any_form_and_stored_lowercase(world: World) -> None:
    response = world.client.post(
        f"{V1}/devices",
        json=_device(dev_eui="70:B3:D5:7E:D0:00:A0:F1"),
        headers=world.auth("admin"),
    )
    assert response.status_code == 201, response.text
    assert response.json()["dev_eui"] == NEW
    detail = world.client.get(f"{V1}/devices/{NEW.upper()}", headers=world.auth("viewer"))
    assert detail.status_code == 200 and detail.json()["dev_eui"] == NEW
