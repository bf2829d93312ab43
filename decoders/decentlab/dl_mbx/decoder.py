"""Decentlab DL-MBX ultrasonic distance sensor: decode, encode and sample its uplinks.

The payload is the Decentlab protocol v2 frame (:mod:`lorahub.decoding.decentlab_v2`); this
module only binds the DL-MBX table to the decoder contract and simulates a waste bin.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding import decentlab_v2
from lorahub.domain.json_value import JsonValue

F_PORT = 1
_DISTANCE, _BATTERY = 0, 1


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a DL-MBX uplink (the fPort is ignored, as by ``dl-mbx.js``).

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (devices send on 1).

    Returns:
        ``protocol_version``, ``device_id`` and ``distance``, ``number_of_valid_samples``,
        ``battery_voltage`` objects as present.

    Raises:
        DecodeError: another protocol version or a truncated frame.
    """
    return decentlab_v2.decode(decentlab_v2.DL_MBX, payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into a protocol v2 frame.

    Raises:
        ValueError: a field the DL-MBX frame cannot carry.
    """
    return decentlab_v2.encode(decentlab_v2.DL_MBX, fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible uplink of a DL-MBX over a waste bin: a measurement or a battery heartbeat.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(1, fields)``.
    """
    words: dict[int, list[int]] = {_BATTERY: [rng.randint(2900, 3300)]}
    if rng.random() < 0.8:
        words[_DISTANCE] = [rng.randint(200, 2500), rng.randint(0, 15)]
    return F_PORT, decentlab_v2.sample_fields(decentlab_v2.DL_MBX, rng, words)
