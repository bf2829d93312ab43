"""API models of devices: Create/Claim/Update bodies, Public and Detail answers, import report."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import BaseModel, Field

from lorahub.adapters.device_state_sql import DeviceActivity
from lorahub.api.schemas import (
    ApiModel,
    DevEuiText,
    Distance,
    ModelText,
    Name,
    PatchModel,
    Slug,
    TagText,
    utc,
)
from lorahub.domain.device import Calibration, DecodingMode, Device
from lorahub.domain.ids import DevEui, ModelId

IntervalSeconds = Annotated[int, Field(ge=1, le=31 * 86400)]
Tags = Annotated[dict[TagText, TagText], Field(max_length=50)]


class DeviceSettings(ApiModel):
    """How a device is decoded and watched, besides where it belongs."""

    empty_distance_m: Distance | None = None
    full_distance_m: Distance | None = None
    enabled: bool = True
    decoding: DecodingMode = "model"
    expected_interval_s: IntervalSeconds | None = None
    tags: Tags = Field(default_factory=dict)


class DeviceClaim(DeviceSettings):
    """Registration of a pending DevEUI (the DevEUI comes from the path)."""

    name: Name
    model: ModelText
    tenant: Slug
    site: Slug

    def to_device(self, dev_eui: DevEui) -> Device:
        """The registry device for ``dev_eui``."""
        return Device(
            dev_eui=dev_eui,
            name=self.name,
            model=ModelId(self.model),
            tenant=self.tenant,
            site=self.site,
            calibration=Calibration(self.empty_distance_m, self.full_distance_m),
            enabled=self.enabled,
            decoding=self.decoding,
            expected_interval_s=self.expected_interval_s,
            tags=tuple(sorted(self.tags.items())),
        )


class DeviceCreate(DeviceClaim):
    """A new device."""

    dev_eui: DevEuiText

    def device(self) -> Device:
        """The registry device."""
        return self.to_device(DevEui(self.dev_eui))


class DeviceUpdate(PatchModel):
    """Changes to a device (not its DevEUI)."""

    required: ClassVar[frozenset[str]] = frozenset(
        {"name", "model", "tenant", "site", "enabled", "decoding", "tags"}
    )
    name: Name | None = None
    model: ModelText | None = None
    tenant: Slug | None = None
    site: Slug | None = None
    empty_distance_m: Distance | None = None
    full_distance_m: Distance | None = None
    enabled: bool | None = None
    decoding: DecodingMode | None = None
    expected_interval_s: IntervalSeconds | None = None
    tags: Tags | None = None

    def apply(self, device: Device) -> Device:
        """``device`` with these changes."""
        changes = self.changes()
        calibration = Calibration(
            changes.pop("empty_distance_m", device.calibration.empty_distance_m),  # type: ignore[arg-type]
            changes.pop("full_distance_m", device.calibration.full_distance_m),  # type: ignore[arg-type]
        )
        if self.tags is not None:
            changes["tags"] = tuple(sorted(self.tags.items()))
        return dataclasses.replace(device, calibration=calibration, **changes)  # type: ignore[arg-type]


class DevicePublic(BaseModel):
    """A device as answered."""

    dev_eui: str
    name: str
    model: str
    tenant: str
    site: str
    empty_distance_m: float | None
    full_distance_m: float | None
    enabled: bool
    decoding: DecodingMode
    expected_interval_s: int | None
    tags: dict[str, str]

    @classmethod
    def of(cls, device: Device) -> DevicePublic:
        """From the domain device."""
        return cls.model_validate(device.to_dict())


class ActivityPublic(BaseModel):
    """What the network last said about a device."""

    last_seen: datetime
    f_cnt: int | None
    rssi: float | None
    snr: float | None
    gateways: int
    readings: dict[str, float | int]
    readings_at: datetime | None

    @classmethod
    def of(cls, activity: DeviceActivity) -> ActivityPublic:
        """From the stored activity."""
        return cls(
            last_seen=utc(activity.last_seen_ns),
            f_cnt=activity.f_cnt,
            rssi=activity.rssi,
            snr=activity.snr,
            gateways=activity.gateways,
            readings=activity.readings,
            readings_at=utc(activity.readings_ns) if activity.readings_ns else None,
        )


class BatteryPublic(BaseModel):
    """The last battery readings (state of charge in %, voltage in V)."""

    percent: float | None
    voltage: float | None


class DeviceDetail(DevicePublic):
    """A device with its last activity and battery."""

    activity: ActivityPublic | None
    battery: BatteryPublic | None

    @classmethod
    def with_activity(cls, device: Device, activity: DeviceActivity | None) -> DeviceDetail:
        """The device and what the network last said about it."""
        readings = activity.readings if activity else {}
        battery = None
        if "battery" in readings or "battery_voltage" in readings:
            percent, voltage = readings.get("battery"), readings.get("battery_voltage")
            battery = BatteryPublic(
                percent=None if percent is None else float(percent),
                voltage=None if voltage is None else float(voltage),
            )
        return cls(
            **DevicePublic.of(device).model_dump(),
            activity=ActivityPublic.of(activity) if activity else None,
            battery=battery,
        )


class RowRejection(BaseModel):
    """A row of an import that was not written, and why."""

    row: int = Field(description="CSV line number, or 1-based index in a JSON list")
    reason: str


class ImportReport(BaseModel):
    """What an import wrote and what it refused."""

    created: int
    updated: int
    rejected: list[RowRejection]
