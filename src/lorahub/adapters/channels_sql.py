"""Notification channels in SQL: CRUD through a tenant scope, and their health bookkeeping."""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from lorahub.adapters.sql_schema import notification_channels as table
from lorahub.adapters.sql_schema import notification_deliveries as deliveries
from lorahub.adapters.sql_transaction import transaction
from lorahub.adapters.tenants_sql import Conflict, Scope
from lorahub.notify.channel import NOTICE_KINDS, Channel, ChannelHealth


class SqlChannelRepository:
    """CRUD for channels; changes join the caller's ``connection`` when one is given."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def add(self, channel: Channel, now_ns: int, connection: Connection | None = None) -> Channel:
        """Create ``channel`` (its ``id`` is ignored) and return it with the id it got.

        Raises:
            Conflict: the tenant has a channel of that name, or the tenant does not exist.
        """
        values = {**_values(channel), "created_ns": now_ns, "updated_ns": now_ns}
        try:
            with transaction(self._engine, connection) as connection:
                result = connection.execute(insert(table).values(**values))
        except IntegrityError as exc:
            raise Conflict(
                f"tenant {channel.tenant!r} has a channel named {channel.name!r} or does not exist"
            ) from exc
        key = result.inserted_primary_key
        assert key is not None  # noqa: S101 - an insert into a table with a primary key
        return dataclasses.replace(channel, id=int(key[0]))

    def update(self, channel: Channel, now_ns: int, connection: Connection | None = None) -> bool:
        """Store the settings of ``channel`` (not its health); False when it is absent.

        A channel that no longer has a digest hour releases the notices it held, to be sent.

        Raises:
            Conflict: another channel of the tenant has that name.
        """
        values = {**_values(channel), "updated_ns": now_ns}
        for kept in ("healthy", "consecutive_failures", "last_error"):
            values.pop(kept)
        try:
            with transaction(self._engine, connection) as connection:
                result = connection.execute(
                    update(table).where(table.c.id == channel.id).values(**values)
                )
                if channel.digest_hour is None:  # no digest any more: send what it held now
                    connection.execute(
                        update(deliveries)
                        .where(deliveries.c.channel_id == channel.id, deliveries.c.status == "held")
                        .values(status="pending", next_attempt_ns=now_ns)
                    )
        except IntegrityError as exc:
            raise Conflict(
                f"tenant {channel.tenant!r} has a channel named {channel.name!r}"
            ) from exc
        return bool(result.rowcount)

    def remove(self, channel_id: int, connection: Connection | None = None) -> bool:
        """Delete a channel and its deliveries; False when it is absent."""
        with transaction(self._engine, connection) as connection:
            result = connection.execute(delete(table).where(table.c.id == channel_id))
        return bool(result.rowcount)

    def get(self, channel_id: int, scope: Scope) -> Channel | None:
        """One channel, or None when absent or outside ``scope``."""
        query = select(table).where(table.c.id == channel_id)
        if scope is not None:
            query = query.where(table.c.tenant.in_(scope))
        with self._engine.connect() as connection:
            row = connection.execute(query).mappings().first()
        return None if row is None else channel_of(row)

    def channels(self, scope: Scope, tenant: str | None = None) -> list[Channel]:
        """Channels in ``scope`` (of one ``tenant`` when given), by tenant and name."""
        query = select(table).order_by(table.c.tenant, table.c.name)
        if scope is not None:
            query = query.where(table.c.tenant.in_(scope))
        if tenant is not None:
            query = query.where(table.c.tenant == tenant)
        with self._engine.connect() as connection:
            return [channel_of(row) for row in connection.execute(query).mappings()]

    def record_success(self, channel_id: int, now_ns: int, connection: Connection) -> None:
        """A send worked: the channel is healthy again, its failure count starts over."""
        connection.execute(
            update(table)
            .where(table.c.id == channel_id)
            .values(healthy=True, consecutive_failures=0, last_success_ns=now_ns)
        )

    def record_failure(
        self, channel_id: int, error: str, now_ns: int, unhealthy_after: int, connection: Connection
    ) -> tuple[ChannelHealth, bool]:
        """A send failed: count it, and mark the channel unhealthy at ``unhealthy_after``.

        Returns:
            The channel's new health, and whether this failure made it unhealthy.
        """
        row = connection.execute(
            select(table.c.healthy, table.c.consecutive_failures).where(table.c.id == channel_id)
        ).one()
        failures = row.consecutive_failures + 1
        healthy = bool(row.healthy) and failures < unhealthy_after
        connection.execute(
            update(table)
            .where(table.c.id == channel_id)
            .values(
                healthy=healthy,
                consecutive_failures=failures,
                last_error=error,
                last_failure_ns=now_ns,
            )
        )
        health = ChannelHealth(healthy, failures, error, None, now_ns)
        return health, bool(row.healthy) and not healthy

    def schedule_digest(
        self, channel_id: int, next_ns: int | None, connection: Connection | None = None
    ) -> None:
        """Set when the channel's next daily digest is due (None: not a digest channel)."""
        with transaction(self._engine, connection) as connection:
            connection.execute(
                update(table).where(table.c.id == channel_id).values(next_digest_ns=next_ns)
            )

    def digests_due(self, now_ns: int) -> list[Channel]:
        """Enabled digest channels whose daily summary is due at ``now_ns``."""
        query = select(table).where(
            table.c.enabled.is_(True),
            table.c.digest_hour.is_not(None),
            table.c.next_digest_ns.is_not(None),
            table.c.next_digest_ns <= now_ns,
        )
        with self._engine.connect() as connection:
            return [channel_of(row) for row in connection.execute(query).mappings()]

    def unscheduled_digests(self) -> list[Channel]:
        """Digest channels without a next digest time (new, or just made digest channels)."""
        query = select(table).where(
            table.c.digest_hour.is_not(None), table.c.next_digest_ns.is_(None)
        )
        with self._engine.connect() as connection:
            return [channel_of(row) for row in connection.execute(query).mappings()]


def channel_of(row: Mapping[Any, Any]) -> Channel:
    """The domain channel of a ``notification_channels`` row."""
    kinds = frozenset(kind for kind in NOTICE_KINDS if kind in row["kinds"])
    return Channel(
        id=row["id"],
        tenant=row["tenant"],
        name=row["name"],
        url=row["url"],
        min_severity=row["min_severity"],
        kinds=kinds,
        digest_hour=row["digest_hour"],
        timezone=row["timezone"],
        enabled=row["enabled"],
        health=ChannelHealth(
            healthy=row["healthy"],
            consecutive_failures=row["consecutive_failures"],
            last_error=row["last_error"],
            last_success_ns=row["last_success_ns"],
            last_failure_ns=row["last_failure_ns"],
        ),
    )


def _values(channel: Channel) -> dict[str, object]:
    return {
        "tenant": channel.tenant,
        "name": channel.name,
        "url": channel.url,
        "min_severity": channel.min_severity,
        "kinds": [kind for kind in NOTICE_KINDS if kind in channel.kinds],
        "digest_hour": channel.digest_hour,
        "timezone": channel.timezone,
        "next_digest_ns": None,  # the worker schedules the next digest
        "enabled": channel.enabled,
        "healthy": channel.health.healthy,
        "consecutive_failures": channel.health.consecutive_failures,
        "last_error": channel.health.last_error,
    }
