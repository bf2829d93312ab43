"""Milesight EM310-UDL ultrasonic distance sensor: decode, encode and sample its uplinks.

Port of the layout of ``em310-udl.js`` (TTN lorawan-devices @96abc53): ``[id][type][value]``
records, little-endian. Like the codec, parsing stops at the first unknown (id, type) pair and
the fPort is not checked (the device sends on 85). Unlike the codec, a truncated record, or a
frame with no known record (device-information frames decode to ``{}``), raises DecodeError.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

F_PORT = 85
_BATTERY = (0x01, 0x75)
_DISTANCE = (0x03, 0x82)
_TILT = (0x04, 0x00)
_LENGTHS = {_BATTERY: 1, _DISTANCE: 2, _TILT: 1}


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an EM310-UDL uplink into ``battery`` (%), ``distance`` (mm) and ``tilt``.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (ignored, as by the codec).

    Returns:
        The vendor fields present in the frame.

    Raises:
        DecodeError: a truncated record, or no known record before the first unknown one.
    """
    fields: dict[str, JsonValue] = {}
    i = 0
    while i < len(payload):
        if len(payload) - i < 2:
            raise DecodeError(f"em310-udl: dangling byte 0x{payload[i]:02x} at offset {i}")
        record = (payload[i], payload[i + 1])
        length = _LENGTHS.get(record)
        if length is None:
            break  # the codec stops at the first unknown channel and keeps what it has
        value = payload[i + 2 : i + 2 + length]
        if len(value) < length:
            raise DecodeError(
                f"em310-udl: truncated record {record[0]:02x} {record[1]:02x} at offset {i}"
            )
        if record == _BATTERY:
            fields["battery"] = value[0]
        elif record == _DISTANCE:
            fields["distance"] = int.from_bytes(value, "little")
        else:
            fields["tilt"] = "normal" if value[0] == 0 else "tilt"
        i += 2 + length
    if not fields:
        raise DecodeError("em310-udl: no measurement record (device-information or unknown frame)")
    return fields


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into an EM310-UDL frame, records in the order of ``fields``.

    Raises:
        ValueError: an unknown field or a value out of range.
    """
    out = bytearray()
    for key, value in fields.items():
        if key == "tilt" and value in ("normal", "tilt"):
            out += bytes([*_TILT, 0 if value == "normal" else 1])
        elif key == "battery" and isinstance(value, int) and 0 <= value <= 255:
            out += bytes([*_BATTERY, value])
        elif key == "distance" and isinstance(value, int) and 0 <= value <= 0xFFFF:
            out += bytes(_DISTANCE) + value.to_bytes(2, "little")
        else:
            raise ValueError(f"em310-udl: cannot encode {key}={value!r}")
    return bytes(out)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic report of a bin-mounted EM310-UDL (distance 0.1-1.2 m).

    Args:
        rng: the simulator's random source.

    Returns:
        ``(85, fields)``.
    """
    fields: dict[str, JsonValue] = {
        "battery": rng.randint(40, 100),
        "distance": rng.randint(100, 1200),
        "tilt": "tilt" if rng.random() < 0.02 else "normal",
    }
    return F_PORT, fields
