"""Milesight AM307 indoor ambience sensor: decode, encode and sample its uplinks.

Port of the layout of ``am307l.js`` (TTN lorawan-devices @96abc53, identical to ``am307.js``):
the AM300-series record table shared with the AM319
(:func:`lorahub.decoding.milesight_channels.am300_table`), with the codec's keys ``pir`` and
``pm2_5`` where ``am319.js`` says ``activity`` and ``pm2.5``.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding.milesight_channels import F_PORT, am300_table
from lorahub.domain.json_value import JsonValue

TABLE = am300_table("am307", pir="pir", pm2_5="pm2_5")


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an AM307 uplink.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (ignored, as by the codec).

    Returns:
        Vendor fields such as ``temperature`` (°C), ``humidity`` (%), ``pir``, ``light_level``,
        ``co2`` (ppm), ``tvoc``, ``pressure`` (hPa) and ``battery`` (%); the AM319-only
        records (``hcho``, ``pm2_5``, ``pm10``, ``o3``) decode too.

    Raises:
        DecodeError: a truncated record, or no known record before the first unknown one.
    """
    return TABLE.decode(payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into an AM307 frame, records in the order of ``fields``.

    Raises:
        ValueError: an unknown field or a value out of range.
    """
    return TABLE.encode(fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic AM307 report in an office (battery powered).

    Args:
        rng: the simulator's random source.

    Returns:
        ``(85, fields)``.
    """
    fields: dict[str, JsonValue] = {
        "battery": rng.randint(20, 100),
        "temperature": rng.randint(160, 280) / 10,
        "humidity": rng.randint(40, 150) / 2,
        "pir": "trigger" if rng.random() < 0.4 else "idle",
        "light_level": rng.randint(0, 5),
        "co2": rng.randint(400, 2500),
        "tvoc": rng.randint(20, 800),
        "pressure": rng.randint(9700, 10400) / 10,
    }
    if rng.random() < 0.05:
        fields["beep"] = "yes"
    return F_PORT, fields
