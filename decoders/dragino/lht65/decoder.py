"""Dragino LHT65 temperature/humidity sensor: bind its frame to the decoder contract.

The 11-byte frame is shared with the LHT65N (:mod:`lorahub.decoding.dragino_lht`); the LHT65
has no TMP117 type, so Ext 2 adds no field, as in ``lht65.js`` (TTN lorawan-devices @96abc53).
Unlike the codec, a wrong length or a poll reply raises DecodeError instead of returning nothing.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding import dragino_lht
from lorahub.domain.json_value import JsonValue

MODEL = dragino_lht.LHT65


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an LHT65 uplink (fPort 2, 11 bytes) into the codec's vendor fields.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort.

    Returns:
        ``BatV``, ``Bat_status``, ``TempC_SHT``, ``Hum_SHT`` and the external sensor's fields.

    Raises:
        DecodeError: an fPort other than 2, a length other than 11, or a poll-reply frame.
    """
    return dragino_lht.decode(payload, f_port, MODEL)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode LHT65 vendor fields into an 11-byte frame.

    Raises:
        ValueError: missing fields, values out of range, or no external sensor field.
    """
    return dragino_lht.encode(fields, MODEL)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible indoor LHT65 report, with no probe, a DS18B20 or a light probe.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(2, fields)``.
    """
    return dragino_lht.F_PORT, dragino_lht.sample(rng, MODEL)
