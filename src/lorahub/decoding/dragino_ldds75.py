"""The Dragino LDDS75 frame, decoded and encoded once for both catalog models.

Port of the layout of ``ldds75-114.js`` (TTN lorawan-devices @96abc53): an 8-byte big-endian
frame on fPort 2, with the codec's string outputs (``"231 mm"``, ``"25.00"``). Other fPorts
are rejected as by the codec; unlike the codec, a frame that is not 8 bytes long raises
DecodeError instead of decoding missing bytes as zeros. ``dragino/ldds75`` and
``dragino/ldds75-legacy`` (devices registered against the older, wrong ``ldds75.js``) both
decode with it.
"""

from __future__ import annotations

import random
import struct
from collections.abc import Mapping

from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

F_PORT = 2
_FRAME = struct.Struct(">HHBhB")  # battery, distance, interrupt flag, DS18B20, sensor flag
_NO_SENSOR, _INVALID = "No Sensor", "Invalid Reading"
_DISTANCE_WORDS = {0: _NO_SENSOR, 20: _INVALID}


def decode_frame(payload: bytes, f_port: int, model: str) -> dict[str, JsonValue]:
    """Decode the 8-byte LDDS75 frame, naming ``model`` in errors.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort; only 2 carries measurements.
        model: the model name for error messages (``"ldds75"``).

    Returns:
        ``Bat`` (V), ``Distance`` (string), ``Interrupt_flag``, ``TempC_DS18B20`` (string with
        2 decimals), ``Sensor_flag``.

    Raises:
        DecodeError: an fPort other than 2, or a payload that is not 8 bytes.
    """
    if f_port != F_PORT:
        raise DecodeError(f"{model}: unknown FPort {f_port} (measurements use fPort {F_PORT})")
    if len(payload) != _FRAME.size:
        raise DecodeError(f"{model}: expected {_FRAME.size} bytes, got {len(payload)}")
    battery, distance, interrupt, temperature, sensor = _FRAME.unpack(payload)
    return {
        "Bat": (battery & 0x3FFF) / 1000,
        "Distance": _DISTANCE_WORDS.get(distance, f"{distance} mm"),
        "Interrupt_flag": interrupt,
        "TempC_DS18B20": f"{temperature / 10:.2f}",
        "Sensor_flag": sensor,
    }


def encode_frame(fields: Mapping[str, JsonValue], model: str) -> bytes:
    """Encode vendor fields into an 8-byte frame, naming ``model`` in errors.

    Raises:
        ValueError: a missing field or a value that the frame cannot carry.
    """
    try:
        battery = fields["Bat"]
        distance = fields["Distance"]
        interrupt = fields["Interrupt_flag"]
        temperature = fields["TempC_DS18B20"]
        sensor = fields["Sensor_flag"]
        if not isinstance(battery, int | float) or not isinstance(distance, str):
            raise TypeError("Bat must be a number and Distance a string")
        if not isinstance(interrupt, int) or not isinstance(sensor, int):
            raise TypeError("flags must be integers")
        if not isinstance(temperature, str):
            raise TypeError("TempC_DS18B20 must be a string")
        return _FRAME.pack(
            round(battery * 1000),
            _distance_word(distance),
            interrupt,
            round(float(temperature) * 10),
            sensor,
        )
    except (KeyError, TypeError, struct.error) as exc:
        raise ValueError(f"{model}: cannot encode {dict(fields)!r}: {exc}") from exc


def _distance_word(text: str) -> int:
    for word, name in _DISTANCE_WORDS.items():
        if text == name:
            return word
    if not text.endswith(" mm"):
        raise ValueError(f"Distance {text!r} is not '<n> mm'")
    return int(text.removesuffix(" mm"))


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic report of a bin-mounted LDDS75 (distance 0.1-1.2 m, no probe).

    Args:
        rng: the simulator's random source.

    Returns:
        ``(2, fields)``.
    """
    fields: dict[str, JsonValue] = {
        "Bat": rng.randint(3000, 3600) / 1000,
        "Distance": f"{rng.randint(100, 1200)} mm",
        "Interrupt_flag": 0,
        "TempC_DS18B20": "0.00",
        "Sensor_flag": 1,
    }
    return F_PORT, fields
