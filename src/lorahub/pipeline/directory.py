"""The ingest path's in-memory device directory, swapped whole when the registry changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui
from lorahub.domain.tenancy import Site

_NO_CAPACITIES: Mapping[str, int] = MappingProxyType({})


def site_capacities(sites: Iterable[Site]) -> Mapping[str, int]:
    """Site id to capacity, for the sites that have one."""
    return MappingProxyType({site.id: site.capacity for site in sites if site.capacity is not None})


class DeviceDirectory:
    """O(1) DevEUI lookup over an immutable snapshot of the registry.

    Beside the devices it holds each site's capacity (people), which the point formatter writes
    next to occupancy readings so dashboards can compute utilisation in one query.
    """

    def __init__(
        self,
        devices: Mapping[DevEui, Device] | None = None,
        capacities: Mapping[str, int] | None = None,
    ) -> None:
        self._devices: Mapping[DevEui, Device] = devices or MappingProxyType({})
        self._capacities: Mapping[str, int] = capacities or _NO_CAPACITIES

    def get(self, dev_eui: DevEui) -> Device | None:
        """The device, or None when it is not registered."""
        return self._devices.get(dev_eui)

    @property
    def site_capacities(self) -> Mapping[str, int]:
        """The current snapshot of site capacities (a new object whenever it is replaced)."""
        return self._capacities

    def replace(self, devices: Mapping[DevEui, Device]) -> None:
        """Swap in a new snapshot (one reference assignment: no lock needed in asyncio)."""
        self._devices = devices

    def devices(self) -> Iterable[Device]:
        """Every registered device of the current snapshot."""
        return self._devices.values()

    def replace_site_capacities(self, capacities: Mapping[str, int]) -> None:
        """Swap in new site capacities (one reference assignment, like :meth:`replace`)."""
        self._capacities = capacities

    def __len__(self) -> int:
        return len(self._devices)
