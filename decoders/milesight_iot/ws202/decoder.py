"""Milesight WS202 PIR and light sensor: decode, encode and sample its uplinks.

Port of the layout of ``ws202.js`` (TTN lorawan-devices @96abc53) as a record table of the
shared Milesight channel frame (:mod:`lorahub.decoding.milesight_channels`).
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding.milesight_channels import BATTERY, F_PORT, ChannelTable, values, zero_is
from lorahub.domain.json_value import JsonValue

TABLE = ChannelTable(
    "ws202",
    [
        BATTERY,
        ((0x03, 0x00), values("pir", "B", zero_is("normal", "trigger"))),
        ((0x04, 0x00), values("light", "B", zero_is("dark", "light"))),
    ],
)


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a WS202 uplink into ``battery`` (%), ``pir`` and ``light``.

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
    """Encode vendor fields into a WS202 frame, records in the order of ``fields``.

    Raises:
        ValueError: an unknown field or a value the record cannot carry.
    """
    return TABLE.encode(fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible WS202 uplink: a PIR event, or a periodic report with battery and light.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(85, fields)``.
    """
    pir = "trigger" if rng.random() < 0.4 else "normal"
    if rng.random() < 0.5:
        return F_PORT, {"pir": pir}
    fields: dict[str, JsonValue] = {
        "battery": rng.randint(20, 100),
        "pir": pir,
        "light": "light" if rng.random() < 0.6 else "dark",
    }
    return F_PORT, fields
