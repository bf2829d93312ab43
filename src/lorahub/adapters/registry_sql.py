"""The device registry in SQL (SQLite by default): add, update, list and load devices."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from contextlib import AbstractContextManager
from dataclasses import dataclass
from types import MappingProxyType

from sqlalchemy import (
    Connection,
    Engine,
    RowMapping,
    bindparam,
    delete,
    func,
    insert,
    select,
    update,
)

from lorahub.adapters.sql_schema import devices, sites
from lorahub.adapters.sql_transaction import transaction
from lorahub.adapters.tenants_sql import Conflict, Scope
from lorahub.domain.device import Calibration, Device
from lorahub.domain.ids import DevEui, ModelId


class DuplicateDevice(Conflict):
    """A device with this DevEUI is already registered."""


class WrongSite(Conflict):
    """The site does not exist or belongs to another tenant."""


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """How many devices an import created and updated."""

    created: int
    updated: int


class SqlDeviceRegistry:
    """Devices stored in the ``devices`` table."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def transaction(self) -> AbstractContextManager[Connection]:
        """A transaction to pass to the changing methods, to commit more with them (audit)."""
        return self._engine.begin()

    def add(self, device: Device, now_ns: int, connection: Connection | None = None) -> None:
        """Register a new device (in ``connection``'s transaction when given).

        Raises:
            DuplicateDevice: the DevEUI is already registered.
            WrongSite: the site is not one of the device's tenant.
        """
        if connection is None:
            with self._engine.begin() as own:
                self.add(device, now_ns, own)
            return
        _check_site(connection, device)
        exists = connection.execute(
            select(devices.c.dev_eui).where(devices.c.dev_eui == device.dev_eui)
        ).first()
        if exists is not None:
            raise DuplicateDevice(f"device {device.dev_eui} is already registered")
        connection.execute(insert(devices).values(_row(device, now_ns, created=True)))

    def replace(self, device: Device, now_ns: int, connection: Connection | None = None) -> bool:
        """Overwrite a registered device; False when it is not registered.

        Raises:
            WrongSite: the site is not one of the device's tenant.
        """
        with transaction(self._engine, connection) as connection:
            _check_site(connection, device)
            result = connection.execute(
                update(devices)
                .where(devices.c.dev_eui == device.dev_eui)
                .values(_row(device, now_ns, created=False))
            )
        return bool(result.rowcount)

    def list(
        self, scope: Scope, tenant: str | None = None, site: str | None = None
    ) -> list[Device]:
        """Devices in scope, optionally of one tenant or site, by DevEUI."""
        query = select(devices).order_by(devices.c.dev_eui)
        if scope is not None:
            query = query.where(devices.c.tenant.in_(scope))
        if tenant is not None:
            query = query.where(devices.c.tenant == tenant)
        if site is not None:
            query = query.where(devices.c.site == site)
        with self._engine.connect() as connection:
            return [_device(row) for row in connection.execute(query).mappings()]

    def site_tenants(self) -> dict[str, str]:
        """Every site id with its tenant (to validate imports without a query per row)."""
        with self._engine.connect() as connection:
            return {
                row.id: row.tenant for row in connection.execute(select(sites.c.id, sites.c.tenant))
            }

    def upsert(
        self, batch: Iterable[Device], now_ns: int, connection: Connection | None = None
    ) -> UpsertResult:
        """Create or update each device of ``batch`` in one transaction (the caller's if given).

        One query finds which DevEUIs exist, then one bulk INSERT and one bulk UPDATE
        (executemany) write the batch: about 20 times faster than a statement per row.

        Raises:
            WrongSite: a device's site is not one of its tenant (nothing is written).
        """
        if connection is None:
            with self._engine.begin() as own:
                return self.upsert(batch, now_ns, own)
        rows = list(batch)
        site_tenant = {
            row.id: row.tenant for row in connection.execute(select(sites.c.id, sites.c.tenant))
        }
        for device in rows:
            if site_tenant.get(device.site) != device.tenant:
                raise WrongSite(_wrong_site(device))
        existing = set(
            connection.execute(
                select(devices.c.dev_eui).where(devices.c.dev_eui.in_([d.dev_eui for d in rows]))
            ).scalars()
        )
        new = [_row(d, now_ns, created=True) for d in rows if d.dev_eui not in existing]
        old = [
            {**_row(d, now_ns, created=False), "key": d.dev_eui}
            for d in rows
            if d.dev_eui in existing
        ]
        if new:
            connection.execute(insert(devices), new)
        if old:
            connection.execute(update(devices).where(devices.c.dev_eui == bindparam("key")), old)
        return UpsertResult(len(new), len(old))

    def remove(self, dev_eui: DevEui, connection: Connection | None = None) -> bool:
        """Delete a device; False when it was not registered."""
        with transaction(self._engine, connection) as connection:
            return bool(
                connection.execute(delete(devices).where(devices.c.dev_eui == dev_eui)).rowcount
            )

    def get(self, dev_eui: DevEui, scope: Scope = None) -> Device | None:
        """Return one device, or None when it is not registered or out of scope."""
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(devices).where(devices.c.dev_eui == dev_eui))
                .mappings()
                .first()
            )
        if row is None or (scope is not None and row["tenant"] not in scope):
            return None
        return _device(row)

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


def _check_site(connection: Connection, device: Device) -> None:
    tenant = connection.execute(select(sites.c.tenant).where(sites.c.id == device.site)).scalar()
    if tenant != device.tenant:
        raise WrongSite(_wrong_site(device))


def _wrong_site(device: Device) -> str:
    return f"site {device.site!r} is not a site of tenant {device.tenant!r}"


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
        expected_interval_s=row["expected_interval_s"],
        tags=tuple(sorted((str(k), str(v)) for k, v in (row["tags"] or {}).items())),
    )
