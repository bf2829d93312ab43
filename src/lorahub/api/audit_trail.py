"""Audit entries for changes made through the API (the actor is the token's name)."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from pydantic import JsonValue
from sqlalchemy import Connection

from lorahub.adapters.audit_sql import AuditEntry, record
from lorahub.api.services import ApiServices
from lorahub.domain.tenancy import Principal


def audit_entry(
    services: ApiServices,
    principal: Principal,
    action: str,
    entity: tuple[str, str],
    tenant: str | None,
    detail: dict[str, JsonValue] | None = None,
) -> AuditEntry:
    """Describe one change.

    Args:
        services: for the clock.
        principal: who made the change.
        action: ``create``, ``update``, ``delete``, ``import`` or ``claim``.
        entity: kind and id of what changed (``("device", "70b3…")``).
        tenant: the tenant it belongs to, which decides who may read the entry.
        detail: what was sent or changed, as JSON.

    Returns:
        The entry, to ``record`` in the change's transaction or ``add`` on its own.
    """
    kind, ident = entity
    return AuditEntry(
        time_ns=services.clock(),
        actor=principal.name,
        action=action,
        entity=kind,
        entity_id=ident,
        tenant=tenant,
        detail=dict(detail or {}),
    )


@contextmanager
def audited(
    services: ApiServices,
    principal: Principal,
    action: str,
    entity: tuple[str, str],
    tenant: str | None,
    detail: dict[str, JsonValue] | None = None,
) -> Iterator[Connection]:
    """A transaction for one change; its audit entry is recorded in it when the change succeeds.

    An exception inside the block (a conflict, a 404) rolls back the change, and nothing is
    recorded.
    """
    with services.engine.begin() as connection:
        yield connection
        record(connection, audit_entry(services, principal, action, entity, tenant, detail))
