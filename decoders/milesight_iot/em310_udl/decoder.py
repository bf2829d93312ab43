"""Milesight EM310-UDL ultrasonic distance sensor: decode, encode and sample its uplinks.

Port of the layout of ``em310-udl.js`` (TTN lorawan-devices @96abc53) as a record table of the
shared Milesight channel frame (:mod:`lorahub.decoding.milesight_channels`), which stops at the
first unknown channel like the codec and raises DecodeError on truncated or empty frames.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding.milesight_channels import (
    BATTERY,
    F_PORT,
    ChannelTable,
    values,
    zero_is,
)
from lorahub.domain.json_value import JsonValue

TABLE = ChannelTable(
    "em310-udl",
    [
        BATTERY,
        ((0x03, 0x82), values("distance", "H")),  # mm
        ((0x04, 0x00), values("tilt", "B", zero_is("normal", "tilt"))),
    ],
)


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
    return TABLE.decode(payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into an EM310-UDL frame, records in the order of ``fields``.

    Raises:
        ValueError: an unknown field or a value out of range.
    """
    return TABLE.encode(fields)


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
