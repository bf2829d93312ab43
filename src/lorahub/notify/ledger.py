"""Record what a send attempt did: to the delivery, the channel's health and the metrics.

When a channel turns unhealthy, the tenant's other healthy channels are told in the same
transaction, so the warning is as durable as the failure it reports.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.metrics import Metrics
from lorahub.notify.channel import Channel, ChannelHealth, Delivery
from lorahub.notify.templates import render_unhealthy
from lorahub.notify.urls import mask_url, scheme_of


class DeliveryLedger:
    """Writes the outcome of each attempt; one transaction per outcome.

    Args:
        engine: the registry database.
        metrics: counters of sent and failed notifications (None: not counted, as in the API).
        unhealthy_after: failures in a row that make a channel unhealthy.
    """

    def __init__(self, engine: Engine, metrics: Metrics | None, unhealthy_after: int) -> None:
        self._engine = engine
        self._metrics = metrics
        self._unhealthy_after = unhealthy_after
        self._channels = SqlChannelRepository(engine)
        self._outbox = SqlDeliveryOutbox(engine)
        self._tenants = SqlTenantRepository(engine)

    @property
    def outbox(self) -> SqlDeliveryOutbox:
        """The outbox the ledger writes to."""
        return self._outbox

    @property
    def channels(self) -> SqlChannelRepository:
        """The channels the ledger keeps the health of."""
        return self._channels

    def record_test(self, delivery: Delivery) -> Delivery:
        """Store a test delivery before its outcome is recorded; returns it with its id."""
        with self._engine.begin() as connection:
            return self._outbox.add(delivery, connection)

    def sent(self, delivery: Delivery, channel: Channel, now_ns: int) -> None:
        """``delivery`` went out: mark it sent and ``channel`` healthy."""
        with self._engine.begin() as connection:
            self._outbox.mark_sent(delivery, now_ns, connection)
            self._channels.record_success(channel.id, now_ns, connection)
        if self._metrics is not None:
            self._metrics.notifications_sent.labels(scheme_of(channel.url)).inc()

    def failed(
        self, delivery: Delivery, channel: Channel, error: str, retry_at_ns: int | None, now_ns: int
    ) -> ChannelHealth:
        """An attempt failed: schedule the retry (or give up) and count it against ``channel``.

        Args:
            delivery: what was attempted.
            channel: where to.
            error: why it failed, already free of secrets.
            retry_at_ns: the next attempt, or None after the last one (the delivery is
                then ``failed``, and kept).
            now_ns: the time of the attempt.

        Returns:
            The channel's health after this failure.
        """
        scheme = scheme_of(channel.url)
        with self._engine.begin() as connection:
            self._outbox.mark_failed(delivery, error, retry_at_ns, connection)
            health, turned = self._channels.record_failure(
                channel.id, error, now_ns, self._unhealthy_after, connection
            )
            if turned:
                self._warn_others(channel, health, now_ns, connection)
        if self._metrics is not None:
            _count_failure(self._metrics, scheme, given_up=retry_at_ns is None, turned=turned)
        return health

    def _warn_others(
        self, channel: Channel, health: ChannelHealth, now_ns: int, connection: Connection
    ) -> None:
        """Queue a message about ``channel`` to every other enabled, healthy channel."""
        tenant = self._tenants.tenant(channel.tenant, None)
        language = tenant.language if tenant is not None else "de"
        message = render_unhealthy(
            channel.name,
            mask_url(channel.url),
            health.consecutive_failures,
            health.last_error or "?",
            language,
        )
        others = [
            other
            for other in self._channels.channels(None, channel.tenant)
            if other.id != channel.id and other.enabled and other.health.healthy
        ]
        self._outbox.enqueue(
            [
                Delivery(
                    id=0,
                    channel_id=other.id,
                    tenant=other.tenant,
                    kind="system",
                    severity="warning",
                    title=message.title,
                    body=message.body,
                    status="pending",
                    created_ns=now_ns,
                    next_attempt_ns=now_ns,
                )
                for other in others
            ],
            connection,
        )


def _count_failure(metrics: Metrics, scheme: str, *, given_up: bool, turned: bool) -> None:
    metrics.notifications_failed.labels(scheme).inc()
    if given_up:
        metrics.notifications_given_up.labels(scheme).inc()
    if turned:
        metrics.channels_unhealthy.labels(scheme).inc()
