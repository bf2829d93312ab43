"""Daily digests: at a digest channel's hour, its held notices become one queued summary."""

from __future__ import annotations

from sqlalchemy import Engine

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.alerts.notice import SEVERITIES
from lorahub.notify.channel import Channel, Delivery
from lorahub.notify.notifier import Clock
from lorahub.notify.schedule import next_digest_ns
from lorahub.notify.templates import DigestItem, render_digest


class DigestBuilder:
    """Schedules digest channels and queues their summaries when due (synchronous).

    Args:
        engine: the registry database.
        clock: the time source.
    """

    def __init__(self, engine: Engine, clock: Clock) -> None:
        self._engine = engine
        self._clock = clock
        self._channels = SqlChannelRepository(engine)
        self._outbox = SqlDeliveryOutbox(engine)
        self._tenants = SqlTenantRepository(engine)

    def build_due(self) -> int:
        """Schedule new digest channels; queue the summary of each channel that is due.

        A channel with nothing held sends nothing that day.

        Returns:
            How many summaries were queued.
        """
        now = self._clock()
        for channel in self._channels.unscheduled_digests():
            assert channel.digest_hour is not None  # noqa: S101 - selected for it
            self._channels.schedule_digest(
                channel.id, next_digest_ns(channel.digest_hour, channel.timezone, now)
            )
        queued = 0
        for channel in self._channels.digests_due(now):
            queued += self._summarise(channel, now)
        return queued

    def _summarise(self, channel: Channel, now_ns: int) -> int:
        assert channel.digest_hour is not None  # noqa: S101 - only digest channels come here
        following = next_digest_ns(channel.digest_hour, channel.timezone, now_ns)
        items = self._outbox.held(channel.id)
        with self._engine.begin() as connection:
            if items:
                self._outbox.digest(self._summary(channel, items, now_ns), items, connection)
            self._channels.schedule_digest(channel.id, following, connection)
        return 1 if items else 0

    def _summary(self, channel: Channel, items: list[Delivery], now_ns: int) -> Delivery:
        tenant = self._tenants.tenant(channel.tenant, None)
        language = tenant.language if tenant is not None else "de"
        message = render_digest(
            [DigestItem(item.created_ns, item.title) for item in items], language, channel.timezone
        )
        return Delivery(
            id=0,
            channel_id=channel.id,
            tenant=channel.tenant,
            kind="digest",
            severity=max((item.severity for item in items), key=SEVERITIES.index),
            title=message.title,
            body=message.body,
            status="pending",
            created_ns=now_ns,
            next_attempt_ns=now_ns,
        )
