"""Two reads the SQL adapters lack yet: dead letters of a tenant's devices, one pending DevEUI."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from lorahub.adapters.sql_schema import dead_letters, devices, pending_devices
from lorahub.domain.dead_letter import DeadLetter, StoredDeadLetter
from lorahub.domain.ids import DevEui
from lorahub.errors import RejectReason


def dead_letters_of_tenants(
    engine: Engine, tenants: frozenset[str], reason: RejectReason | None, limit: int
) -> list[StoredDeadLetter]:
    """The newest dead letters whose DevEUI is a device of one of ``tenants``.

    Args:
        engine: the registry database.
        tenants: the caller's tenants.
        reason: only this reason, when given.
        limit: at most this many.

    Returns:
        Newest first.
    """
    owned = select(devices.c.dev_eui).where(devices.c.tenant.in_(tenants))
    query = (
        select(dead_letters)
        .where(dead_letters.c.dev_eui.in_(owned))
        .order_by(dead_letters.c.id.desc())
        .limit(limit)
    )
    if reason is not None:
        query = query.where(dead_letters.c.reason == reason.value)
    with engine.connect() as connection:
        rows = connection.execute(query).mappings().all()
    return [
        StoredDeadLetter(
            id=row["id"],
            letter=DeadLetter(
                received_ns=row["received_ns"],
                topic=row["topic"],
                payload=bytes(row["payload"]),
                reason=RejectReason(row["reason"]),
                error=row["error"],
                dev_eui=DevEui(row["dev_eui"]),
            ),
        )
        for row in rows
    ]


def is_pending(connection: Connection, dev_eui: DevEui) -> bool:
    """Whether ``dev_eui`` is on the pending list (read in the caller's transaction)."""
    query = select(pending_devices.c.dev_eui).where(pending_devices.c.dev_eui == dev_eui)
    return connection.execute(query).first() is not None
