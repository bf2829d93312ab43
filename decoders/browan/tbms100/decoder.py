"""Browan (Tabs) TBMS100 PIR motion sensor: decode, encode and sample its 8-byte status frame.

Port of the layout of ``tbms100.js`` (TTN lorawan-devices @96abc53): fPort 102, the status bit,
battery, board temperature, a little-endian time since the last event and a little-endian
cumulative event count. Unlike the codec, an empty or all-zero payload (for which it returns
``{}``) and a payload that is not 8 bytes long raise DecodeError instead of yielding no data or
reading missing bytes as undefined.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding.vendor_values import require_number
from lorahub.domain.json_value import JsonValue
from lorahub.errors import DecodeError

F_PORT = 102
FRAME_SIZE = 8
_COUNT_MAX = 0xFFFFFF


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a TBMS100 uplink into the codec's vendor fields.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort; only 102 carries status frames.

    Returns:
        ``status`` (1 = motion/occupied), ``battery`` (V), ``temperatureBoard`` (°C), ``time``
        (minutes since the last event) and ``count`` (cumulative events, 24 bits).

    Raises:
        DecodeError: an fPort other than 102, a length other than 8, or an all-zero payload.
    """
    if f_port != F_PORT:
        raise DecodeError(f"tbms100: unknown FPort {f_port} (status frames use fPort {F_PORT})")
    if len(payload) != FRAME_SIZE:
        raise DecodeError(f"tbms100: expected {FRAME_SIZE} bytes, got {len(payload)}")
    if not any(payload):
        raise DecodeError("tbms100: all-zero payload carries no data (the codec returns {})")
    return {
        "status": payload[0] & 0x01,
        "battery": (25 + (payload[1] & 0x0F)) / 10,
        "temperatureBoard": (payload[2] & 0x7F) - 32,
        "time": int.from_bytes(payload[3:5], "little"),
        "count": int.from_bytes(payload[5:8], "little"),
    }


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields (as :func:`decode` returns them) into an 8-byte frame.

    Raises:
        ValueError: a missing field or a value that the frame cannot carry (battery not one of
            2.5-4.0 V in 0.1 V steps, temperature outside -32..95 °C, ...), or an all-zero frame.
    """
    try:
        status = _integer(fields, "status", 1)
        battery = round(_number(fields, "battery") * 10) - 25
        temperature = round(_number(fields, "temperatureBoard")) + 32
        time = _integer(fields, "time", 0xFFFF)
        count = _integer(fields, "count", _COUNT_MAX)
    except KeyError as exc:
        raise ValueError(f"tbms100: cannot encode {dict(fields)!r}: missing {exc}") from exc
    if not 0 <= battery <= 0x0F or not 0 <= temperature <= 0x7F:
        raise ValueError(f"tbms100: battery or temperatureBoard out of range in {dict(fields)!r}")
    frame = bytes((status, battery, temperature))
    frame += time.to_bytes(2, "little") + count.to_bytes(3, "little")
    if not any(frame):
        raise ValueError("tbms100: an all-zero frame does not decode")
    return frame


def _number(fields: Mapping[str, JsonValue], key: str) -> float:
    return require_number(fields[key], f"tbms100: {key}")


def _integer(fields: Mapping[str, JsonValue], key: str, maximum: int) -> int:
    value = round(_number(fields, key))
    if not 0 <= value <= maximum:
        raise ValueError(f"tbms100: {key} {value} is not 0-{maximum}")
    return value


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible report of a TBMS100 watching a meeting room or desk.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(102, fields)``.
    """
    status = rng.choice((0, 1))
    fields: dict[str, JsonValue] = {
        "status": status,
        "battery": rng.randint(30, 36) / 10,
        "temperatureBoard": rng.randint(18, 26),
        "time": 0 if status else rng.randint(1, 600),
        "count": rng.randint(0, 200_000),
    }
    return F_PORT, fields
