"""Decentlab DL-IAM indoor ambiance monitor: decode, encode and sample its uplinks.

The payload is the Decentlab protocol v2 frame (:mod:`lorahub.decoding.decentlab_v2`); this
module only binds the DL-IAM table to the decoder contract and simulates an office room.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding import decentlab_v2
from lorahub.domain.json_value import JsonValue

F_PORT = 1
_BATTERY, _CLIMATE, _PRESSURE, _LIGHT, _CO2, _ACTIVITY, _TVOC = range(7)


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a DL-IAM uplink (the fPort is ignored, as by ``dl-iam.js``).

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (devices send on 1).

    Returns:
        ``protocol_version``, ``device_id`` and one object per value present, such as
        ``air_temperature``, ``air_humidity``, ``co2_concentration``, ``total_voc``.

    Raises:
        DecodeError: another protocol version or a truncated frame.
    """
    return decentlab_v2.decode(decentlab_v2.DL_IAM, payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into a protocol v2 frame (illuminance is derived, not sent).

    Raises:
        ValueError: a field the DL-IAM frame cannot carry.
    """
    return decentlab_v2.encode(decentlab_v2.DL_IAM, fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic report of a DL-IAM in an office or village hub room.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(1, fields)``.
    """
    words: dict[int, list[int]] = {
        _CLIMATE: [rng.randint(24000, 27000), rng.randint(19000, 40000)],  # ~19-27 °C, 30-60 %
        _PRESSURE: [rng.randint(48500, 51500)],  # 970-1030 hPa
        _LIGHT: [rng.randint(0, 900), rng.randint(0, 150)],
        _ACTIVITY: [rng.randint(0, 40)],
        _TVOC: [rng.randint(50, 600)],
    }
    if rng.random() < 0.7:  # CO2 is measured less often than the rest
        words[_CO2] = [32768 + rng.randint(400, 1600), 0, rng.randint(30000, 45000)]
    if rng.random() < 0.3:
        words[_BATTERY] = [rng.randint(2900, 3300)]
    return F_PORT, decentlab_v2.sample_fields(decentlab_v2.DL_IAM, rng, words)
