"""The audit log in SQL: who changed what, when."""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Connection, Engine, insert, select

from lorahub.adapters.sql_schema import audit_log
from lorahub.adapters.tenants_sql import Scope


@dataclass(frozen=True, slots=True)
class AuditEntry:
    """One recorded change."""

    time_ns: int
    actor: str
    action: str
    entity: str
    entity_id: str
    tenant: str | None
    detail: dict[str, object] = field(default_factory=dict)
    id: int = 0


def record(connection: Connection, entry: AuditEntry) -> None:
    """Record ``entry`` in the caller's transaction, so a change and its record commit together."""
    connection.execute(
        insert(audit_log).values(
            time_ns=entry.time_ns,
            actor=entry.actor,
            action=entry.action,
            entity=entry.entity,
            entity_id=entry.entity_id,
            tenant=entry.tenant,
            detail=entry.detail,
        )
    )


class SqlAuditLog:
    """Write and read audit entries."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, entry: AuditEntry) -> None:
        """Record one entry in its own transaction."""
        with self._engine.begin() as connection:
            record(connection, entry)

    def entries(self, scope: Scope, limit: int = 100) -> list[AuditEntry]:
        """The newest entries in scope (admins also see entries without a tenant)."""
        query = select(audit_log).order_by(audit_log.c.id.desc()).limit(limit)
        if scope is not None:
            query = query.where(audit_log.c.tenant.in_(scope))
        with self._engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [
            AuditEntry(
                time_ns=row["time_ns"],
                actor=row["actor"],
                action=row["action"],
                entity=row["entity"],
                entity_id=row["entity_id"],
                tenant=row["tenant"],
                detail=dict(row["detail"] or {}),
                id=row["id"],
            )
            for row in rows
        ]
