"""The canonical quantities: one name, one unit, one InfluxDB field type, forever.

This table is the public contract of the ``readings`` measurement. Dashboards and alert
rules depend on it; a name never changes its unit or type. Add rows, never edit them.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Literal

FieldType = Literal["float", "integer"]


@dataclass(frozen=True, slots=True)
class Quantity:
    """One canonical quantity of the ``readings`` measurement."""

    name: str
    unit: str
    type: FieldType
    minimum: float
    maximum: float
    description: str

    def coerce(self, value: float) -> float | int:
        """Return ``value`` as this quantity's field type (integers are rounded)."""
        if self.type == "integer":
            return round(value)
        return float(value)

    def plausible(self, value: float) -> bool:
        """Whether ``value`` lies in this quantity's physical range."""
        return self.minimum <= value <= self.maximum


def _table(*rows: Quantity) -> Mapping[str, Quantity]:
    return MappingProxyType({row.name: row for row in rows})


QUANTITIES: Mapping[str, Quantity] = _table(
    Quantity("temperature", "°C", "float", -60, 150, "air or surface temperature"),
    Quantity("external_temperature", "°C", "float", -60, 150, "temperature of an external probe"),
    Quantity("relative_humidity", "%", "float", 0, 100, "relative humidity"),
    Quantity("co2", "ppm", "float", 0, 40000, "carbon dioxide concentration"),
    Quantity("pressure", "hPa", "float", 300, 1100, "barometric pressure"),
    Quantity("illuminance", "lx", "float", 0, 200000, "illuminance"),
    Quantity("distance", "m", "float", 0, 100, "distance measured by a range sensor"),
    Quantity("fill_level", "%", "float", 0, 100, "fill level from distance and calibration"),
    Quantity("occupancy", "0/1", "integer", 0, 1, "1 when the room or desk is in use"),
    Quantity("motion_count", "1", "integer", 0, 1_000_000, "PIR motion events since last uplink"),
    Quantity("people_count", "1", "integer", 0, 100_000, "people present now"),
    Quantity("people_in", "1", "integer", 0, 4_294_967_295, "people who entered (counter)"),
    Quantity("people_out", "1", "integer", 0, 4_294_967_295, "people who left (counter)"),
    Quantity("tvoc", "ppb", "float", 0, 100_000, "total volatile organic compounds"),
    Quantity("pm2_5", "µg/m³", "float", 0, 2000, "particulate matter up to 2.5 µm"),
    Quantity("pm10", "µg/m³", "float", 0, 2000, "particulate matter up to 10 µm"),
    Quantity("hcho", "mg/m³", "float", 0, 100, "formaldehyde concentration"),
    Quantity("o3", "ppm", "float", 0, 100, "ozone concentration"),
    Quantity("battery", "%", "float", 0, 100, "battery state of charge"),
    Quantity("battery_voltage", "V", "float", 0, 10, "battery voltage"),
)
"""Every canonical quantity by name."""
