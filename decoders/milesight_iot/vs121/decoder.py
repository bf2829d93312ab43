"""Milesight VS121 AI workplace occupancy camera: decode, encode and sample its uplinks.

Port of the layout of ``vs121.js`` (TTN lorawan-devices @96abc53) as a record table of the
shared Milesight channel frame (:mod:`lorahub.decoding.milesight_channels`). Its one record,
``04 C9``, holds the people count, the region count and a big-endian u16 region mask.

Deliberate divergence: the codec sets a region's ``count`` to 1 when ``mask > index``, which is
not a bit test (mask 0x0005 marks regions 0-3 instead of 0 and 2). This decoder tests bit
``index`` of the mask; the affected vectors record the codec's output.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Mapping

from lorahub.decoding.milesight_channels import F_PORT, ChannelTable
from lorahub.domain.json_value import JsonValue

MASK_BITS = 16


class _Occupancy:
    """``[people u8][region count u8][mask u16 BE]`` to ``people_counter_all`` and ``regions``.

    A plain class: this module is loaded from its file, where dataclasses cannot introspect it.
    """

    __slots__ = ()
    keys: tuple[str, ...] = ("people_counter_all", "region_count", "regions")
    size: int = 4

    def unpack(self, payload: bytes, offset: int) -> Iterable[tuple[str, JsonValue]]:
        people, count = payload[offset], payload[offset + 1]
        mask = payload[offset + 2] << 8 | payload[offset + 3]
        regions: list[JsonValue] = [
            {"index": index, "count": mask >> index & 1} for index in range(count)
        ]
        return (("people_counter_all", people), ("region_count", count), ("regions", regions))

    def pack(self, fields: Mapping[str, JsonValue], model: str) -> bytes:
        people = _u8(fields["people_counter_all"], f"{model}: people_counter_all")
        count = _u8(fields["region_count"], f"{model}: region_count")
        regions = fields["regions"]
        if not isinstance(regions, list) or len(regions) != count:
            raise ValueError(f"{model}: regions must be a list of region_count={count} objects")
        mask = 0
        for index, region in enumerate(regions):
            if not isinstance(region, dict) or region.get("index") != index:
                raise ValueError(f"{model}: region {index} must be an object with index {index}")
            occupied = region.get("count")
            if occupied not in (0, 1):
                raise ValueError(f"{model}: region {index} count must be 0 or 1, not {occupied!r}")
            if occupied and index >= MASK_BITS:
                raise ValueError(f"{model}: region {index} has no bit in the 16-bit mask")
            mask |= (1 if occupied else 0) << index
        return bytes((people, count)) + mask.to_bytes(2, "big")


def _u8(value: JsonValue, what: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 0xFF:
        raise ValueError(f"{what} must be an integer 0-255, not {value!r}")
    return value


TABLE = ChannelTable("vs121", [((0x04, 0xC9), _Occupancy())])


def decode(payload: bytes, f_port: int) -> dict[str, JsonValue]:
    """Decode a VS121 uplink into ``people_counter_all``, ``region_count`` and ``regions``.

    Args:
        payload: the FRMPayload.
        f_port: the uplink's fPort (ignored, as by the codec).

    Returns:
        The vendor fields; ``regions`` is ``[{"index": i, "count": 0 or 1}, ...]``.

    Raises:
        DecodeError: a truncated record, or no known record before the first unknown one.
    """
    return TABLE.decode(payload)


def encode(fields: Mapping[str, JsonValue], f_port: int) -> bytes:
    """Encode VS121 vendor fields into a frame.

    Raises:
        ValueError: a missing or unknown field, or regions inconsistent with ``region_count``.
    """
    return TABLE.encode(fields)


def sample(rng: random.Random) -> tuple[int, dict[str, JsonValue]]:
    """A plausible VS121 report over an office with 1-16 desk regions.

    Args:
        rng: the simulator's random source.

    Returns:
        ``(85, fields)``.
    """
    count = rng.randint(1, MASK_BITS)
    occupied = [int(rng.random() < 0.4) for _ in range(count)]
    regions: list[JsonValue] = [{"index": i, "count": c} for i, c in enumerate(occupied)]
    fields: dict[str, JsonValue] = {
        "people_counter_all": sum(occupied) + rng.randint(0, 3),
        "region_count": count,
        "regions": regions,
    }
    return F_PORT, fields
