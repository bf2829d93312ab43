"""Elsys ERS Eye occupancy sensor: decode, encode and sample its uplinks.

The payload is the shared Elsys TLV format (:mod:`lorahub.decoding.elsys_tlv`); this module
only binds it to the decoder contract and simulates a plausible meeting room or desk.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding import elsys_tlv
from lorahub.domain.json_value import JsonValue

F_PORT = 5


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an ERS Eye uplink (the fPort is ignored, as by ``elsys.js``).

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (devices send on 5 by default).

    Returns:
        Vendor fields such as ``temperature``, ``humidity``, ``light``, ``motion`` and
        ``occupancy`` (0 free, 1 pending, 2 occupied).

    Raises:
        DecodeError: a truncated record or no known record.
    """
    return elsys_tlv.decode(payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into an Elsys TLV payload.

    Raises:
        ValueError: a field the Elsys format cannot carry.
    """
    return elsys_tlv.encode(fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic report of an ERS Eye watching a room.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(5, fields)``.
    """
    occupancy = rng.choice((0, 0, 1, 2, 2))
    fields: dict[str, JsonValue] = {
        "temperature": rng.randint(190, 250) / 10,
        "humidity": rng.randint(30, 60),
        "light": rng.randint(0, 900),
        "motion": rng.randint(1, 30) if occupancy else 0,
        "occupancy": occupancy,
    }
    if rng.random() < 0.2:
        fields["vdd"] = rng.randint(3300, 3650)
    return F_PORT, fields
