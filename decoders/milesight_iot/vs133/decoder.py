"""Milesight VS133 ToF people counter: decode, encode and sample its uplinks.

Port of the layout of ``vs133.js`` (TTN lorawan-devices @96abc53) as a record table of the
shared Milesight channel frame (:mod:`lorahub.decoding.milesight_channels`). Up to four
counting lines; line n's channel ids are ``base + 3 (n - 1)`` and its values are nested under
``line_n``. Newer firmware channels (regions, dwell time) are unknown to the codec and stop
parsing, as there.
"""

from __future__ import annotations

import random
from collections.abc import Iterator, Mapping

from lorahub.decoding.milesight_channels import F_PORT, Channel, ChannelTable, Record, values
from lorahub.domain.json_value import JsonValue

LINES = 4


def _line_records() -> Iterator[tuple[Channel, Record]]:
    for n in range(1, LINES + 1):
        step, line = 3 * (n - 1), f"line_{n}"
        yield (0x03 + step, 0xD2), values(f"{line}/total_in", "I")
        yield (0x04 + step, 0xD2), values(f"{line}/total_out", "I")
        yield (0x05 + step, 0xCC), values(f"{line}/period_in {line}/period_out", "HH")


TABLE = ChannelTable("vs133", _line_records())


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a VS133 uplink into ``line_n`` objects.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (ignored, as by the codec).

    Returns:
        ``{"line_1": {"total_in", "total_out", "period_in", "period_out"}, ...}``, each line
        and key only when its record is present.

    Raises:
        DecodeError: a truncated record, or no known record before the first unknown one.
    """
    return TABLE.decode(payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode ``line_n`` objects into a VS133 frame.

    Raises:
        ValueError: an unknown line or key, ``period_in`` without ``period_out`` (or the
            reverse), or a count out of range.
    """
    return TABLE.encode(fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible periodic VS133 report over one or two doorways (cumulative counters).

    Args:
        rng: the simulator's random source.

    Returns:
        ``(85, fields)``.
    """
    fields: dict[str, JsonValue] = {}
    for n in range(1, rng.choice((1, 1, 2)) + 1):
        total_in = rng.randint(0, 200_000)
        fields[f"line_{n}"] = {
            "total_in": total_in,
            "total_out": max(0, total_in - rng.randint(0, 40)),
            "period_in": rng.randint(0, 60),
            "period_out": rng.randint(0, 60),
        }
    return F_PORT, fields
