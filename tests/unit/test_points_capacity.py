"""The site capacity written next to occupancy readings, from the device directory."""

from __future__ import annotations

from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.domain.tenancy import Site
from lorahub.pipeline.directory import DeviceDirectory, site_capacities
from lorahub.pipeline.points import PointFormatter

ROOM = Device(DevEui("a81758fffe0c4e21"), "raum1", ModelId("elsys/ers-eye"), "lindenau", "room")
SQUARE = Device(DevEui("a840414a51c3d7e2"), "platz", ModelId("dragino/lht65n"), "lindenau", "sq")


def _directory(capacity: int | None) -> DeviceDirectory:
    sites = [
        Site("room", "lindenau", "Raum", "room", capacity=capacity),
        Site("sq", "lindenau", "Platz", "public_place"),
    ]
    return DeviceDirectory({ROOM.dev_eui: ROOM, SQUARE.dev_eui: SQUARE}, site_capacities(sites))


def test_capacity_only_with_occupancy_or_people_count() -> None:
    points = PointFormatter(_directory(8))
    occupied = points.readings(ROOM, 5, {"occupancy": 1, "temperature": 21.5})
    counted = points.readings(ROOM, 6, {"people_count": 3})
    climate = points.readings(ROOM, 7, {"temperature": 21.5})
    assert occupied is not None
    assert occupied.endswith(" occupancy=1i,temperature=21.5,capacity=8i 5")
    assert counted is not None and counted.endswith(" people_count=3i,capacity=8i 6")
    assert climate is not None and "capacity" not in climate


def test_no_capacity_for_sites_without_one_or_without_a_directory() -> None:
    line = PointFormatter(_directory(None)).readings(ROOM, 5, {"occupancy": 1})
    assert line is not None and "capacity" not in line
    bare = PointFormatter().readings(ROOM, 5, {"people_count": 2})
    assert bare is not None and "capacity" not in bare


def test_new_capacities_replace_the_cached_ones() -> None:
    directory = _directory(8)
    points = PointFormatter(directory)
    assert "capacity=8i" in (points.readings(ROOM, 5, {"people_count": 1}) or "")
    bigger = Site("room", "lindenau", "Raum", "room", capacity=12)
    directory.replace_site_capacities(site_capacities([bigger]))
    assert "capacity=12i" in (points.readings(ROOM, 6, {"people_count": 1}) or "")
    directory.replace_site_capacities(site_capacities([]))
    assert "capacity" not in (points.readings(ROOM, 7, {"people_count": 1}) or "")


def test_a_directory_that_starts_empty_still_provides_capacities() -> None:
    directory = DeviceDirectory()
    points = PointFormatter(directory)
    directory.replace({ROOM.dev_eui: ROOM})
    directory.replace_site_capacities(
        site_capacities([Site("room", "lindenau", "R", "room", capacity=6)])
    )
    assert "capacity=6i" in (points.readings(ROOM, 5, {"occupancy": 0}) or "")
