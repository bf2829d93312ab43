"""The device registry in SQL (SQLite by default): add, update, list and load devices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import Engine, RowMapping, delete, func, insert, select, update

from lorahub.adapters.sql_schema import devices
from lorahub.domain.device import Calibration, Device
from lorahub.domain.ids import DevEui, ModelId


class DuplicateDevice(Exception):
    """A device with this DevEUI is already registered."""


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """How many devices an import created and updated."""

    created: int
    updated: int


class SqlDeviceRegistry:
    """Devices stored in the ``devices`` table."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, device: Device, now_ns: int) -> None:
        """Register a new device.

        Raises:
            DuplicateDevice: the DevEUI is already registered.
        """
        with self._engine.begin() as connection:
            exists = connection.execute(
                select(devices.c.dev_eui).where(devices.c.dev_eui == device.dev_eui)
            ).first()
            if exists is not None:
                raise DuplicateDevice(f"device {device.dev_eui} is already registered")
            connection.execute(insert(devices).values(_row(device, now_ns, created=True)))

    def upsert(self, batch: Iterable[Device], now_ns: int) -> UpsertResult:
        """Create or update each device of ``batch`` in one transaction."""
        created = updated = 0
        with self._engine.begin() as connection:
            for device in batch:
                result = connection.execute(
                    update(devices)
                    .where(devices.c.dev_eui == device.dev_eui)
                    .values(_row(device, now_ns, created=False))
                )
                if result.rowcount:
                    updated += 1
                else:
                    connection.execute(insert(devices).values(_row(device, now_ns, created=True)))
                    created += 1
        return UpsertResult(created, updated)

    def remove(self, dev_eui: DevEui) -> bool:
        """Delete a device; False when it was not registered."""
        with self._engine.begin() as connection:
            return bool(
                connection.execute(delete(devices).where(devices.c.dev_eui == dev_eui)).rowcount
            )

    def get(self, dev_eui: DevEui) -> Device | None:
        """Return one device, or None."""
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(devices).where(devices.c.dev_eui == dev_eui))
                .mappings()
                .first()
            )
        return _device(row) if row is not None else None

    def load_all(self) -> Mapping[DevEui, Device]:
        """Every registered device by DevEUI (the ingest path's in-memory directory)."""
        with self._engine.connect() as connection:
            rows = connection.execute(select(devices).order_by(devices.c.dev_eui)).mappings().all()
        return MappingProxyType({DevEui(row["dev_eui"]): _device(row) for row in rows})

    def fingerprint(self) -> tuple[int, int]:
        """(device count, newest change time): changes whenever the registry changes."""
        with self._engine.connect() as connection:
            count, newest = connection.execute(
                select(func.count(), func.coalesce(func.max(devices.c.updated_ns), 0))
            ).one()
        return int(count), int(newest)


def _row(device: Device, now_ns: int, *, created: bool) -> dict[str, object]:
    row: dict[str, object] = {**device.to_dict(), "updated_ns": now_ns}
    if created:
        row["created_ns"] = now_ns
    return row


def _device(row: RowMapping) -> Device:
    return Device(
        dev_eui=DevEui(row["dev_eui"]),
        name=row["name"],
        model=ModelId(row["model"]),
        tenant=row["tenant"],
        site=row["site"],
        calibration=Calibration(row["empty_distance_m"], row["full_distance_m"]),
        enabled=bool(row["enabled"]),
        decoding="lns" if row["decoding"] == "lns" else "model",
    )
