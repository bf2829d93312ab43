"""The shared Elsys TLV implementation over its whole type table, beyond the models' vectors."""

from __future__ import annotations

import pytest

from lorahub.decoding import elsys_tlv
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

EVERY_TYPE: dict[str, JsonValue] = {
    "temperature": -12.3,
    "humidity": 55,
    "x": -63,
    "y": 0,
    "z": 63,
    "light": 1234,
    "motion": 7,
    "co2": 850,
    "vdd": 3612,
    "analog1": 1500,
    "lat": 59.3293,
    "long": -18.0686,
    "pulse1": 42,
    "pulseAbs": -2,
    "externalTemperature": 4.5,
    "digital": 1,
    "distance": 1234,
    "accMotion": 3,
    "irInternalTemperature": 21.5,
    "irExternalTemperature": -3.2,
    "occupancy": 2,
    "waterleak": 0,
    "grideye": [20 + b / 10 for b in range(64)],
    "pressure": 1013.25,
    "soundPeak": 70,
    "soundAvg": 45,
    "pulse2": 9,
    "pulseAbs2": 2_000_000_000,
    "analog2": 3300,
    "externalTemperature2": [18.5, 19.0, -1.5],
    "digital2": 0,
    "analogUv": -1500,
    "tvoc": 250,
}


def test_every_type_round_trips() -> None:
    assert elsys_tlv.decode(elsys_tlv.encode(EVERY_TYPE)) == EVERY_TYPE


def test_32_bit_values_are_signed_as_in_the_codec() -> None:
    assert elsys_tlv.decode(bytes.fromhex("0bffffffff")) == {"pulseAbs": -1}


def test_a_single_external_temperature_2_is_a_number() -> None:
    assert elsys_tlv.decode(bytes.fromhex("1900be")) == {"externalTemperature2": 19.0}


def test_gps_is_little_endian_s24() -> None:
    assert elsys_tlv.decode(bytes.fromhex("09e8030018fcff")) == {"lat": 0.1, "long": -0.1}


@pytest.mark.parametrize(
    "hex_payload",
    ["", "ff", "01", "0100e202", "13" + "00" * 10, "0100e21400"],
    ids=["empty", "unknown-first", "header-only", "truncated-second", "grideye-short", "pressure"],
)
def test_malformed_payloads_raise_decode_error(hex_payload: str) -> None:
    with pytest.raises(DecodeError, match="elsys"):
        elsys_tlv.decode(bytes.fromhex(hex_payload))


def test_encode_rejects_unknown_and_incomplete_fields() -> None:
    with pytest.raises(ValueError, match="no record type"):
        elsys_tlv.encode({"colour": 1})
    with pytest.raises(ValueError, match="'y' is missing"):
        elsys_tlv.encode({"x": 1})
