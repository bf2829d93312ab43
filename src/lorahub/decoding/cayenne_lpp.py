"""Cayenne LPP, as The Things Stack's built-in formatter decodes it: decode, encode and sample.

The payload is a run of ``[channel u8][type u8][value]`` items, big-endian, on any fPort. Only
the 12 original LPP types are known (go-cayenne-lib v1.2.0); any other type, a truncated item or
a dangling byte fails the whole uplink. Output keys are ``<name>_<channel>``; a repeated key
takes the later value. Barometric pressure is read signed, as go-cayenne-lib does.

Extended LPP, an option (``[cayenne_lpp] extended = true`` in ``device.toml``):
:func:`decode_extended`, :func:`encode_extended` and :func:`sample_extended` also accept the
common extended types of the ElectronicCats/CayenneLPP Arduino library, the de-facto reference
for "extended LPP". Ids, sizes, signedness and multipliers were checked against:

* ElectronicCats/CayenneLPP ``src/CayenneLPP.h`` @e3defd7 (2025-09-01): the ``LPP_*`` ids,
  ``LPP_*_SIZE`` and ``LPP_*_MULT`` defines;
* ElectronicCats/CayenneLPP ``decoders/decoder.js`` @e3defd7: its type table (IPSO id, LPP id,
  size, resolution, signedness);
* the ``cayenne_lpp`` Rust crate 0.4.0 ``src/constants.rs`` (docs.rs), which agrees.

=====  ================  ====  ==========================
type   name              size  value
=====  ================  ====  ==========================
100    generic_sensor    4     u32
116    voltage           2     u16 / 100 V
117    current           2     u16 / 1000 A
118    frequency         4     u32 Hz
120    percentage        1     u8 %
121    altitude          2     s16 m
125    concentration     2     u16 ppm
128    power             2     u16 W
130    distance          4     u32 / 1000 m
131    energy            4     u32 / 1000 kWh
132    direction         2     u16 degrees
133    unixtime          4     u32 s since 1970
142    switch            1     u8 (0/1)
=====  ================  ====  ==========================

Names follow this module's ``<name>_<channel>`` scheme (the library names some differently:
``generic``, ``time``). Voltage and current are read unsigned, as the header comments and
``decoder.js`` document; the library's C++ ``decode()`` reads them signed since its PR #61
(September 2025), which differs only for raw values of 0x8000 and above. Colour (135) and
polyline (240) are not accepted; like any unknown type they fail the whole uplink.
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

EXTENDED_TYPES: tuple[_Type, ...] = (
    _Type(100, "generic_sensor", struct.Struct(">I")),
    _Type(116, "voltage", struct.Struct(">H"), 100),
    _Type(117, "current", struct.Struct(">H"), 1000),
    _Type(118, "frequency", struct.Struct(">I")),
    _Type(120, "percentage", struct.Struct(">B")),
    _Type(121, "altitude", struct.Struct(">h")),
    _Type(125, "concentration", struct.Struct(">H")),
    _Type(128, "power", struct.Struct(">H")),
    _Type(130, "distance", struct.Struct(">I"), 1000),
    _Type(131, "energy", struct.Struct(">I"), 1000),
    _Type(132, "direction", struct.Struct(">H")),
    _Type(133, "unixtime", struct.Struct(">I")),
    _Type(142, "switch", struct.Struct(">B")),
)
"""The extended types :func:`decode_extended` accepts besides the original 12."""
_EXT_BY_CODE: dict[int, _Type] = _BY_CODE | {t.code: t for t in EXTENDED_TYPES}
_EXT_BY_NAME: dict[str, _Type] = _BY_NAME | {t.name: t for t in EXTENDED_TYPES}


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a Cayenne LPP payload (any fPort; an empty payload gives ``{}``).

    Raises:
        DecodeError: an unknown type, a truncated item or a dangling final byte.
    """
    return _decode(payload, _BY_CODE)


def decode_extended(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a Cayenne LPP payload that may also hold the extended types (any fPort).

    Raises:
        DecodeError: a type known to neither table, a truncated item or a dangling byte.
    """
    return _decode(payload, _EXT_BY_CODE)


def _decode(payload: bytes, by_code: Mapping[int, _Type]) -> dict[str, JsonValue]:
    fields: dict[str, JsonValue] = {}
    i, size = 0, len(payload)
    while i < size:
        if size - i < 2:
            raise DecodeError(f"cayennelpp: unexpected EOF: dangling byte at offset {i}")
        channel, code = payload[i], payload[i + 1]
        lpp = by_code.get(code)
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
    return _encode(fields, _BY_NAME)


def encode_extended(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Like :func:`encode`, also for the extended types (``voltage_1``, ``distance_2``, ...).

    Raises:
        ValueError: an unknown name, a bad channel, or a value out of the type's range.
    """
    return _encode(fields, _EXT_BY_NAME)


def _encode(fields: Mapping[str, JsonValue], by_name: Mapping[str, _Type]) -> bytes:
    out = bytearray()
    for key, value in fields.items():
        name, _, channel_text = key.rpartition("_")
        lpp = by_name.get(name)
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


def sample_extended(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible uplink of an extended-LPP node: a CO2 room sensor or a tank level sensor.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(f_port, fields)``; every field decodes back to itself.
    """
    fields: dict[str, JsonValue]
    if rng.random() < 0.5:
        fields = {
            "temperature_1": rng.randint(190, 250) / 10,
            "relative_humidity_2": rng.randint(60, 120) / 2,
            "concentration_3": rng.randint(400, 1800),
            "percentage_4": rng.randint(0, 100),
        }
    else:
        fields = {
            "distance_1": rng.randint(200, 3000) / 1000,
            "temperature_2": rng.randint(-100, 300) / 10,
            "switch_3": rng.randint(0, 1),
        }
    fields["voltage_9"] = rng.randint(300, 420) / 100
    if rng.random() < 0.2:  # an energy-meter style extra, exercising the 4-byte types
        fields["power_10"] = rng.randint(0, 3000)
        fields["current_11"] = rng.randint(0, 15000) / 1000
        fields["energy_12"] = rng.randint(0, 10_000_000) / 1000
        fields["frequency_13"] = rng.choice((50, 60))  # mains, Hz
        fields["unixtime_14"] = rng.randint(1_700_000_000, 1_900_000_000)
        fields["direction_15"] = rng.randint(0, 359)
        fields["altitude_16"] = rng.randint(-50, 2000)
        fields["generic_sensor_17"] = rng.randint(0, 2**32 - 1)
    return 1, fields
