"""The dead-letter store in SQL: keep rejected messages with their reason, list and count them."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine, func, insert, select

from lorahub.adapters.sql_schema import dead_letters, devices
from lorahub.domain.dead_letter import DeadLetter, StoredDeadLetter
from lorahub.domain.ids import DevEui
from lorahub.errors import RejectReason


class SqlDeadLetterStore:
    """Dead letters in the ``dead_letters`` table."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    def put_many(self, letters: Sequence[DeadLetter]) -> None:
        """Store ``letters`` in one committed transaction (durable before the broker is acked)."""
        if not letters:
            return
        with self._engine.begin() as connection:
            connection.execute(
                insert(dead_letters),
                [
                    {
                        "received_ns": letter.received_ns,
                        "topic": letter.topic,
                        "payload": letter.payload,
                        "reason": letter.reason.value,
                        "error": letter.error,
                        "dev_eui": letter.dev_eui,
                    }
                    for letter in letters
                ],
            )

    def list(
        self,
        reason: RejectReason | None = None,
        limit: int = 100,
        tenants: frozenset[str] | None = None,
    ) -> list[StoredDeadLetter]:
        """The newest dead letters first, optionally of one reason.

        With ``tenants``, only dead letters whose DevEUI is a device of one of them (a message
        of an unknown device belongs to no tenant).
        """
        query = select(dead_letters).order_by(dead_letters.c.id.desc()).limit(limit)
        if reason is not None:
            query = query.where(dead_letters.c.reason == reason.value)
        if tenants is not None:
            owned = select(devices.c.dev_eui).where(devices.c.tenant.in_(tenants))
            query = query.where(dead_letters.c.dev_eui.in_(owned))
        with self._engine.connect() as connection:
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
                    dev_eui=DevEui(row["dev_eui"]) if row["dev_eui"] else None,
                ),
            )
            for row in rows
        ]

    def counts(self) -> dict[RejectReason, int]:
        """How many dead letters there are of each reason."""
        query = select(dead_letters.c.reason, func.count()).group_by(dead_letters.c.reason)
        with self._engine.connect() as connection:
            return {RejectReason(reason): int(count) for reason, count in connection.execute(query)}
