"""The device page (the link in every alert): tenant scope, readings, alerts, acknowledging."""

from __future__ import annotations

import time

from lorahub.adapters.alerts_sql import NewAlert
from lorahub.adapters.device_state_sql import DeviceActivity
from tests.web.conftest import B_PIR, DESKS, DESKS_CAM, Village


def _firing(village: Village) -> int:
    alert = NewAlert(
        "altdorf",
        "people-high",
        "threshold",
        DESKS_CAM,
        DESKS,
        "critical",
        "people_count",
        9.0,
        6.0,
        time.time_ns(),
    )
    with village.services.engine.begin() as connection:
        return village.services.alerts.open(alert, connection).id


def test_viewer_sees_readings_and_alerts_but_cannot_acknowledge(village: Village) -> None:
    now = time.time_ns()
    village.services.state.record(
        [
            DeviceActivity(
                DESKS_CAM, now, 3, -101.0, 4.5, 1, {"people_count": 3, "temperature": 21.5}, now
            )
        ],
        [],
    )
    alert_id = _firing(village)
    village.sign_in("viewer")
    page = village.client.get(f"/devices/{DESKS_CAM}")
    assert page.status_code == 200
    assert "desks-cam" in page.text and "Coworking" in page.text
    assert "21.5 °C" in page.text and "-101 dBm / 4.5 dB" in page.text
    assert "people-high" in page.text and "aktiv" in page.text
    assert "acknowledge" not in page.text  # no form for a viewer
    refused = village.client.post(
        f"/devices/{DESKS_CAM}/alerts/{alert_id}/acknowledge", data={"comment": "x"}
    )
    assert refused.status_code == 403
    assert village.services.alerts.get(alert_id, None).state == "firing"  # type: ignore[union-attr]


def test_operator_acknowledges_from_the_page(village: Village) -> None:
    alert_id = _firing(village)
    village.sign_in("operator")
    done = village.client.post(
        f"/devices/{DESKS_CAM}/alerts/{alert_id}/acknowledge",
        data={"comment": "Fenster auf"},
        follow_redirects=False,
    )
    assert done.status_code == 303 and done.headers["location"] == f"/devices/{DESKS_CAM}"
    record = village.services.alerts.get(alert_id, None)
    assert record is not None and record.state == "acknowledged"
    assert record.acknowledged_by == "op-a" and record.ack_comment == "Fenster auf"
    page = village.client.get(f"/devices/{DESKS_CAM}?lang=en")
    assert "acknowledged by op-a: Fenster auf" in page.text


def test_another_tenants_device_is_not_found_and_anonymous_signs_in(village: Village) -> None:
    anonymous = village.client.get(f"/devices/{DESKS_CAM}", follow_redirects=False)
    assert anonymous.status_code == 303 and anonymous.headers["location"].startswith("/login")
    village.sign_in("viewer")
    assert village.client.get(f"/devices/{B_PIR}").status_code == 404
    assert village.client.get("/devices/not-an-eui").status_code == 404
    alert_id = _firing(village)
    village.sign_in("operator_b")
    stolen = village.client.post(f"/devices/{DESKS_CAM}/alerts/{alert_id}/acknowledge")
    assert stolen.status_code == 404
