"""A registered device as the ingest path sees it."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lorahub.domain.ids import DevEui, ModelId


@dataclass(frozen=True, slots=True)
class Calibration:
    """Per-device calibration: the distances (metres) at which a box or bin is empty and full."""

    empty_distance_m: float | None = None
    full_distance_m: float | None = None


DecodingMode = Literal["model", "lns"]
"""``model``: decode with the model's codec; ``lns``: use the network server's decoded object
through the model's field map (for a device whose server already runs the maker's codec)."""


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
    decoding: DecodingMode = "model"
    expected_interval_s: int | None = None
    tags: tuple[tuple[str, str], ...] = ()

    def to_dict(self) -> dict[str, str | float | bool | dict[str, str] | None]:
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
            "decoding": self.decoding,
            "expected_interval_s": self.expected_interval_s,
            "tags": dict(self.tags),
        }
