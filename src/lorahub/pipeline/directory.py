"""The ingest path's in-memory device directory, swapped whole when the registry changes."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from types import MappingProxyType

from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui


class DeviceDirectory:
    """O(1) DevEUI lookup over an immutable snapshot of the registry."""

    def __init__(self, devices: Mapping[DevEui, Device] | None = None) -> None:
        self._devices: Mapping[DevEui, Device] = devices or MappingProxyType({})

    def get(self, dev_eui: DevEui) -> Device | None:
        """The device, or None when it is not registered."""
        return self._devices.get(dev_eui)

    def replace(self, devices: Mapping[DevEui, Device]) -> None:
        """Swap in a new snapshot (one reference assignment: no lock needed in asyncio)."""
        self._devices = devices

    def devices(self) -> Iterable[Device]:
        """Every registered device of the current snapshot."""
        return self._devices.values()

    def __len__(self) -> int:
        return len(self._devices)
