"""The Dragino LHT65/LHT65N 11-byte measurement frame: decode and encode it for both models.

One implementation of the frame that ``lht65.js`` and ``lht65n.js`` (TTN lorawan-devices
@96abc53) decode: battery status and voltage, the on-board SHT temperature and humidity, and an
external sensor whose type is the low nibble of byte 6. The two models differ only in what
:class:`LhtModel` describes. Fixed where the codecs are wrong or silent: the fPort is checked,
a wrong length or a poll reply raises :class:`DecodeError` instead of returning nothing, byte 6
bit 7 is the "probe not connected" flag (``lht65n.js`` reads it as a datalog branch), and an SHT
temperature whose high byte is 0x02 decodes normally (``lht65n.js`` misreads it as a
multi-probe frame).
"""

from __future__ import annotations

import random
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from lorahub.decoding.vendor_values import require_number
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

F_PORT = 2
FRAME_SIZE = 11
_HEAD = struct.Struct(">HhHB")  # battery word, SHT temperature, SHT humidity word, Ext byte
_S16, _U16, _S32, _U32 = (struct.Struct(f">{c}") for c in "hHiI")
_POLL, _NO_CONNECT = 0x40, 0x80
_TEMP_SENSOR, _NO_SENSOR = "Temperature Sensor", "No external sensor"
_COUNT = "Interrupt Sensor count"
_MODES = {
    4: "Interrupt Sensor send",
    5: "Illumination Sensor",
    6: "ADC Sensor",
    7: _COUNT,
    8: _COUNT,
    9: "DS18B20 & timestamp",
    15: "DS18B20ID",
}
_ID_BYTES = (2, 3, 4, 5, 7, 8, 9, 10)  # the frame bytes that Ext 15 prints as the probe ID


@dataclass(frozen=True, slots=True)
class LhtModel:
    """What differs between the models that send the frame."""

    name: str
    """Names the model in error messages (``"lht65n"``)."""
    tmp117: bool
    """Ext 2 is a TMP117 probe (``TempC_TMP117``); without it Ext 2 adds no field."""


LHT65 = LhtModel("lht65", tmp117=False)
LHT65N = LhtModel("lht65n", tmp117=True)


def decode(payload: bytes, f_port: int, model: LhtModel) -> dict[str, JsonValue]:
    """Decode an 11-byte fPort-2 frame into the codec's vendor fields.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort.
        model: the sending model.

    Returns:
        ``BatV`` (absent for Ext 9), ``Bat_status``, ``TempC_SHT`` and ``Hum_SHT`` (absent for
        Ext 15), ``No_connect`` when flagged, and the external sensor's fields.

    Raises:
        DecodeError: an fPort other than 2, a length other than 11, or a poll-reply frame.
    """
    if f_port != F_PORT:
        raise DecodeError(f"{model.name}: unknown FPort {f_port} (measurements use fPort 2)")
    if len(payload) != FRAME_SIZE:
        raise DecodeError(f"{model.name}: expected {FRAME_SIZE} bytes, got {len(payload)}")
    word0, temp_raw, hum_word, ext_byte = _HEAD.unpack_from(payload)
    if ext_byte & _POLL:
        raise DecodeError(f"{model.name}: poll-reply frame (byte 6 bit 6) has no live reading")
    ext = ext_byte & 0x0F
    fields: dict[str, JsonValue] = {}
    if ext == 9:  # bytes 0-1 hold the probe temperature; the battery status sits in byte 4
        fields["TempC_DS"] = _S16.unpack_from(payload)[0] / 100
        fields["Bat_status"] = payload[4] >> 6
    else:
        fields["BatV"] = (word0 & 0x3FFF) / 1000
        fields["Bat_status"] = word0 >> 14
    if ext != 15:
        fields["TempC_SHT"] = temp_raw / 100
        fields["Hum_SHT"] = (hum_word & 0x0FFF) / 10
    if ext_byte & _NO_CONNECT:
        fields["No_connect"] = "Sensor no connection"
    if ext == 0:
        fields["Ext_sensor"] = _NO_SENSOR
    elif ext == 1 or (ext == 2 and model.tmp117):
        fields["Ext_sensor"] = _TEMP_SENSOR
        fields["TempC_DS" if ext == 1 else "TempC_TMP117"] = _S16.unpack_from(payload, 7)[0] / 100
    elif ext in _MODES:
        fields["Work_mode"] = _MODES[ext]
        _decode_mode(payload, ext, fields)
    return fields


def _decode_mode(payload: bytes, ext: int, fields: dict[str, JsonValue]) -> None:
    if ext == 4:
        fields["Exti_pin_level"] = "High" if payload[7] else "Low"
        fields["Exti_status"] = "True" if payload[8] else "False"
    elif ext == 5:
        fields["ILL_lx"] = _U16.unpack_from(payload, 7)[0]
    elif ext == 6:
        fields["ADC_V"] = _U16.unpack_from(payload, 7)[0] / 1000
    elif ext == 7:
        fields["Exit_count"] = _U16.unpack_from(payload, 7)[0]
    elif ext == 8:  # the codecs' 32-bit arithmetic makes counts >= 2**31 negative
        fields["Exit_count"] = _S32.unpack_from(payload, 7)[0]
    elif ext == 9:
        fields["Systimestamp"] = _U32.unpack_from(payload, 7)[0]
    else:  # 15
        fields["ID"] = "".join(f"{payload[i]:02x} " for i in _ID_BYTES)


