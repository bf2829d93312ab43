"""Dragino LHT65N temperature/humidity sensor: decode, encode and sample its 11-byte frame.

Port of the frame layout that ``lht65n.js`` (TTN lorawan-devices @96abc53) decodes, fixed
where the codec is wrong: the fPort is checked (2 only), a frame whose byte 2 is 0x02 (SHT
temperature 5.12-7.67 °C) is decoded normally instead of as a multi-probe frame, and byte 6
bit 7 is the LHT65 "probe not connected" flag rather than the codec's datalog branch.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Mapping

from lorahub.decoding.vendor_values import require_number
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

F_PORT = 2
_FRAME = struct.Struct(">HhHBHH")  # battery, SHT temp, SHT hum, ext, ext data words
_TEMP_SENSOR = "Temperature Sensor"
_COUNT_MODE = "Interrupt Sensor count"
_MODES = {
    4: "Interrupt Sensor send",
    5: "Illumination Sensor",
    6: "ADC Sensor",
    7: _COUNT_MODE,
    8: _COUNT_MODE,
    9: "DS18B20 & timestamp",
    15: "DS18B20ID",
}


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an LHT65N uplink (fPort 2, 11 bytes) into the codec's vendor fields.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort.

    Returns:
        ``BatV``, ``Bat_status``, ``TempC_SHT``, ``Hum_SHT`` and the external sensor's fields.

    Raises:
        DecodeError: an fPort other than 2, a length other than 11, or a poll-reply frame.
    """
    if f_port != F_PORT:
        raise DecodeError(f"lht65n: unknown FPort {f_port} (measurements use fPort {F_PORT})")
    if len(payload) != _FRAME.size:
        raise DecodeError(f"lht65n: expected {_FRAME.size} bytes, got {len(payload)}")
    word0, temp_raw, hum_raw, ext_byte, data_hi, data_lo = _FRAME.unpack(payload)
    if ext_byte & 0x40:
        raise DecodeError("lht65n: poll-reply frame (byte 6 bit 6) carries no live reading")
    ext = ext_byte & 0x0F
    data = payload[7:11]
    fields: dict[str, JsonValue] = {}
    if ext == 9:  # bytes 0-1 hold the probe temperature; battery status sits in byte 4
        fields["Bat_status"] = payload[4] >> 6
    else:
        fields["BatV"] = (word0 & 0x3FFF) / 1000
        fields["Bat_status"] = payload[0] >> 6
    if ext != 15:
        fields["TempC_SHT"] = temp_raw / 100
        fields["Hum_SHT"] = (hum_raw & 0x0FFF) / 10
    if ext_byte & 0x80:
        fields["No_connect"] = "Sensor no connection"
    signed = struct.unpack(">h", payload[7:9])[0]
    if ext == 0:
        fields["Ext_sensor"] = "No external sensor"
    elif ext in (1, 2):
        fields["Ext_sensor"] = _TEMP_SENSOR
        fields["TempC_DS" if ext == 1 else "TempC_TMP117"] = signed / 100
    elif ext in _MODES:
        fields["Work_mode"] = _MODES[ext]
    if ext == 4:
        fields["Exti_pin_level"] = "High" if data[0] else "Low"
        fields["Exti_status"] = "True" if data[1] else "False"
    elif ext in (5, 6, 7):
        key, divisor = {5: ("ILL_lx", 1), 6: ("ADC_V", 1000), 7: ("Exit_count", 1)}[ext]
        fields[key] = data_hi if divisor == 1 else data_hi / divisor
    elif ext == 8:  # the codec's 32-bit arithmetic makes counts >= 2**31 negative
        fields["Exit_count"] = int.from_bytes(data, "big", signed=True)
    elif ext == 9:
        fields["TempC_DS"] = struct.unpack(">h", payload[0:2])[0] / 100
        fields["Systimestamp"] = (data_hi << 16) | data_lo
    elif ext == 15:
        fields["ID"] = "".join(f"{b:02x} " for b in (*payload[2:6], *data))
    return fields


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode LHT65N vendor fields with an Ext type of 0, 1, 2 or 5 into an 11-byte frame.

    Raises:
        ValueError: missing fields, values out of range, or another external sensor type.
    """
    try:
        if fields.get("Ext_sensor") == "No external sensor":
            ext, data = 0, 0x7FFF
        elif "TempC_DS" in fields:
            ext, data = (
                1,
                round(_field(fields, "TempC_DS") * 100) & 0xFFFF,
            )
        elif "TempC_TMP117" in fields:
            ext, data = (
                2,
                round(_field(fields, "TempC_TMP117") * 100) & 0xFFFF,
            )
        elif "ILL_lx" in fields:
            ext, data = 5, round(_field(fields, "ILL_lx"))
        else:
            raise ValueError("only Ext types 0, 1, 2 and 5 can be encoded")
        status = round(_field(fields, "Bat_status"))
        battery = round(_field(fields, "BatV") * 1000)
        if not 0 <= status <= 3 or not 0 <= battery <= 0x3FFF:
            raise ValueError("Bat_status or BatV out of range")
        return _FRAME.pack(
            status << 14 | battery,
            round(_field(fields, "TempC_SHT") * 100),
            round(_field(fields, "Hum_SHT") * 10),
            ext | (0x80 if "No_connect" in fields else 0),
            data,
            0x7FFF,
        )
    except (KeyError, struct.error) as exc:
        raise ValueError(f"lht65n: cannot encode {dict(fields)!r}: {exc!r}") from exc


def _field(fields: Mapping[str, JsonValue], key: str) -> float:
    return require_number(fields[key], f"lht65n: {key}")


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible indoor LHT65N report, with no probe, a DS18B20, a TMP117 or a light probe.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(2, fields)``.
    """
    fields: dict[str, JsonValue] = {
        "BatV": rng.randint(2900, 3300) / 1000,
        "Bat_status": 3,
        "TempC_SHT": rng.randint(1900, 2500) / 100,
        "Hum_SHT": rng.randint(300, 600) / 10,
    }
    ext = rng.choice((0, 1, 2, 5))
    if ext == 0:
        fields["Ext_sensor"] = "No external sensor"
    elif ext == 5:
        fields["Work_mode"] = _MODES[5]
        fields["ILL_lx"] = rng.randint(0, 1500)
    else:
        fields["Ext_sensor"] = _TEMP_SENSOR
        fields["TempC_DS" if ext == 1 else "TempC_TMP117"] = rng.randint(500, 3000) / 100
    return F_PORT, fields
