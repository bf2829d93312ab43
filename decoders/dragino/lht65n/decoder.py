"""Dragino LHT65N temperature/humidity sensor: bind its frame to the decoder contract.

The 11-byte frame is shared with the LHT65 (:mod:`lorahub.decoding.dragino_lht`); the LHT65N
adds Ext 2, a TMP117 probe. Unlike ``lht65n.js`` (TTN lorawan-devices @96abc53) the fPort is
checked (2 only), a frame whose byte 2 is 0x02 (SHT temperature 5.12-7.67 °C) is decoded
normally instead of as a multi-probe frame, and byte 6 bit 7 is the "probe not connected" flag
rather than the codec's datalog branch.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding import dragino_lht
from lorahub.domain.json_value import JsonValue

MODEL = dragino_lht.LHT65N


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an LHT65N uplink (fPort 2, 11 bytes) into the codec's vendor fields.

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
    """Encode LHT65N vendor fields into an 11-byte frame.

    Raises:
        ValueError: missing fields, values out of range, or no external sensor field.
    """
    return dragino_lht.encode(fields, MODEL)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible indoor LHT65N report, with no probe, a DS18B20, a TMP117 or a light probe.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(2, fields)``.
    """
    return dragino_lht.F_PORT, dragino_lht.sample(rng, MODEL)
