"""Milesight EM500-UDL outdoor ultrasonic distance sensor: decode, encode and sample its uplinks.

Port of the layout of ``em500-udl.js`` (TTN lorawan-devices @96abc53, legacy ``Decoder`` entry)
as a record table of the shared Milesight channel frame
(:mod:`lorahub.decoding.milesight_channels`). The codec reads the distance as a signed 16-bit
value divided by 1000 and calls it metres, so raw 0x8000 and above come out negative.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding.milesight_channels import BATTERY, F_PORT, ChannelTable, scaled, values
from lorahub.domain.json_value import JsonValue

TABLE = ChannelTable(
    "em500-udl",
    [
        BATTERY,
        ((0x03, 0x82), values("distance", "h", scaled(1000))),  # m
    ],
)


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an EM500-UDL uplink into ``battery`` (%) and ``distance`` (m).

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
    """Encode vendor fields into an EM500-UDL frame, records in the order of ``fields``.

    Raises:
        ValueError: an unknown field or a value out of range.
    """
    return TABLE.encode(fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic report of an EM500-UDL over a container (distance 0.2-3 m).

    Args:
        rng: the simulator's random source.

    Returns:
        ``(85, fields)``.
    """
    fields: dict[str, JsonValue] = {"distance": rng.randint(200, 3000) / 1000}
    if rng.random() < 0.9:
        fields["battery"] = rng.randint(20, 100)
    return F_PORT, fields
