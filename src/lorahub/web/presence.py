"""What a board shows of a room or a compartment: presence values, status and today's sparkline.

Pure values: no clock, no I/O. A device contributes to a board when its uplinks carry one of the
presence quantities (``occupancy`` 0/1, ``people_count``, ``fill_level`` %).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from lorahub.decoding.fieldmap import Readings

BUCKET_NS = 15 * 60 * 1_000_000_000
"""Width of one sparkline bucket (15 minutes)."""
DAY_BUCKETS = 96
FULL_AT_PERCENT = 80.0
"""A compartment (or bin) at or above this fill level counts as full."""

Status = Literal["free", "in_use", "full", "unknown"]


@dataclass(frozen=True, slots=True)
class Presence:
    """The newest presence values of one device and when they were measured."""

    time_ns: int
    occupancy: int | None = None
    people_count: int | None = None
    fill_level: float | None = None

    def level(self) -> float | None:
        """The one number a sparkline follows: people, else occupancy, else fill level."""
        if self.people_count is not None:
            return float(self.people_count)
        if self.occupancy is not None:
            return float(self.occupancy)
        return self.fill_level


def presence_of(readings: Readings, time_ns: int) -> Presence | None:
    """The presence values among ``readings``, or None when there are none."""
    occupancy = readings.get("occupancy")
    people = readings.get("people_count")
    fill = readings.get("fill_level")
    if occupancy is None and people is None and fill is None:
        return None
    return Presence(
        time_ns=time_ns,
        occupancy=None if occupancy is None else int(occupancy),
        people_count=None if people is None else int(people),
        fill_level=None if fill is None else float(fill),
    )


@dataclass(frozen=True, slots=True)
class TileState:
    """What a room or compartment is now."""

    status: Status
    people: int | None = None
    fill_level: float | None = None
    updated_ns: int | None = None


def room_state(presences: Sequence[Presence], capacity: int | None) -> TileState:
    """A room from its devices: people counted (the highest count), in use, full, or unknown."""
    if not presences:
        return TileState("unknown")
    counts = [p.people_count for p in presences if p.people_count is not None]
    people = max(counts) if counts else None
    in_use = bool(people) or any(p.occupancy for p in presences)
    known = people is not None or any(p.occupancy is not None for p in presences)
    updated = max(p.time_ns for p in presences)
    if not known:
        return TileState("unknown", updated_ns=updated)
    if people is not None and capacity and people >= capacity:
        return TileState("full", people, updated_ns=updated)
    return TileState("in_use" if in_use else "free", people, updated_ns=updated)


def compartment_state(presence: Presence | None) -> TileState:
    """A parcel compartment or bin from its fill level: free, or full from ``FULL_AT_PERCENT``."""
    if presence is None or presence.fill_level is None:
        return TileState("unknown")
    fill = presence.fill_level
    status: Status = "full" if fill >= FULL_AT_PERCENT else "free"
    return TileState(status, fill_level=fill, updated_ns=presence.time_ns)


def bucket_of(time_ns: int) -> int:
    """The start of the 15-minute bucket holding ``time_ns``."""
    return time_ns - time_ns % BUCKET_NS


def merged_buckets(series: Iterable[Mapping[int, float]]) -> dict[int, float]:
    """Several devices' buckets as one: the highest value of each bucket."""
    merged: dict[int, float] = {}
    for buckets in series:
        for start, value in buckets.items():
            held = merged.get(start)
            merged[start] = value if held is None else max(held, value)
    return merged


def sparkline_points(
    buckets: Mapping[int, float], day_start_ns: int, top: float, height: int = 24
) -> str:
    """SVG polyline points of today's buckets as steps, x = bucket of the day (0 to 96), y down.

    Args:
        buckets: bucket start (ns) to value.
        day_start_ns: local midnight of today.
        top: the value drawn at the top (capacity, 1 for occupancy, 100 for fill level).
        height: the drawing's height in SVG units.

    Returns:
        ``"x,y x,y …"``, empty when nothing was measured today.
    """
    today = {
        index: buckets[start]
        for start in sorted(buckets)
        if 0 <= (index := (start - day_start_ns) // BUCKET_NS) < DAY_BUCKETS
    }
    scale = max(top, max(today.values(), default=0.0), 1.0)
    points = []
    for index, value in today.items():
        y = height - value / scale * height
        points.append(f"{index},{y:.1f} {index + 1},{y:.1f}")
    return " ".join(points)
