"""Import parsed device rows into the registry: check tenancy per row, write in audited chunks.

The one import service behind ``lorahub devices import`` and the REST API. The parser
(``devices_csv``) has already refused malformed rows; this module refuses rows the caller may not
write (a tenant outside its scope, a site that does not exist or belongs to another tenant, a
DevEUI registered to a tenant outside its scope) and upserts the rest.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass

from lorahub.adapters.audit_sql import AuditEntry, record
from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.devices_csv import ParsedRow, RowProblem
from lorahub.domain.device import Device


@dataclass(frozen=True, slots=True)
class ImportReport:
    """What an import did: devices created and updated, and the rows refused (in file order)."""

    created: int
    updated: int
    rejected: tuple[RowProblem, ...]


def _no_progress(_rows: int) -> None:
    """Progress callback that ignores progress."""


def import_devices(
    rows: Iterable[ParsedRow],
    registry: SqlDeviceRegistry,
    site_tenants: Mapping[str, str],
    allowed_tenants: frozenset[str] | None,
    now_ns: int,
    actor: str,
    chunk: int = 1000,
    progress: Callable[[int], None] = _no_progress,
) -> ImportReport:
    """Create or update the devices of ``rows``, refusing each row the caller may not write.

    Valid devices are collected per tenant and written ``chunk`` at a time with
    ``registry.upsert``, so every chunk belongs to one tenant and gets one audit entry (entity
    ``device``, action ``import``) that the tenant's own users can see.

    Args:
        rows: parsed rows, in file order (a row with a problem is reported as it is).
        registry: where the devices go.
        site_tenants: every site id with its tenant (``registry.site_tenants()``).
        allowed_tenants: tenants the caller may manage; None for every tenant (an admin).
        now_ns: the time stamped on created/updated devices and audit entries.
        actor: who imports (``cli:<user>``, ``token:<name>``), for the audit log.
        chunk: devices per transaction.
        progress: called with the number of rows handled since the last call.

    Returns:
        Counts of created and updated devices and the refused rows.

    Raises:
        ValueError: ``chunk`` is less than 1.
        WrongSite: a site changed tenant between ``site_tenants`` and the write (the chunk
            being written is rolled back; earlier chunks stay).
    """
    if chunk < 1:
        raise ValueError("chunk must be at least 1")
    writer = _ChunkWriter(registry, now_ns, actor, chunk, progress)
    rejected: list[RowProblem] = []
    for row in rows:
        problem = row.problem or _tenancy_problem(row, site_tenants, allowed_tenants, registry)
        if problem is not None:
            rejected.append(problem)
            writer.skip()
        elif row.device is not None:
            writer.add(row.device)
    writer.flush_all()
    return ImportReport(writer.created, writer.updated, tuple(rejected))


def _tenancy_problem(
    row: ParsedRow,
    site_tenants: Mapping[str, str],
    allowed_tenants: frozenset[str] | None,
    registry: SqlDeviceRegistry,
) -> RowProblem | None:
    device = row.device
    if device is None:
        return RowProblem(row.line, "no device and no problem (parser bug)")
    owner = site_tenants.get(device.site)
    if allowed_tenants is not None and device.tenant not in allowed_tenants:
        return RowProblem(row.line, f"tenant: you may not manage tenant {device.tenant!r}")
    # A scoped caller must not learn which sites other tenants have: theirs are "unknown".
    if owner is None or (allowed_tenants is not None and owner not in allowed_tenants):
        return RowProblem(row.line, f"site: unknown site {device.site!r}")
    if owner != device.tenant:
        return RowProblem(
            row.line, f"site: {device.site!r} is not a site of tenant {device.tenant!r}"
        )
    if allowed_tenants is not None:
        # An upsert would move the device into the caller's tenant: refuse to take it over.
        registered = registry.get(device.dev_eui)
        if registered is not None and registered.tenant not in allowed_tenants:
            return RowProblem(
                row.line, f"dev_eui: {device.dev_eui} is registered to another tenant"
            )
    return None


class _ChunkWriter:
    """Per-tenant buffers of valid devices, each written and audited when it holds a chunk."""

    def __init__(
        self,
        registry: SqlDeviceRegistry,
        now_ns: int,
        actor: str,
        chunk: int,
        progress: Callable[[int], None],
    ) -> None:
        self._registry = registry
        self._now_ns = now_ns
        self._actor = actor
        self._chunk = chunk
        self._progress = progress
        self._pending: dict[str, list[Device]] = {}
        self._unreported = 0
        self.created = 0
        self.updated = 0

    def add(self, device: Device) -> None:
        pending = self._pending.setdefault(device.tenant, [])
        pending.append(device)
        if len(pending) >= self._chunk:
            self._write(device.tenant)

    def skip(self) -> None:
        """Count a refused row as handled (reported with the next write)."""
        self._unreported += 1
        if self._unreported >= self._chunk:
            self._report()

    def flush_all(self) -> None:
        for tenant in list(self._pending):
            self._write(tenant)
        self._report()

    def _write(self, tenant: str) -> None:
        batch = self._pending.pop(tenant)
        if not batch:
            return
        with self._registry.transaction() as connection:
            result = self._registry.upsert(batch, self._now_ns, connection)
            record(
                connection,
                AuditEntry(
                    time_ns=self._now_ns,
                    actor=self._actor,
                    action="import",
                    entity="device",
                    entity_id=f"{batch[0].dev_eui}..{batch[-1].dev_eui}",
                    tenant=tenant,
                    detail={
                        "devices": len(batch),
                        "created": result.created,
                        "updated": result.updated,
                    },
                ),
            )
        self.created += result.created
        self.updated += result.updated
        self._unreported += len(batch)
        self._report()

    def _report(self) -> None:
        if self._unreported:
            self._progress(self._unreported)
            self._unreported = 0
