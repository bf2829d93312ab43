"""Build the InfluxDB lines of the public schema: ``readings``, ``uplinks`` and ``dead_letters``."""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Protocol

from lorahub.adapters.line_protocol import line, series_key
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui
from lorahub.domain.uplink import Uplink

READINGS = "readings"
UPLINKS = "uplinks"
DEAD_LETTERS = "dead_letters"
CAPACITY = "capacity"


class SiteCapacities(Protocol):
    """Where the formatter finds each site's capacity (the device directory)."""

    @property
    def site_capacities(self) -> Mapping[str, int]:
        """Site id to capacity; a new object whenever the capacities change."""
        ...


class _NoCapacities:
    site_capacities: Mapping[str, int] = MappingProxyType({})


def device_tags(device: Device) -> list[tuple[str, str]]:
    """The tags every point of ``device`` carries."""
    return [
        ("tenant", device.tenant),
        ("site", device.site),
        ("dev_eui", device.dev_eui),
        ("device", device.name),
        ("model", device.model),
    ]


class _Series:
    """What the formatter remembers per device: its series keys and its site's capacity."""

    __slots__ = ("capacities", "capacity", "device", "readings", "uplinks")

    def __init__(self, device: Device, capacities: Mapping[str, int]) -> None:
        tags = device_tags(device)
        self.device = device
        self.capacities = capacities
        self.readings = series_key(READINGS, tags)
        self.uplinks = series_key(UPLINKS, tags)
        self.capacity = capacities.get(device.site)


class PointFormatter:
    """Formats lines, caching each device's series keys until the device or capacities change.

    Args:
        capacities: where site capacities come from (the device directory); without it no
            ``capacity`` field is written.
    """

    def __init__(self, capacities: SiteCapacities | None = None) -> None:
        self._capacities: SiteCapacities = _NoCapacities() if capacities is None else capacities
        self._series: dict[DevEui, _Series] = {}

    def _cached(self, device: Device) -> _Series:
        cached = self._series.get(device.dev_eui)
        capacities = self._capacities.site_capacities
        if cached is None or cached.device is not device or cached.capacities is not capacities:
            cached = _Series(device, capacities)
            self._series[device.dev_eui] = cached
        return cached

    def readings(
        self, device: Device, time_ns: int, readings: Mapping[str, float | int]
    ) -> str | None:
        """The ``readings`` line, or None when there is nothing to write.

        Occupancy and people counts get the site's ``capacity`` (an integer field) alongside
        when the site has one, so utilisation is one InfluxQL query.
        """
        if not readings:
            return None
        series = self._cached(device)
        fields: list[tuple[str, float | int | bool | str]] = list(readings.items())
        if series.capacity is not None and ("people_count" in readings or "occupancy" in readings):
            fields.append((CAPACITY, series.capacity))
        return line(series.readings, fields, time_ns)

    def uplink(self, device: Device, uplink: Uplink) -> str:
        """The ``uplinks`` line: radio and frame metadata of one uplink."""
        fields: list[tuple[str, float | int | bool | str]] = [("f_port", uplink.f_port)]
        if uplink.f_cnt is not None:
            fields.append(("f_cnt", uplink.f_cnt))
        fields.append(("gateways", len(uplink.gateways)))
        fields.append(("payload_bytes", len(uplink.payload)))
        best_rssi: float | None = None
        best_snr: float | None = None
        for gw in uplink.gateways:  # the strongest gateway; the first of equals
            if gw.rssi is not None and (best_rssi is None or gw.rssi > best_rssi):
                best_rssi, best_snr = gw.rssi, gw.snr
        if best_rssi is not None:
            fields.append(("rssi", float(best_rssi)))
            if best_snr is not None:
                fields.append(("snr", float(best_snr)))
        if uplink.frequency is not None:
            fields.append(("frequency", uplink.frequency))
        if uplink.spreading_factor is not None:
            fields.append(("spreading_factor", uplink.spreading_factor))
        return line(self._cached(device).uplinks, fields, uplink.time_ns)

    def dead_letter(
        self, reason: str, device: Device | None, dev_eui: DevEui | None, received_ns: int
    ) -> str:
        """The ``dead_letters`` line: one rejected message, by reason (for dashboards).

        Tagged with the device's tags when it is registered, with only its DevEUI when not,
        and with the reason alone when the message named no device. Timed at receipt, since a
        rejected message may carry no usable time of its own.
        """
        tags = [("reason", reason)]
        if device is not None:
            tags += device_tags(device)
        elif dev_eui is not None:
            tags.append(("dev_eui", dev_eui))
        return line(series_key(DEAD_LETTERS, tags), [("count", 1)], received_ns)
