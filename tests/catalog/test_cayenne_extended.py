"""Cayenne LPP extended types: the optional decoder, and the TTS-compatible one rejecting them."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lorahub.decoding import cayenne_lpp
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

EXTENDED = [pytest.param(lpp, id=lpp.name) for lpp in cayenne_lpp.EXTENDED_TYPES]

# (code, name, size in bytes, signed, divisor) as the ElectronicCats/CayenneLPP header defines
# them: a second, independent statement of the table under test.
DOCUMENTED = {
    (100, "generic_sensor", 4, False, 1),
    (116, "voltage", 2, False, 100),
    (117, "current", 2, False, 1000),
    (118, "frequency", 4, False, 1),
    (120, "percentage", 1, False, 1),
    (121, "altitude", 2, True, 1),
    (125, "concentration", 2, False, 1),
    (128, "power", 2, False, 1),
    (130, "distance", 4, False, 1000),
    (131, "energy", 4, False, 1000),
    (132, "direction", 2, False, 1),
    (133, "unixtime", 4, False, 1),
    (142, "switch", 1, False, 1),
}


def test_the_table_is_the_documented_one() -> None:
    table = {
        (t.code, t.name, t.layout.size, t.layout.format.islower(), t.divisor or 1)
        for t in cayenne_lpp.EXTENDED_TYPES
    }
    assert table == DOCUMENTED


def _raw_range(lpp: cayenne_lpp._Type) -> tuple[int, int]:
    bits = 8 * lpp.layout.size
    if lpp.layout.format.islower():
        return -(1 << (bits - 1)), (1 << (bits - 1)) - 1
    return 0, (1 << bits) - 1


@pytest.mark.parametrize("lpp", EXTENDED)
@settings(max_examples=200, deadline=None)
@given(data=st.data())
def test_every_extended_type_round_trips(lpp: cayenne_lpp._Type, data: st.DataObject) -> None:
    low, high = _raw_range(lpp)
    raw = data.draw(st.integers(low, high), label="raw")
    channel = data.draw(st.integers(0, 255), label="channel")
    value: JsonValue = raw if lpp.divisor is None else raw / lpp.divisor
    key = f"{lpp.name}_{channel}"
    payload = bytes([channel, lpp.code]) + lpp.layout.pack(raw)
    assert cayenne_lpp.decode_extended(payload, 1) == {key: value}
    assert cayenne_lpp.encode_extended({key: value}, 1) == payload


@pytest.mark.parametrize("lpp", EXTENDED)
def test_the_original_decoder_still_rejects_extended_types(lpp: cayenne_lpp._Type) -> None:
    payload = bytes([1, lpp.code]) + bytes(lpp.layout.size)
    with pytest.raises(DecodeError, match="unknown type"):
        cayenne_lpp.decode(payload, 1)
    with pytest.raises(ValueError, match="cannot encode"):
        cayenne_lpp.encode({f"{lpp.name}_1": 0}, 1)


@pytest.mark.parametrize("lpp", EXTENDED)
def test_a_truncated_extended_item_fails(lpp: cayenne_lpp._Type) -> None:
    payload = bytes([1, lpp.code]) + bytes(lpp.layout.size)
    for cut in range(1, len(payload)):
        with pytest.raises(DecodeError, match="unexpected EOF"):
            cayenne_lpp.decode_extended(payload[:cut], 1)


@pytest.mark.parametrize("lpp", EXTENDED)
def test_out_of_range_values_are_refused(lpp: cayenne_lpp._Type) -> None:
    _, high = _raw_range(lpp)
    too_big = (high + 1) / (lpp.divisor or 1)
    with pytest.raises(ValueError, match="out of range"):
        cayenne_lpp.encode_extended({f"{lpp.name}_1": too_big}, 1)


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**64 - 1))
def test_original_payloads_decode_the_same_either_way(seed: int) -> None:
    f_port, fields = cayenne_lpp.sample(random.Random(seed))  # noqa: S311 - test data
    payload = cayenne_lpp.encode(fields, f_port)
    assert cayenne_lpp.decode_extended(payload, f_port) == cayenne_lpp.decode(payload, f_port)
    assert cayenne_lpp.encode_extended(fields, f_port) == payload


@settings(max_examples=300, deadline=None)
@given(seed=st.integers(0, 2**64 - 1))
def test_sample_extended_round_trips(seed: int) -> None:
    f_port, fields = cayenne_lpp.sample_extended(random.Random(seed))  # noqa: S311 - test data
    assert cayenne_lpp.decode_extended(cayenne_lpp.encode_extended(fields, f_port), f_port) == (
        fields
    )


@settings(max_examples=500, deadline=None)
@given(payload=st.binary(max_size=80))
def test_random_bytes_decode_or_raise_decode_error(payload: bytes) -> None:
    try:
        result = cayenne_lpp.decode_extended(payload, 1)
    except DecodeError:
        return
    assert all(isinstance(key, str) for key in result)


def test_voltage_is_unsigned_as_documented() -> None:
    assert cayenne_lpp.decode_extended(bytes.fromhex("0174ffff"), 1) == {"voltage_1": 655.35}
