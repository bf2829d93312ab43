"""The delivery worker: sends due deliveries, retries with backoff, builds daily digests.

Everything it needs to resume lives in the database (status, attempts, next attempt, next
digest), so a restart picks up exactly where the last run stopped.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections import defaultdict
from collections.abc import Sequence

import structlog
from sqlalchemy import Engine

from lorahub.metrics import Metrics
from lorahub.notify.channel import Channel, Delivery, Message
from lorahub.notify.digests import DigestBuilder
from lorahub.notify.ledger import DeliveryLedger
from lorahub.notify.notifier import Clock
from lorahub.notify.schedule import retry_delay_s
from lorahub.notify.sender import Sender
from lorahub.notify.urls import mask_url
from lorahub.settings import NotificationSettings

log = structlog.get_logger("lorahub.notify")

BATCH = 200
"""Deliveries taken per round; the rest wait for the next one."""


class DeliveryWorker:
    """Runs in the service's TaskGroup: ``tasks.create_task(worker.run(stop))``.

    Args:
        engine: the registry database (migrated).
        sender: sends one message (``AppriseSender(settings.send_timeout_s)``).
        settings: the ``[notifications]`` section.
        metrics: counters of sent and failed notifications.
        clock: the time source.
    """

    def __init__(
        self,
        engine: Engine,
        sender: Sender,
        settings: NotificationSettings,
        metrics: Metrics,
        clock: Clock = time.time_ns,
    ) -> None:
        self._sender = sender
        self._settings = settings
        self._clock = clock
        self._ledger = DeliveryLedger(engine, metrics, settings.unhealthy_after)
        self._digests = DigestBuilder(engine, clock)

    async def run(self, stop: asyncio.Event) -> None:
        """Send due deliveries every ``poll_interval_s`` until ``stop`` is set."""
        log.info("notification worker started")
        while not stop.is_set():
            try:
                await self.run_once()
            except Exception as exc:  # the database is away: keep going, nothing is lost
                log.error("notification round failed", error=repr(exc))
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self._settings.poll_interval_s)
        log.info("notification worker stopped")

    async def run_once(self) -> int:
        """One round: queue due digests, then send what is due, channels side by side.

        Returns:
            How many deliveries were attempted.
        """
        await asyncio.to_thread(self._digests.build_due)
        due = await asyncio.to_thread(self._ledger.outbox.due, self._clock(), BATCH)
        by_channel: dict[int, list[Delivery]] = defaultdict(list)
        channels: dict[int, Channel] = {}
        for delivery, channel in due:
            by_channel[channel.id].append(delivery)
            channels[channel.id] = channel
        async with asyncio.TaskGroup() as tasks:
            for channel_id, deliveries in by_channel.items():
                tasks.create_task(self._send_all(channels[channel_id], deliveries))
        return len(due)

    async def _send_all(self, channel: Channel, deliveries: Sequence[Delivery]) -> None:
        """Send one channel's deliveries in order; stop at its first failure this round."""
        for delivery in deliveries:
            if not await self._attempt(channel, delivery):
                return

    async def _attempt(self, channel: Channel, delivery: Delivery) -> bool:
        outcome = await self._sender.send(channel.url, _message(delivery), delivery.severity)
        now = self._clock()
        if outcome.ok:
            await asyncio.to_thread(self._ledger.sent, delivery, channel, now)
            log.debug("notification sent", channel=channel.id, delivery=delivery.id)
            return True
        attempts = delivery.attempts + 1
        retry_at = None
        if attempts < self._settings.max_attempts:
            delay = retry_delay_s(
                attempts, self._settings.backoff_base_s, self._settings.backoff_max_s
            )
            retry_at = now + int(delay * 1e9)
        error = outcome.error or "unknown error"
        health = await asyncio.to_thread(
            self._ledger.failed, delivery, channel, error, retry_at, now
        )
        if channel.health.healthy and not health.healthy:
            log.error(
                "notification channel unhealthy; the tenant's other channels are told",
                channel=channel.id,
                tenant=channel.tenant,
                url=mask_url(channel.url),
                failures=health.consecutive_failures,
            )
        log.warning(
            "notification failed" if retry_at is not None else "notification given up",
            channel=channel.id,
            url=mask_url(channel.url),
            delivery=delivery.id,
            attempts=attempts,
            error=error,
            channel_healthy=health.healthy,
        )
        return False


def _message(delivery: Delivery) -> Message:
    return Message(title=delivery.title, body=delivery.body)