def encode(fields: Mapping[str, JsonValue], model: LhtModel) -> bytes:
    """Encode vendor fields (as :func:`decode` returns them) into an 11-byte frame.

    Every Ext type with fields of its own can be encoded (0, 1, 2 where the model has it, 4-9,
    15); ``Exit_count`` uses Ext 7 when it fits 16 bits, Ext 8 otherwise.

    Raises:
        ValueError: missing fields, values the frame cannot carry, or no external sensor field.
    """
    try:
        ext = _ext_type(fields, model)
        frame = bytearray(FRAME_SIZE)
        status = round(_number(fields, "Bat_status", model))
        if not 0 <= status <= 3:
            raise ValueError(f"Bat_status {status} is not 0-3")
        if ext == 9:
            _S16.pack_into(frame, 0, round(_number(fields, "TempC_DS", model) * 100))
        else:
            _U16.pack_into(frame, 0, status << 14 | _bounded(fields, "BatV", 1000, 0x3FFF, model))
        if ext != 15:
            _S16.pack_into(frame, 2, round(_number(fields, "TempC_SHT", model) * 100))
            humidity = _bounded(fields, "Hum_SHT", 10, 0x0FFF, model)
            _U16.pack_into(frame, 4, humidity | (status << 14 if ext == 9 else 0))
        frame[6] = ext | (_NO_CONNECT if "No_connect" in fields else 0)
        _encode_data(fields, ext, frame, model)
        return bytes(frame)
    except (KeyError, struct.error) as exc:
        raise ValueError(f"{model.name}: cannot encode {dict(fields)!r}: {exc!r}") from exc


def _ext_type(fields: Mapping[str, JsonValue], model: LhtModel) -> int:
    if fields.get("Ext_sensor") == _NO_SENSOR:
        return 0
    for key, ext in (
        ("ID", 15),
        ("Systimestamp", 9),
        ("TempC_DS", 1),
        ("Exti_pin_level", 4),
        ("ILL_lx", 5),
        ("ADC_V", 6),
    ):
        if key in fields:
            return ext
    if "TempC_TMP117" in fields and model.tmp117:
        return 2
    if "Exit_count" in fields:
        return 7 if 0 <= _number(fields, "Exit_count", model) <= 0xFFFF else 8
    raise ValueError(f"{model.name}: no encodable external sensor field in {dict(fields)!r}")


def _encode_data(
    fields: Mapping[str, JsonValue], ext: int, frame: bytearray, model: LhtModel
) -> None:
    frame[7:11] = b"\x7f\xff\x7f\xff"  # what the devices send in unused data bytes
    if ext in (1, 2):
        key = "TempC_DS" if ext == 1 else "TempC_TMP117"
        _S16.pack_into(frame, 7, round(_number(fields, key, model) * 100))
    elif ext == 4:
        frame[7] = _choice(fields, "Exti_pin_level", ("Low", "High"), model)
        frame[8] = _choice(fields, "Exti_status", ("False", "True"), model)
    elif ext in (5, 6, 7):
        key, factor = {5: ("ILL_lx", 1), 6: ("ADC_V", 1000), 7: ("Exit_count", 1)}[ext]
        _U16.pack_into(frame, 7, round(_number(fields, key, model) * factor))
    elif ext in (8, 9):
        key, layout = ("Exit_count", _S32) if ext == 8 else ("Systimestamp", _U32)
        layout.pack_into(frame, 7, round(_number(fields, key, model)))
    elif ext == 15:
        text = fields["ID"]
        probe_id = bytes.fromhex(text) if isinstance(text, str) else b""
        if len(probe_id) != len(_ID_BYTES) or "".join(f"{b:02x} " for b in probe_id) != text:
            raise ValueError(f"{model.name}: ID {text!r} is not 8 hex bytes, each + a space")
        for index, value in zip(_ID_BYTES, probe_id, strict=True):
            frame[index] = value


def _number(fields: Mapping[str, JsonValue], key: str, model: LhtModel) -> float:
    return require_number(fields[key], f"{model.name}: {key}")


def _bounded(
    fields: Mapping[str, JsonValue], key: str, factor: int, limit: int, model: LhtModel
) -> int:
    raw = round(_number(fields, key, model) * factor)
    if not 0 <= raw <= limit:
        raise ValueError(f"{model.name}: {key} {fields[key]!r} is out of range")
    return raw


def _choice(
    fields: Mapping[str, JsonValue], key: str, names: tuple[str, str], model: LhtModel
) -> int:
    value = fields[key]
    for index, name in enumerate(names):
        if value == name:
            return index
    raise ValueError(f"{model.name}: {key} must be one of {names}, not {value!r}")


def sample(rng: random.Random, model: LhtModel) -> dict[str, JsonValue]:
    """A plausible indoor report with no probe, a temperature probe or a light probe.

    Args:
        rng: the simulator's random source.
        model: the sending model (only an LHT65N may carry a TMP117).

    Returns:
        The vendor fields of an fPort-2 frame.
    """
    fields: dict[str, JsonValue] = {
        "BatV": rng.randint(2900, 3300) / 1000,
        "Bat_status": 3,
        "TempC_SHT": rng.randint(1900, 2500) / 100,
        "Hum_SHT": rng.randint(300, 600) / 10,
    }
    ext = rng.choice((0, 1, 2, 5) if model.tmp117 else (0, 1, 5))
    if ext == 0:
        fields["Ext_sensor"] = _NO_SENSOR
    elif ext == 5:
        fields["Work_mode"] = _MODES[5]
        fields["ILL_lx"] = rng.randint(0, 1500)
    else:
        fields["Ext_sensor"] = _TEMP_SENSOR
        fields["TempC_DS" if ext == 1 else "TempC_TMP117"] = rng.randint(500, 3000) / 100
    return fields
