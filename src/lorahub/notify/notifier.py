"""Route an alert notice to its tenant's channels, durably: one queued delivery per channel."""

from __future__ import annotations

import time
from collections.abc import Callable

import structlog
from sqlalchemy import Connection, Engine

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.adapters.sql_transaction import transaction
from lorahub.alerts.notice import AlertNotice
from lorahub.notify.channel import Channel, Delivery
from lorahub.notify.templates import render_notice

log = structlog.get_logger("lorahub.notify")

Clock = Callable[[], int]
"""Now, in nanoseconds since the epoch."""


class Notifier:
    """Queue notices for delivery; the ``DeliveryWorker`` sends them.

    Synchronous (SQLAlchemy): async callers use ``await asyncio.to_thread(notifier.notify, n)``.

    Args:
        engine: the registry database (migrated).
        clock: the time source.
    """

    def __init__(self, engine: Engine, clock: Clock = time.time_ns) -> None:
        self._engine = engine
        self._channels = SqlChannelRepository(engine)
        self._outbox = SqlDeliveryOutbox(engine)
        self._clock = clock

    def notify(self, notice: AlertNotice, connection: Connection | None = None) -> int:
        """Queue ``notice`` for each enabled channel of its tenant taking its severity and kind.

        The deliveries are committed in one transaction before this returns, or in the caller's
        ``connection`` (so an alert and its notifications commit together); digest channels
        hold theirs for the daily summary.

        Returns:
            How many channels the notice was queued for (0 is logged: nobody will be told).
        """
        now = self._clock()
        channels = [c for c in self._channels.channels(None, notice.tenant) if c.accepts(notice)]
        deliveries = [delivery_of(channel, notice, now) for channel in channels]
        with transaction(self._engine, connection) as joined:
            self._outbox.enqueue(deliveries, joined)
        if not deliveries:
            log.info(
                "no channel takes this notice",
                tenant=notice.tenant,
                alert_id=notice.alert_id,
                kind=notice.kind,
                severity=notice.severity,
            )
        return len(deliveries)


def delivery_of(channel: Channel, notice: AlertNotice, now_ns: int) -> Delivery:
    """The delivery of ``notice`` to ``channel``: pending now, or held for its digest."""
    message = render_notice(notice, channel.timezone)
    held = channel.digest_hour is not None
    return Delivery(
        id=0,
        channel_id=channel.id,
        tenant=channel.tenant,
        kind="alert",
        severity=notice.severity,
        title=message.title,
        body=message.body,
        status="held" if held else "pending",
        created_ns=now_ns,
        next_attempt_ns=None if held else now_ns,
        alert_id=notice.alert_id,
    )
