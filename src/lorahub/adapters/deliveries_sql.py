"""The notification outbox in SQL: deliveries queued, due, attempted, sent or failed."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection, Engine, RowMapping, insert, select, update

from lorahub.adapters.channels_sql import channel_of
from lorahub.adapters.sql_schema import notification_channels as channels
from lorahub.adapters.sql_schema import notification_deliveries as table
from lorahub.adapters.tenants_sql import Scope
from lorahub.notify.channel import Channel, Delivery, DeliveryStatus


class SqlDeliveryOutbox:
    """Queue deliveries and record what became of them; nothing is ever deleted here.

    A delivery goes away only with its channel.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def enqueue(self, deliveries: Sequence[Delivery], connection: Connection) -> None:
        """Insert ``deliveries`` (their ids are ignored) in the caller's transaction."""
        if deliveries:
            connection.execute(insert(table), [_values(delivery) for delivery in deliveries])

    def add(self, delivery: Delivery, connection: Connection) -> Delivery:
        """Insert one delivery and return it with the id it got."""
        key = connection.execute(insert(table).values(**_values(delivery))).inserted_primary_key
        assert key is not None  # noqa: S101 - an insert into a table with a primary key
        return dataclasses.replace(delivery, id=int(key[0]))

    def due(self, now_ns: int, limit: int) -> list[tuple[Delivery, Channel]]:
        """Pending deliveries of enabled channels whose next attempt is due, oldest first."""
        query = (
            select(table, *[column.label(f"c_{column.name}") for column in channels.c])
            .join(channels, channels.c.id == table.c.channel_id)
            .where(
                table.c.status == "pending",
                table.c.next_attempt_ns <= now_ns,
                channels.c.enabled.is_(True),
            )
            .order_by(table.c.next_attempt_ns, table.c.id)
            .limit(limit)
        )
        with self._engine.connect() as connection:
            rows = connection.execute(query).mappings().all()
        return [(delivery_of(row), channel_of(_channel_part(row))) for row in rows]

    def mark_sent(self, delivery: Delivery, now_ns: int, connection: Connection) -> None:
        """The delivery was sent at ``now_ns``."""
        connection.execute(
            update(table)
            .where(table.c.id == delivery.id)
            .values(
                status="sent", attempts=delivery.attempts + 1, sent_ns=now_ns, next_attempt_ns=None
            )
        )

    def mark_failed(
        self, delivery: Delivery, error: str, retry_at_ns: int | None, connection: Connection
    ) -> None:
        """An attempt failed: try again at ``retry_at_ns``, or (None) give up as ``failed``."""
        status: DeliveryStatus = "failed" if retry_at_ns is None else "pending"
        connection.execute(
            update(table)
            .where(table.c.id == delivery.id)
            .values(
                status=status,
                attempts=delivery.attempts + 1,
                last_error=error,
                next_attempt_ns=retry_at_ns,
            )
        )

    def held(self, channel_id: int) -> list[Delivery]:
        """The notices a digest channel holds for its next summary, oldest first."""
        query = (
            select(table)
            .where(table.c.channel_id == channel_id, table.c.status == "held")
            .order_by(table.c.id)
        )
        with self._engine.connect() as connection:
            return [delivery_of(row) for row in connection.execute(query).mappings()]

    def digest(self, summary: Delivery, items: Sequence[Delivery], connection: Connection) -> None:
        """Queue ``summary`` and mark the held ``items`` it summarises as ``digested``."""
        self.enqueue([summary], connection)
        connection.execute(
            update(table)
            .where(table.c.id.in_([item.id for item in items]), table.c.status == "held")
            .values(status="digested")
        )

    def deliveries(
        self,
        scope: Scope,
        channel_id: int | None = None,
        status: DeliveryStatus | None = None,
        limit: int = 100,
    ) -> list[Delivery]:
        """The newest deliveries in ``scope``, of one channel and status when given."""
        query = select(table).order_by(table.c.id.desc()).limit(limit)
        if scope is not None:
            query = query.where(table.c.tenant.in_(scope))
        if channel_id is not None:
            query = query.where(table.c.channel_id == channel_id)
        if status is not None:
            query = query.where(table.c.status == status)
        with self._engine.connect() as connection:
            return [delivery_of(row) for row in connection.execute(query).mappings()]


def delivery_of(row: RowMapping) -> Delivery:
    """The domain delivery of a ``notification_deliveries`` row."""
    return Delivery(
        id=row["id"],
        channel_id=row["channel_id"],
        tenant=row["tenant"],
        kind=row["kind"],
        severity=row["severity"],
        title=row["title"],
        body=row["body"],
        status=row["status"],
        created_ns=row["created_ns"],
        attempts=row["attempts"],
        next_attempt_ns=row["next_attempt_ns"],
        last_error=row["last_error"],
        sent_ns=row["sent_ns"],
        alert_id=row["alert_id"],
    )


def _channel_part(row: RowMapping) -> dict[str, Any]:
    return {name.removeprefix("c_"): value for name, value in row.items() if name.startswith("c_")}


def _values(delivery: Delivery) -> dict[str, object]:
    return {
        "channel_id": delivery.channel_id,
        "tenant": delivery.tenant,
        "kind": delivery.kind,
        "severity": delivery.severity,
        "alert_id": delivery.alert_id,
        "title": delivery.title,
        "body": delivery.body,
        "status": delivery.status,
        "attempts": delivery.attempts,
        "next_attempt_ns": delivery.next_attempt_ns,
        "last_error": delivery.last_error,
        "created_ns": delivery.created_ns,
        "sent_ns": delivery.sent_ns,
    }
