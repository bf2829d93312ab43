"""Milesight EM400-TLD ToF laser distance sensor: decode, encode and sample its uplinks.

Port of the layout of ``em400-tld.js`` (TTN lorawan-devices @96abc53) as a record table of the
shared Milesight channel frame (:mod:`lorahub.decoding.milesight_channels`). Channels 0x83 and
0x84 are the threshold-alarm forms of 0x03 and 0x04: they write the same ``temperature`` and
``distance`` keys plus an alarm flag.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding.milesight_channels import (
    BATTERY,
    F_PORT,
    FLAG,
    RAW,
    ChannelTable,
    scaled,
    values,
    zero_is,
)
from lorahub.domain.json_value import JsonValue

_CELSIUS = scaled(10)

TABLE = ChannelTable(
    "em400-tld",
    [
        BATTERY,
        ((0x03, 0x67), values("temperature", "h", _CELSIUS)),
        ((0x04, 0x82), values("distance", "H")),  # mm
        ((0x05, 0x00), values("position", "B", zero_is("normal", "tilt"))),
        ((0x83, 0x67), values("temperature temperature_abnormal", "hB", _CELSIUS, FLAG)),
        ((0x84, 0x82), values("distance distance_alarming", "HB", RAW, FLAG)),
    ],
)


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an EM400-TLD uplink.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (ignored, as by the codec).

    Returns:
        Vendor fields: ``battery`` (%), ``temperature`` (°C), ``distance`` (mm), ``position``
        and, from the alarm channels, ``temperature_abnormal`` and ``distance_alarming``.

    Raises:
        DecodeError: a truncated record, or no known record before the first unknown one.
    """
    return TABLE.decode(payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into an EM400-TLD frame (alarm channels when their flag is given).

    Raises:
        ValueError: an unknown field or a value out of range.
    """
    return TABLE.encode(fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible report of an EM400-TLD in a parcel locker: periodic, or now and then an alarm.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(85, fields)``.
    """
    distance = rng.randint(30, 800)
    if rng.random() < 0.05:
        return F_PORT, {"distance": distance, "distance_alarming": rng.random() < 0.8}
    if rng.random() < 0.05:
        return F_PORT, {"temperature": rng.randint(-200, 600) / 10, "temperature_abnormal": True}
    fields: dict[str, JsonValue] = {
        "battery": rng.randint(30, 100),
        "temperature": rng.randint(-100, 400) / 10,
        "distance": distance,
        "position": "tilt" if rng.random() < 0.02 else "normal",
    }
    return F_PORT, fields
