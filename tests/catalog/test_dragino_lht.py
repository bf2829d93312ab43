"""The shared LHT65/LHT65N frame: round trips for both models and robustness to broken frames."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from lorahub.decoding import dragino_lht
from lorahub.decoding.dragino_lht import LHT65, LHT65N, LhtModel
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

MODELS = [pytest.param(LHT65, id="lht65"), pytest.param(LHT65N, id="lht65n")]
ENCODABLE = {LHT65: (0, 1, 4, 5, 6, 7, 8, 9, 15), LHT65N: (0, 1, 2, 4, 5, 6, 7, 8, 9, 15)}
TEMPERATURES = st.integers(-32768, 32767).map(lambda raw: raw / 100)


@st.composite
def frames(draw: st.DrawFn, model: LhtModel) -> bytes:
    """An 11-byte frame of an encodable Ext type, poll flag clear, other bytes random."""
    frame = bytearray(draw(st.binary(min_size=11, max_size=11)))
    ext = draw(st.sampled_from(ENCODABLE[model]))
    frame[6] = (frame[6] & 0xB0) | ext
    return bytes(frame)


@st.composite
def field_sets(draw: st.DrawFn, model: LhtModel) -> dict[str, JsonValue]:
    """Vendor fields as decode returns them, for every encodable Ext type."""
    ext = draw(st.sampled_from(ENCODABLE[model]))
    status = draw(st.integers(0, 3))
    fields: dict[str, JsonValue] = {"Bat_status": status}
    if ext == 9:
        fields["TempC_DS"] = draw(TEMPERATURES)
    else:
        fields["BatV"] = draw(st.integers(0, 0x3FFF)) / 1000
    if ext != 15:
        fields["TempC_SHT"] = draw(TEMPERATURES)
        fields["Hum_SHT"] = draw(st.integers(0, 0x0FFF)) / 10
    if draw(st.booleans()):
        fields["No_connect"] = "Sensor no connection"
    if ext == 0:
        fields["Ext_sensor"] = "No external sensor"
    elif ext in (1, 2):
        fields["Ext_sensor"] = "Temperature Sensor"
        fields["TempC_DS" if ext == 1 else "TempC_TMP117"] = draw(TEMPERATURES)
    elif ext == 4:
        fields["Work_mode"] = "Interrupt Sensor send"
        fields["Exti_pin_level"] = draw(st.sampled_from(("High", "Low")))
        fields["Exti_status"] = draw(st.sampled_from(("True", "False")))
    elif ext == 5:
        fields["Work_mode"] = "Illumination Sensor"
        fields["ILL_lx"] = draw(st.integers(0, 0xFFFF))
    elif ext == 6:
        fields["Work_mode"] = "ADC Sensor"
        fields["ADC_V"] = draw(st.integers(0, 0xFFFF)) / 1000
    elif ext in (7, 8):
        fields["Work_mode"] = "Interrupt Sensor count"
        bounds = (0, 0xFFFF) if ext == 7 else (-(2**31), 2**31 - 1)
        fields["Exit_count"] = draw(st.integers(*bounds))
    elif ext == 9:
        fields["Work_mode"] = "DS18B20 & timestamp"
        fields["Systimestamp"] = draw(st.integers(0, 2**32 - 1))
    else:
        fields["Work_mode"] = "DS18B20ID"
        fields["ID"] = "".join(f"{b:02x} " for b in draw(st.binary(min_size=8, max_size=8)))
    return fields


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_fields_round_trip(model: LhtModel, data: st.DataObject) -> None:
    fields = data.draw(field_sets(model))
    frame = dragino_lht.encode(fields, model)
    assert len(frame) == dragino_lht.FRAME_SIZE
    assert dragino_lht.decode(frame, dragino_lht.F_PORT, model) == fields


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_frames_decode_to_a_fixed_point(model: LhtModel, data: st.DataObject) -> None:
    fields = dragino_lht.decode(data.draw(frames(model)), dragino_lht.F_PORT, model)
    again = dragino_lht.decode(dragino_lht.encode(fields, model), dragino_lht.F_PORT, model)
    assert again == fields


@pytest.mark.parametrize("model", MODELS)
@settings(max_examples=500, deadline=None)
@given(data=st.data())
def test_mutated_frames_decode_or_raise_decode_error(model: LhtModel, data: st.DataObject) -> None:
    frame = bytearray(data.draw(frames(model)))
    frame = frame[: data.draw(st.integers(0, 11))] + data.draw(st.binary(max_size=4))
    if frame:
        frame[data.draw(st.integers(0, len(frame) - 1))] = data.draw(st.integers(0, 255))
    f_port = data.draw(st.sampled_from((2, 2, 2, 1, 3, 42)))
    try:
        fields = dragino_lht.decode(bytes(frame), f_port, model)
    except DecodeError:
        return
    assert len(frame) == dragino_lht.FRAME_SIZE
    assert f_port == dragino_lht.F_PORT
    assert not frame[6] & 0x40
    assert all(isinstance(key, str) for key in fields)


@pytest.mark.parametrize("model", MODELS)
@given(length=st.integers(0, 40).filter(lambda n: n != dragino_lht.FRAME_SIZE))
def test_wrong_length_raises_decode_error(model: LhtModel, length: int) -> None:
    with pytest.raises(DecodeError, match="expected 11 bytes"):
        dragino_lht.decode(bytes(length), dragino_lht.F_PORT, model)


def test_ext_2_is_a_tmp117_on_the_lht65n_only() -> None:
    frame = bytes.fromhex("cbf60b0d0376020add7fff")
    base = {"BatV": 3.062, "Bat_status": 3, "TempC_SHT": 28.29, "Hum_SHT": 88.6}
    assert dragino_lht.decode(frame, 2, LHT65) == base
    assert dragino_lht.decode(frame, 2, LHT65N) == base | {
        "Ext_sensor": "Temperature Sensor",
        "TempC_TMP117": 27.81,
    }
    with pytest.raises(ValueError, match="no encodable external sensor"):
        dragino_lht.encode(base | {"TempC_TMP117": 27.81}, LHT65)


@pytest.mark.parametrize(
    ("change", "match"),
    [
        ({"Hum_SHT": 409.6}, "Hum_SHT"),
        ({"BatV": 16.384}, "BatV"),
        ({"Bat_status": 4}, "Bat_status"),
        ({"TempC_SHT": "warm"}, "must be a number"),
        ({"TempC_DS": 400.0}, "cannot encode"),
    ],
)
def test_encode_rejects_what_the_frame_cannot_carry(
    change: dict[str, JsonValue], match: str
) -> None:
    fields: dict[str, JsonValue] = {
        "BatV": 3.062,
        "Bat_status": 3,
        "TempC_SHT": 28.29,
        "Hum_SHT": 88.6,
        "Ext_sensor": "Temperature Sensor",
        "TempC_DS": 27.81,
    }
    with pytest.raises(ValueError, match=match):
        dragino_lht.encode(fields | change, LHT65N)
