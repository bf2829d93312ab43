"""A registered device as the ingest path sees it."""

from __future__ import annotations

from dataclasses import dataclass

from lorahub.domain.ids import DevEui, ModelId


@dataclass(frozen=True, slots=True)
class Calibration:
    """Per-device calibration: the distances (metres) at which a box or bin is empty and full."""

    empty_distance_m: float | None = None
    full_distance_m: float | None = None


@dataclass(frozen=True, slots=True)
class Device:
    """A device registered to a tenant (municipality) and a site."""

    dev_eui: DevEui
    name: str
    model: ModelId
    tenant: str
    site: str
    calibration: Calibration = Calibration()
    enabled: bool = True

    def to_dict(self) -> dict[str, str | float | bool | None]:
        """The device as a flat record (registry row, JSON output)."""
        return {
            "dev_eui": self.dev_eui,
            "name": self.name,
            "model": self.model,
            "tenant": self.tenant,
            "site": self.site,
            "empty_distance_m": self.calibration.empty_distance_m,
            "full_distance_m": self.calibration.full_distance_m,
            "enabled": self.enabled,
        }
