"""Dragino LDDS75 ultrasonic distance sensor (firmware 1.1.4+, ``ldds75-114.js``)."""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding import dragino_ldds75
from lorahub.domain.json_value import JsonValue

MODEL = "ldds75"


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an LDDS75 uplink into the codec's ``Bat``, ``Distance``, flags and temperature.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort; only 2 carries measurements.

    Returns:
        ``Bat`` (V), ``Distance`` (string), ``Interrupt_flag``, ``TempC_DS18B20`` (string with
        2 decimals), ``Sensor_flag``.

    Raises:
        DecodeError: an fPort other than 2, or a payload that is not 8 bytes.
    """
    return dragino_ldds75.decode_frame(payload, f_port, MODEL)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields (as :func:`decode` returns them) into an 8-byte frame.

    Raises:
        ValueError: a missing field or a value that the frame cannot carry.
    """
    return dragino_ldds75.encode_frame(fields, MODEL)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic report of a bin-mounted LDDS75 (distance 0.1-1.2 m, no probe).

    Args:
        rng: the simulator's random source.

    Returns:
        ``(2, fields)``.
    """
    return dragino_ldds75.sample(rng)
