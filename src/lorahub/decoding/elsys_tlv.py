"""The Elsys generic ``[type][value]`` payload (all ERS/EMS/ELT models): decode and encode.

One implementation of the type table of ``elsys.js`` (TTN lorawan-devices @96abc53), shared by
every Elsys model of the catalog. Values are big-endian; 32-bit values are signed, as the
codec's JavaScript bit arithmetic makes them. An unknown type stops parsing and keeps what was
decoded before it, as the codec does. Unlike the codec, a truncated record, or a payload with
no known record at all, raises :class:`DecodeError` instead of yielding zeros or ``{}``.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass

from lorahub.decoding.vendor_values import require_number
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError


@dataclass(frozen=True, slots=True)
class _Record:
    """A fixed-layout record: one struct item per key, each divided by ``divisor`` if set."""

    keys: tuple[str, ...]
    layout: struct.Struct
    divisor: int | None = None


def _record(keys: str, layout: str, divisor: int | None = None) -> _Record:
    return _Record(tuple(keys.split()), struct.Struct(">" + layout), divisor)


_GPS = 0x09
_GRIDEYE = 0x13
_GPS_KEYS = ("lat", "long")
_GRIDEYE_KEY = "grideye"
_LIST_KEY = "externalTemperature2"  # the codec turns a repeated record into a list

_RECORDS: dict[int, _Record] = {
    0x01: _record("temperature", "h", 10),
    0x02: _record("humidity", "B"),
    0x03: _record("x y z", "bbb"),
    0x04: _record("light", "H"),
    0x05: _record("motion", "B"),
    0x06: _record("co2", "H"),
    0x07: _record("vdd", "H"),
    0x08: _record("analog1", "H"),
    0x0A: _record("pulse1", "H"),
    0x0B: _record("pulseAbs", "i"),
    0x0C: _record("externalTemperature", "h", 10),
    0x0D: _record("digital", "B"),
    0x0E: _record("distance", "H"),
    0x0F: _record("accMotion", "B"),
    0x10: _record("irInternalTemperature irExternalTemperature", "hh", 10),
    0x11: _record("occupancy", "B"),
    0x12: _record("waterleak", "B"),
    0x14: _record("pressure", "i", 1000),
    0x15: _record("soundPeak soundAvg", "BB"),
    0x16: _record("pulse2", "H"),
    0x17: _record("pulseAbs2", "i"),
    0x18: _record("analog2", "H"),
    0x19: _record(_LIST_KEY, "h", 10),
    0x1A: _record("digital2", "B"),
    0x1B: _record("analogUv", "i"),
    0x1C: _record("tvoc", "H"),
}
_LENGTHS: dict[int, int] = {t: r.layout.size for t, r in _RECORDS.items()} | {
    _GPS: 6,
    _GRIDEYE: 65,
}
_TYPE_OF_KEY: dict[str, int] = {k: t for t, r in _RECORDS.items() for k in r.keys} | {
    "lat": _GPS,
    "long": _GPS,
    _GRIDEYE_KEY: _GRIDEYE,
}


def decode(payload: bytes) -> dict[str, JsonValue]:
    """Decode an Elsys payload into the fields ``elsys.js`` outputs.

    Args:
        payload: the uplink's FRMPayload (the fPort does not matter to this format).

    Returns:
        Vendor fields (``temperature``, ``humidity``, ``co2``, ``vdd``, ...).

    Raises:
        DecodeError: a truncated record, or no known record before the first unknown type.
    """
    fields: dict[str, JsonValue] = {}
    i = 0
    while i < len(payload):
        kind = payload[i]
        length = _LENGTHS.get(kind)
        if length is None:
            break  # the codec stops at the first unknown type and keeps what it has
        start, end = i + 1, i + 1 + length
        if end > len(payload):
            raise DecodeError(
                f"elsys: truncated record type 0x{kind:02x} at offset {i}: "
                f"needs {length} bytes, {len(payload) - start} left"
            )
        if kind == _GPS:
            fields["lat"] = _s24le(payload, start) / 10000
            fields["long"] = _s24le(payload, start + 3) / 10000
        elif kind == _GRIDEYE:
            ref = payload[start]
            fields[_GRIDEYE_KEY] = [ref + b / 10 for b in payload[start + 1 : end]]
        else:
            _decode_record(_RECORDS[kind], payload, start, fields)
        i = end
    if not fields:
        first = f"0x{payload[0]:02x}" if payload else "none (empty payload)"
        raise DecodeError(f"elsys: no known record; first type byte {first}")
    return fields


def _decode_record(
    record: _Record, payload: bytes, start: int, fields: dict[str, JsonValue]
) -> None:
    for key, raw in zip(record.keys, record.layout.unpack_from(payload, start), strict=True):
        value: JsonValue = raw if record.divisor is None else raw / record.divisor
        previous = fields.get(key)
        if key == _LIST_KEY and isinstance(previous, list):
            previous.append(value)
        elif key == _LIST_KEY and previous is not None:
            fields[key] = [previous, value]
        else:
            fields[key] = value


def _s24le(payload: bytes, start: int) -> int:
    return int.from_bytes(payload[start : start + 3], "little", signed=True)


def encode(fields: Mapping[str, JsonValue]) -> bytes:
    """Encode vendor fields back into an Elsys payload (records in the order of ``fields``).

    Args:
        fields: vendor fields as :func:`decode` returns them.

    Returns:
        The payload bytes.

    Raises:
        ValueError: an unknown key, a missing partner key (``x`` without ``y``), or a value
            out of range for its record.
    """
    out = bytearray()
    done: set[int] = set()
    for key in fields:
        kind = _TYPE_OF_KEY.get(key)
        if kind is None:
            raise ValueError(f"elsys: no record type carries field {key!r}")
        if kind in done:
            continue
        value = fields[key]
        done.add(kind)
        if kind == _GPS:
            out.append(kind)
            for part in _GPS_KEYS:
                out += _scaled(fields, part, 10000).to_bytes(3, "little", signed=True)
        elif kind == _GRIDEYE:
            out += _encode_grideye(value)
        elif key == _LIST_KEY and isinstance(value, list):  # a repeated record
            for item in value:
                out += _encode_record(kind, {key: item})
        else:
            out += _encode_record(kind, fields)
    return bytes(out)


def _encode_record(kind: int, fields: Mapping[str, JsonValue]) -> bytes:
    record = _RECORDS[kind]
    divisor = record.divisor or 1
    raws = [_scaled(fields, key, divisor) for key in record.keys]
    try:
        return bytes([kind]) + record.layout.pack(*raws)
    except struct.error as exc:
        raise ValueError(f"elsys: {record.keys} = {raws} out of range: {exc}") from exc


def _encode_grideye(value: JsonValue) -> bytes:
    if not isinstance(value, list) or len(value) != 64:
        raise ValueError("elsys: grideye must be a list of 64 numbers")
    numbers = [require_number(v, "elsys: grideye") for v in value]
    ref = math.floor(min(numbers))
    raws = [round((n - ref) * 10) for n in numbers]
    if not 0 <= ref <= 255 or max(raws) > 255:
        raise ValueError("elsys: grideye values out of range")
    return bytes([_GRIDEYE, ref, *raws])


def _scaled(fields: Mapping[str, JsonValue], key: str, divisor: int) -> int:
    if key not in fields:
        raise ValueError(f"elsys: field {key!r} is missing")
    return round(require_number(fields[key], f"elsys: field {key!r}") * divisor)
