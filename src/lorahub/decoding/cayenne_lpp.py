"""Cayenne LPP, as The Things Stack's built-in formatter decodes it: decode, encode and sample.

The payload is a run of ``[channel u8][type u8][value]`` items, big-endian, on any fPort. Only
the 12 original LPP types are known (go-cayenne-lib v1.2.0); any other type, a truncated item or
a dangling byte fails the whole uplink. Output keys are ``<name>_<channel>``; a repeated key
takes the later value. Barometric pressure is read signed, as go-cayenne-lib does.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from lorahub.decoding.vendor_values import require_number
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError


@dataclass(frozen=True, slots=True)
class _Type:
    """One LPP type: its output name, value layout, divisor and (for objects) member keys."""

    code: int
    name: str
    layout: struct.Struct
    divisor: int | None = None
    members: tuple[str, ...] = ()


_TYPES: tuple[_Type, ...] = (
    _Type(0, "digital_in", struct.Struct(">B")),
    _Type(1, "digital_out", struct.Struct(">B")),
    _Type(2, "analog_in", struct.Struct(">h"), 100),
    _Type(3, "analog_out", struct.Struct(">h"), 100),
    _Type(101, "luminosity", struct.Struct(">H")),
    _Type(102, "presence", struct.Struct(">B")),
    _Type(103, "temperature", struct.Struct(">h"), 10),
    _Type(104, "relative_humidity", struct.Struct(">B"), 2),
    _Type(113, "accelerometer", struct.Struct(">hhh"), 1000, ("x", "y", "z")),
    _Type(115, "barometric_pressure", struct.Struct(">h"), 10),
    _Type(134, "gyrometer", struct.Struct(">hhh"), 100, ("x", "y", "z")),
)
_GPS = _Type(136, "gps", struct.Struct(">9s"), None, ("latitude", "longitude", "altitude"))
_GPS_DIVISORS = (10000, 10000, 100)
_BY_CODE: dict[int, _Type] = {t.code: t for t in (*_TYPES, _GPS)}
_BY_NAME: dict[str, _Type] = {t.name: t for t in (*_TYPES, _GPS)}


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a Cayenne LPP payload (any fPort; an empty payload gives ``{}``).

    Raises:
        DecodeError: an unknown type, a truncated item or a dangling final byte.
    """
    fields: dict[str, JsonValue] = {}
    i, size = 0, len(payload)
    while i < size:
        if size - i < 2:
            raise DecodeError(f"cayennelpp: unexpected EOF: dangling byte at offset {i}")
        channel, code = payload[i], payload[i + 1]
        lpp = _BY_CODE.get(code)
        if lpp is None:
            raise DecodeError(f"cayennelpp: unknown type {code} on channel {channel}")
        end = i + 2 + lpp.layout.size
        if end > size:
            raise DecodeError(
                f"cayennelpp: unexpected EOF: {lpp.name} on channel {channel} needs "
                f"{lpp.layout.size} bytes, {size - i - 2} left"
            )
        fields[f"{lpp.name}_{channel}"] = _read(lpp, payload[i + 2 : end])
        i = end
    return fields


def _read(lpp: _Type, value: bytes) -> JsonValue:
    if lpp is _GPS:
        raws = [int.from_bytes(value[k : k + 3], "big", signed=True) for k in (0, 3, 6)]
        return {m: r / d for m, r, d in zip(lpp.members, raws, _GPS_DIVISORS, strict=True)}
    numbers: list[JsonValue] = [
        r if lpp.divisor is None else r / lpp.divisor for r in lpp.layout.unpack(value)
    ]
    return dict(zip(lpp.members, numbers, strict=True)) if lpp.members else numbers[0]


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode ``<name>_<channel>`` fields into a Cayenne LPP payload, in the order given.

    Raises:
        ValueError: an unknown name, a bad channel, or a value out of the type's range.
    """
    out = bytearray()
    for key, value in fields.items():
        name, _, channel_text = key.rpartition("_")
        lpp = _BY_NAME.get(name)
        if lpp is None or not channel_text.isdigit() or int(channel_text) > 255:
            raise ValueError(f"cayennelpp: cannot encode field {key!r}")
        out += bytes([int(channel_text), lpp.code]) + _write(lpp, key, value)
    return bytes(out)


def _write(lpp: _Type, key: str, value: JsonValue) -> bytes:
    if lpp.members:
        if not isinstance(value, dict):
            raise ValueError(f"cayennelpp: {key} must be an object with {lpp.members}")
        numbers = [require_number(value.get(m), f"cayennelpp: {key}") for m in lpp.members]
    else:
        numbers = [require_number(value, f"cayennelpp: {key}")]
    try:
        if lpp is _GPS:
            return b"".join(
                round(n * d).to_bytes(3, "big", signed=True)
                for n, d in zip(numbers, _GPS_DIVISORS, strict=True)
            )
        return lpp.layout.pack(*(round(n * (lpp.divisor or 1)) for n in numbers))
    except (struct.error, OverflowError) as exc:
        raise ValueError(f"cayennelpp: {key} = {value!r} out of range: {exc}") from exc


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible uplink of an indoor LPP environment node (fPort 1).

    Args:
        rng: the simulator's random source.

    Returns:
        ``(f_port, fields)``.
    """
    fields: dict[str, JsonValue] = {
        "temperature_1": rng.randint(190, 250) / 10,
        "relative_humidity_2": rng.randint(60, 120) / 2,
        "barometric_pressure_3": rng.randint(9800, 10300) / 10,
        "luminosity_4": rng.randint(0, 800),
        "presence_5": rng.randint(0, 1),
    }
    if rng.random() < 0.3:
        fields["analog_in_6"] = rng.randint(300, 420) / 100  # e.g. a battery voltage
    return 1, fields
