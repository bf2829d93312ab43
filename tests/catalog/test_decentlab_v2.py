"""The shared Decentlab protocol v2 implementation, over both model tables, beyond the vectors."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lorahub.decoding import decentlab_v2
from lorahub.decoding.decentlab_v2 import DL_IAM, DL_MBX, Model
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

MODELS = [pytest.param(DL_MBX, id="dl-mbx"), pytest.param(DL_IAM, id="dl-iam")]
WORD = st.integers(0, 0xFFFF)


@st.composite
def frames(draw: st.DrawFn, model: Model) -> bytes:
    """A well-formed frame: any device id, any subset of the model's sensors, any words."""
    bits = draw(st.sets(st.integers(0, len(model.sensors) - 1)))
    flags = sum(1 << bit for bit in bits)
    body = b"".join(
        draw(WORD).to_bytes(2, "big")
        for bit in sorted(bits)
        for _ in range(model.sensors[bit].words)
    )
    return bytes([2]) + draw(WORD).to_bytes(2, "big") + flags.to_bytes(2, "big") + body


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_frame_round_trips_through_decode_and_encode(model: Model, data: st.DataObject) -> None:
    frame = data.draw(frames(model), label="frame")
    fields = decentlab_v2.decode(model, frame)
    assert decentlab_v2.encode(model, fields) == frame
    assert decentlab_v2.decode(model, decentlab_v2.encode(model, fields)) == fields


@pytest.mark.parametrize("model", MODELS)
def test_every_word_value_inverts_exactly(model: Model) -> None:
    """Encoding a decoded value gives back its word, for all 65536 words of every value."""
    for sensor in model.sensors:
        for value in sensor.values:
            if value.invert is None:
                continue
            for word in range(0x10000):
                words = [word] * sensor.words
                assert value.invert(value.convert(words)) == word, (value.name, word)


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_mutated_and_truncated_frames_only_raise_decode_error(
    model: Model, data: st.DataObject
) -> None:
    frame = bytearray(data.draw(frames(model), label="frame"))
    cut = data.draw(st.integers(0, len(frame)), label="cut")
    frame = frame[:cut] + data.draw(st.binary(max_size=6), label="tail")
    if frame:
        index = data.draw(st.integers(0, len(frame) - 1), label="index")
        frame[index] = data.draw(st.integers(0, 255), label="byte")
    try:
        result = decentlab_v2.decode(model, bytes(frame))
    except DecodeError:
        return
    assert result["protocol_version"] == 2
    assert isinstance(result["device_id"], int)


@pytest.mark.parametrize("model", MODELS)
def test_every_truncation_of_a_full_frame_raises(model: Model) -> None:
    flags = (1 << len(model.sensors)) - 1
    words = sum(sensor.words for sensor in model.sensors)
    frame = bytes([2, 0x0B, 0xBD]) + flags.to_bytes(2, "big") + b"\x01\x02" * words
    decentlab_v2.decode(model, frame)
    for cut in range(len(frame)):
        with pytest.raises(DecodeError):
            decentlab_v2.decode(model, frame[:cut])


def test_wrong_version_carries_the_codec_message() -> None:
    with pytest.raises(DecodeError, match="protocol version 1 doesn't match v2"):
        decentlab_v2.decode(DL_MBX, bytes.fromhex("01012f000304d200010bb1"))


def test_flag_bits_beyond_the_sensors_and_trailing_bytes_are_ignored() -> None:
    assert decentlab_v2.decode(DL_MBX, bytes.fromhex("02012fff020bb1dead")) == {
        "protocol_version": 2,
        "device_id": 303,
        "battery_voltage": {"displayName": "Battery voltage", "value": 2.993, "unit": "V"},
    }


def test_unitless_values_have_no_unit_key() -> None:
    fields = decentlab_v2.decode(DL_IAM, bytes.fromhex("020bbd0020002a"))
    assert fields["activity_counter"] == {"displayName": "Activity counter", "value": 42}


def test_illuminance_follows_the_codec_formula() -> None:
    fields = decentlab_v2.decode(DL_IAM, bytes.fromhex("020bbd000802620069"))
    illuminance = fields["illuminance"]
    assert isinstance(illuminance, dict)
    assert illuminance["value"] == pytest.approx(678.76512, rel=1e-12)


@pytest.mark.parametrize(
    "fields",
    [
        {"device_id": 1, "distance": {"value": 1}},  # number_of_valid_samples missing
        {"device_id": 1, "battery_voltage": {"value": 70.0}},  # 70000 mV > u16
        {"device_id": 1, "battery_voltage": {"value": -1.0}},
        {"device_id": 1, "temperature": {"value": 20.0}},  # not a DL-MBX field
        {"device_id": 70000},
        {"protocol_version": 3, "device_id": 1},
        {"device_id": 1, "battery_voltage": 3.0},  # not an object
    ],
)
def test_encode_rejects_what_the_frame_cannot_carry(fields: dict[str, JsonValue]) -> None:
    with pytest.raises(ValueError, match=r"dl-mbx|decentlab"):
        decentlab_v2.encode(DL_MBX, fields)
