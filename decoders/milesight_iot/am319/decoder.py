"""Milesight AM319 indoor air quality sensor: decode, encode and sample its uplinks.

Port of the layout of ``am319.js`` (TTN lorawan-devices @96abc53): the AM300-series record table
of the shared Milesight channel frame (:func:`lorahub.decoding.milesight_channels.am300_table`),
with the codec's keys ``activity`` (PIR) and ``pm2.5``. The AM307 shares the table.
"""

from __future__ import annotations

import random
from collections.abc import Mapping

from lorahub.decoding.milesight_channels import F_PORT, am300_table
from lorahub.domain.json_value import JsonValue

TABLE = am300_table("am319", pir="activity", pm2_5="pm2.5")


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode an AM319 uplink.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (ignored, as by the codec).

    Returns:
        Vendor fields such as ``temperature`` (°C), ``humidity`` (%), ``activity``,
        ``light_level``, ``co2`` (ppm), ``tvoc``, ``pressure`` (hPa), ``hcho`` (mg/m³),
        ``pm2.5``/``pm10`` (µg/m³), ``o3`` (ppm), ``beep`` and ``battery`` (%).

    Raises:
        DecodeError: a truncated record, or no known record before the first unknown one.
    """
    return TABLE.decode(payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode vendor fields into an AM319 frame, records in the order of ``fields``.

    Raises:
        ValueError: an unknown field or a value out of range.
    """
    return TABLE.encode(fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic AM319 report in a meeting room (HCHO or O3 variant).

    Args:
        rng: the simulator's random source.

    Returns:
        ``(85, fields)``.
    """
    fields: dict[str, JsonValue] = {
        "temperature": rng.randint(180, 270) / 10,
        "humidity": rng.randint(50, 140) / 2,
        "activity": "trigger" if rng.random() < 0.5 else "idle",
        "light_level": rng.randint(0, 5),
        "co2": rng.randint(400, 2000),
        "tvoc": rng.randint(20, 600),
        "pressure": rng.randint(9800, 10300) / 10,
    }
    if rng.random() < 0.5:
        fields["hcho"] = rng.randint(0, 30) / 100
    else:
        fields["o3"] = rng.randint(0, 10) / 100
    fields["pm2.5"] = rng.randint(0, 80)
    fields["pm10"] = rng.randint(0, 120)
    if rng.random() < 0.05:
        fields["beep"] = "yes"
    return F_PORT, fields
