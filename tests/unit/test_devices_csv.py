from __future__ import annotations

import pytest

from lorahub.devices_csv import parse_device_rows

MODELS = {"elsys/ers-co2", "dragino/ldds75"}


def test_valid_rows_become_devices() -> None:
    text = (
        "dev_eui,name,model,tenant,site,empty_distance_m,full_distance_m\n"
        "A8-17-58-FF-FE-0C-4E-21,raum1,elsys/ers-co2,lindenau,hub,,\n"
        "a84041c2e1b05f31,box1,dragino/ldds75,lindenau,paket,0.6,0.05\n"
    )
    rows = list(parse_device_rows(text, MODELS))
    assert [row.problem for row in rows] == [None, None]
    first, second = (row.device for row in rows)
    assert first is not None and second is not None
    assert first.dev_eui == "a81758fffe0c4e21"
    assert second.calibration.empty_distance_m == 0.6


def test_bad_rows_are_reported_and_good_rows_kept() -> None:
    text = (
        "dev_eui,name,model,tenant,site\n"
        "nothex,raum1,elsys/ers-co2,lindenau,hub\n"
        "a81758fffe0c4e21,raum1,elsys/unknown,lindenau,hub\n"
        "a81758fffe0c4e22,,elsys/ers-co2,lindenau,hub\n"
        "a81758fffe0c4e23,ok,elsys/ers-co2,lindenau,hub\n"
        "a81758fffe0c4e23,again,elsys/ers-co2,lindenau,hub\n"
        "a81758fffe0c4e24,x,elsys/ers-co2,lindenau,hub,extra\n"
    )
    rows = list(parse_device_rows(text, MODELS))
    reasons = [row.problem.reason if row.problem else None for row in rows]
    assert "invalid DevEUI" in (reasons[0] or "")
    assert "unknown model 'elsys/unknown'" in (reasons[1] or "")
    assert "name" in (reasons[2] or "")
    assert reasons[3] is None
    assert "repeats an earlier row" in (reasons[4] or "")
    assert "more values than columns" in (reasons[5] or "")
    assert [row.line for row in rows] == [2, 3, 4, 5, 6, 7]


def test_header_must_name_the_columns() -> None:
    with pytest.raises(ValueError, match="missing columns model"):
        list(parse_device_rows("dev_eui,name,tenant,site\n", MODELS))
    with pytest.raises(ValueError, match="unknown columns colour"):
        list(parse_device_rows("dev_eui,name,model,tenant,site,colour\n", MODELS))


def test_expected_interval_is_optional_and_positive() -> None:
    text = (
        "dev_eui,name,model,tenant,site,expected_interval_s\n"
        "a81758fffe0c4e21,raum1,elsys/ers-co2,lindenau,hub,900\n"
        "a81758fffe0c4e22,raum2,elsys/ers-co2,lindenau,hub,\n"
        "a81758fffe0c4e23,raum3,elsys/ers-co2,lindenau,hub,0\n"
    )
    rows = list(parse_device_rows(text, MODELS))
    intervals = [row.device.expected_interval_s if row.device else None for row in rows[:2]]
    assert intervals == [900, None]
    assert rows[2].problem is not None
    assert "expected_interval_s: Value error, must be a positive" in rows[2].problem.reason
