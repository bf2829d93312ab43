from __future__ import annotations

from lorahub.decoding.fieldmap import FieldRule, fill_level, normalize
from lorahub.domain.device import Calibration
from lorahub.domain.ids import DevEui
from lorahub.domain.json_value import JsonValue
from lorahub.domain.quantities import QUANTITIES
from lorahub.domain.uplink import Uplink
from lorahub.pipeline.dedup import DuplicateFilter
from lorahub.pipeline.log_gate import RepeatGate

S = 1_000_000_000


def _uplink(f_cnt: int, time_ns: int, payload: bytes = b"\x01") -> Uplink:
    return Uplink(
        lns="chirpstack_v4",
        dev_eui=DevEui("a840414a51c3d7e2"),
        time_ns=time_ns,
        f_port=2,
        f_cnt=f_cnt,
        payload=payload,
    )


def test_repeat_gate_logs_once_per_window() -> None:
    gate = RepeatGate(window_s=60)
    assert gate.should_log("dev", "decode_failed", 0)
    assert not gate.should_log("dev", "decode_failed", 30 * S)
    assert gate.should_log("dev", "unknown_device", 30 * S)
    assert gate.should_log("dev", "decode_failed", 61 * S)


def test_duplicate_filter_skips_repeats_under_new_ids_only() -> None:
    dedup = DuplicateFilter(window_s=300, max_entries=10)
    assert not dedup.is_duplicate(_uplink(1, 100 * S))
    assert not dedup.is_duplicate(_uplink(1, 100 * S)), "identical redelivery is idempotent"
    assert dedup.is_duplicate(_uplink(1, 102 * S)), "same frame 2 s later"
    assert not dedup.is_duplicate(_uplink(1, 1000 * S)), "outside the window: a new frame"
    assert not dedup.is_duplicate(_uplink(2, 102 * S))
    assert not dedup.is_duplicate(_uplink(1, 102 * S, b"\x02"))


def test_normalize_scales_maps_and_derives_fill_level() -> None:
    rules = (
        FieldRule("Distance", QUANTITIES["distance"], scale=0.001),
        FieldRule("vdd", QUANTITIES["battery_voltage"], scale=0.001),
        FieldRule("occupancy", QUANTITIES["occupancy"], values={"0": 0, "1": 1, "2": 1}),
        FieldRule("line_1/total_in", QUANTITIES["people_in"]),
        FieldRule("temperature_*", QUANTITIES["temperature"]),
    )
    vendor: dict[str, JsonValue] = {
        "Distance": "330 mm",
        "vdd": 3610.0,
        "occupancy": 2.0,
        "line_1": {"total_in": 17},
        "temperature_5": 25.5,
        "temperature_3": 27.2,
    }
    readings = normalize(vendor, rules, Calibration(0.6, 0.05))
    assert readings == {
        "distance": 0.33,
        "battery_voltage": 3.61,
        "occupancy": 1,
        "people_in": 17,
        "temperature": 27.2,
        "fill_level": 49.1,
    }
    assert isinstance(readings["occupancy"], int)


def test_normalize_skips_non_numbers_and_nan() -> None:
    rules = (
        FieldRule("Distance", QUANTITIES["distance"], scale=0.001),
        FieldRule("t", QUANTITIES["temperature"]),
    )
    assert normalize({"Distance": "No Sensor", "t": float("nan")}, rules, Calibration()) == {}


def test_fill_level_clamps_and_needs_calibration() -> None:
    assert fill_level(0.7, Calibration(0.6, 0.05)) == 0.0
    assert fill_level(0.01, Calibration(0.6, 0.05)) == 100.0
    assert fill_level(0.3, Calibration()) is None
    assert fill_level(0.3, Calibration(0.05, 0.6)) is None


def test_normalize_drops_values_outside_the_physical_range() -> None:
    rules = (
        FieldRule("TempC_DS", QUANTITIES["external_temperature"]),
        FieldRule("Hum", QUANTITIES["relative_humidity"]),
    )
    assert normalize({"TempC_DS": 327.67, "Hum": 45}, rules, Calibration()) == {
        "relative_humidity": 45.0
    }


def test_normalize_requires_and_channel_order() -> None:
    rules = (
        FieldRule("distance/value", QUANTITIES["distance"], scale=0.001, requires="samples/value"),
        FieldRule("temperature_*", QUANTITIES["temperature"]),
    )
    vendor: dict[str, JsonValue] = {
        "distance": {"value": 0},
        "samples": {"value": 0},
        "temperature_10": 30.0,
        "temperature_2": 20.0,
    }
    assert normalize(vendor, rules, Calibration()) == {"temperature": 20.0}
    vendor["samples"] = {"value": 3}
    assert normalize(vendor, rules, Calibration())["distance"] == 0.0
