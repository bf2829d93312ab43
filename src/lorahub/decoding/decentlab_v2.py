"""The Decentlab protocol v2 frame (DL-MBX, DL-IAM, ...): decode and encode, table-driven.

Layout (the TTN lorawan-devices codecs ``vendor/decentlab/dl-*.js`` @96abc53): byte 0 is the
protocol version (2), bytes 1-2 the device id, bytes 3-4 the sensor flags, then for each set
flag bit from bit 0 upward that sensor's fixed number of big-endian u16 words. Flag bits beyond
the model's sensors are ignored and so are bytes after the last sensor, as the codec does.

The output is ``protocol_version``, ``device_id`` and one ``{displayName, value, unit}`` object
per value (``unit`` omitted when unitless); values are computed with the codec's expressions
and not rounded. Unlike the codec, which reads missing bytes as NaN, a frame shorter than its
flags announce raises :class:`DecodeError`.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass

from lorahub.decoding.vendor_values import require_number
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

PROTOCOL_VERSION = 2
_HEADER = 5
_WORD_MAX = 0xFFFF

Number = int | float


@dataclass(frozen=True, slots=True)
class Value:
    """One output value of a sensor.

    ``convert`` maps the sensor's words to the value (the codec's expression); ``word`` and
    ``invert`` give the word this value carries back when encoding. A derived value (such as
    DL-IAM illuminance, computed from two words that other values carry) has ``invert=None``
    and is recomputed, not encoded.
    """

    name: str
    display_name: str
    convert: Callable[[Sequence[int]], Number]
    unit: str | None = None
    word: int = 0
    invert: Callable[[float], int] | None = None


@dataclass(frozen=True, slots=True)
class Sensor:
    """One flag bit of a model: the number of words it adds and the values read from them."""

    words: int
    values: tuple[Value, ...]


@dataclass(frozen=True, slots=True)
class Model:
    """A Decentlab model: its name (for messages) and sensors in flag-bit order."""

    name: str
    sensors: tuple[Sensor, ...]


def raw(name: str, display_name: str, word: int = 0, unit: str | None = None) -> Value:
    """A value that is one word as is."""
    return Value(name, display_name, lambda x: x[word], unit, word, round)


def linear(
    name: str,
    display_name: str,
    unit: str | None,
    convert: Callable[[int], Number],
    invert: Callable[[float], float],
    word: int = 0,
) -> Value:
    """A value computed from one word by ``convert``; ``invert`` undoes it (then rounded)."""
    return Value(
        name,
        display_name,
        lambda x: convert(x[word]),
        unit,
        word,
        lambda v: round(invert(v)),
    )


def decode(model: Model, payload: bytes) -> dict[str, JsonValue]:
    """Decode a protocol v2 frame of ``model``.

    Returns:
        ``protocol_version``, ``device_id`` and one object per value present in the frame.

    Raises:
        DecodeError: another protocol version, a short header, or missing sensor words.
    """
    if not payload:
        raise DecodeError(f"{model.name}: empty payload")
    version = payload[0]
    if version != PROTOCOL_VERSION:
        raise DecodeError(f"{model.name}: protocol version {version} doesn't match v2")
    if len(payload) < _HEADER:
        raise DecodeError(f"{model.name}: truncated header: {len(payload)} bytes, needs {_HEADER}")
    flags = int.from_bytes(payload[3:5], "big")
    result: dict[str, JsonValue] = {
        "protocol_version": version,
        "device_id": int.from_bytes(payload[1:3], "big"),
    }
    pos = _HEADER
    for bit, sensor in enumerate(model.sensors):
        if not flags >> bit & 1:
            continue
        end = pos + 2 * sensor.words
        if end > len(payload):
            raise DecodeError(
                f"{model.name}: truncated frame: sensor bit {bit} needs {2 * sensor.words} "
                f"bytes at offset {pos}, {len(payload) - pos} left"
            )
        words = struct.unpack_from(f">{sensor.words}H", payload, pos)
        for value in sensor.values:
            result[value.name] = _entry(value, value.convert(words))
        pos = end
    return result


def _entry(value: Value, number: Number) -> dict[str, JsonValue]:
    if value.unit is None:
        return {"displayName": value.display_name, "value": number}
    return {"displayName": value.display_name, "value": number, "unit": value.unit}


def encode(model: Model, fields: Mapping[str, JsonValue]) -> bytes:
    """Encode ``decode``'s output back into a frame (derived values are not carried).

    A sensor is sent when any of its values is in ``fields``; then every word of it must be.

    Raises:
        ValueError: a wrong protocol version, a missing device id or word, an unknown key, or
            a value out of range of its word.
    """
    version = fields.get("protocol_version", PROTOCOL_VERSION)
    if version != PROTOCOL_VERSION:
        raise ValueError(f"{model.name}: can only encode protocol version 2, not {version!r}")
    device_id = _to_word(require_number(fields.get("device_id"), f"{model.name}: device_id"))
    known = {"protocol_version", "device_id"}
    flags = 0
    body = bytearray()
    for bit, sensor in enumerate(model.sensors):
        names = {v.name for v in sensor.values}
        known |= names
        if names.isdisjoint(fields):
            continue
        flags |= 1 << bit
        for index in range(sensor.words):
            body += _to_word(_word(model, sensor, index, fields)).to_bytes(2, "big")
    unknown = set(fields) - known
    if unknown:
        raise ValueError(f"{model.name}: cannot encode fields {sorted(unknown)}")
    return (
        bytes([PROTOCOL_VERSION]) + device_id.to_bytes(2, "big") + flags.to_bytes(2, "big") + body
    )


def _word(model: Model, sensor: Sensor, index: int, fields: Mapping[str, JsonValue]) -> int:
    for value in sensor.values:
        if value.word != index or value.invert is None:
            continue
        entry = fields.get(value.name)
        if not isinstance(entry, dict):
            raise ValueError(f"{model.name}: {value.name} must be an object with a value")
        return value.invert(require_number(entry.get("value"), f"{model.name}: {value.name}"))
    raise AssertionError(f"{model.name}: no value carries word {index}")  # a table error


def _to_word(number: float) -> int:
    word = round(number)
    if not 0 <= word <= _WORD_MAX:
        raise ValueError(f"decentlab: {number!r} does not fit a u16 word")
    return word


def sample_fields(
    model: Model, rng: random.Random, words_by_bit: Mapping[int, Sequence[int]]
) -> dict[str, JsonValue]:
    """The fields a device would send with these raw sensor words and a random device id.

    Args:
        model: the model.
        rng: the simulator's random source (for the device id).
        words_by_bit: the raw words of each sensor that is present, by flag bit.

    Returns:
        Vendor fields, exactly as :func:`decode` returns them for the encoded frame.
    """
    flags = sum(1 << bit for bit in words_by_bit)
    body = b"".join(w.to_bytes(2, "big") for bit in sorted(words_by_bit) for w in words_by_bit[bit])
    device_id = rng.randint(0, _WORD_MAX)
    header = bytes([PROTOCOL_VERSION]) + device_id.to_bytes(2, "big") + flags.to_bytes(2, "big")
    return decode(model, header + body)


def _illuminance(x: Sequence[int]) -> float:
    return max(max(1.0 * x[0] - 1.64 * x[1], 0.59 * x[0] - 0.86 * x[1]), 0) * 1.5504


def _battery(word: int = 0) -> Value:
    return linear("battery_voltage", "Battery voltage", "V", lambda w: w / 1000, _milli, word)


def _milli(v: float) -> float:
    return v * 1000


DL_MBX = Model(
    "dl-mbx",
    (
        Sensor(
            2,
            (
                raw("distance", "Distance", 0, "mm"),
                raw("number_of_valid_samples", "Number of valid samples", 1),
            ),
        ),
        Sensor(1, (_battery(),)),
    ),
)
"""DL-MBX (MaxBotix ultrasonic distance), ``vendor/decentlab/dl-mbx.js``."""

DL_IAM = Model(
    "dl-iam",
    (
        Sensor(1, (_battery(),)),
        Sensor(
            2,
            (
                linear(
                    "air_temperature",
                    "Air temperature",
                    "°C",
                    lambda w: 175 * w / 65535 - 45,
                    lambda v: (v + 45) * 65535 / 175,
                ),
                linear(
                    "air_humidity",
                    "Air humidity",
                    "%",
                    lambda w: 100 * w / 65535,
                    lambda v: v * 65535 / 100,
                    word=1,
                ),
            ),
        ),
        Sensor(
            1,
            (
                linear(
                    "barometric_pressure",
                    "Barometric pressure",
                    "Pa",
                    lambda w: w * 2,
                    lambda v: v / 2,
                ),
            ),
        ),
        Sensor(
            2,
            (
                raw("ambient_light_visible_infrared", "Ambient light (visible + infrared)", 0),
                raw("ambient_light_infrared", "Ambient light (infrared)", 1),
                Value("illuminance", "Illuminance", _illuminance, "lx"),
            ),
        ),
        Sensor(
            3,
            (
                linear(
                    "co2_concentration",
                    "CO2 concentration",
                    "ppm",
                    lambda w: w - 32768,
                    lambda v: v + 32768,
                ),
                raw("co2_sensor_status", "CO2 sensor status", 1),
                raw("raw_ir_reading", "Raw IR reading", 2),
            ),
        ),
        Sensor(1, (raw("activity_counter", "Activity counter", 0),)),
        Sensor(1, (raw("total_voc", "Total VOC", 0, "ppb"),)),
    ),
)
"""DL-IAM (indoor ambiance monitor), ``vendor/decentlab/dl-iam.js``."""
