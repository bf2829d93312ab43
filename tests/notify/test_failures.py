"""Failing channels: backoff, unhealthy after N, the others told, recovery, restarts."""

from __future__ import annotations

import logging

import pytest
from prometheus_client import CollectorRegistry
from sqlalchemy import Engine
from structlog.testing import capture_logs

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.daemons import free_port
from lorahub.metrics import Metrics
from lorahub.notify.channel import Channel
from lorahub.notify.notifier import Notifier
from tests.notify.conftest import A
from tests.notify.helpers import Clock, notice, worker
from tests.notify.receivers import WebhookServer

SECRET = "Geheim-4711"  # noqa: S105 - a made-up secret the tests look for


def _count(registry: CollectorRegistry, name: str, scheme: str = "json") -> float:
    return registry.get_sample_value(name, {"scheme": scheme}) or 0.0


async def test_a_failing_channel_is_retried_marked_unhealthy_and_recovers(
    engine: Engine, channels: SqlChannelRepository, webhook: WebhookServer
) -> None:
    clock, metrics = Clock(), Metrics()
    failing = WebhookServer()
    failing.status = 500
    failing.start()
    try:
        broken = channels.add(Channel(0, A, "Broken", failing.url(auth=f"bot:{SECRET}@")), 0)
        good = channels.add(Channel(0, A, "Good", webhook.url()), 0)
        run = worker(engine, clock, metrics)
        Notifier(engine, clock).notify(notice())
        outbox = SqlDeliveryOutbox(engine)

        await run.run_once()  # first attempt fails, the good channel gets the alert
        assert len(failing.bodies) == 1 and len(webhook.bodies) == 1
        [pending] = outbox.deliveries(None, broken.id)
        assert (pending.status, pending.attempts) == ("pending", 1)
        assert pending.next_attempt_ns == clock.now + 10 * 10**9  # backoff_base_s
        assert await run.run_once() == 0  # not due yet

        clock.advance(10)
        await run.run_once()  # second failure: unhealthy (unhealthy_after = 2)
        state = channels.get(broken.id, None)
        assert state is not None and not state.health.healthy
        assert state.health.consecutive_failures == 2
        assert state.health.last_error is not None and "500" in state.health.last_error
        assert outbox.deliveries(None, broken.id)[0].next_attempt_ns == clock.now + 20 * 10**9

        await run.run_once()  # the good channel is told, in the tenant's language (German)
        warning = webhook.bodies[-1]
        assert warning["title"] == "Benachrichtigungskanal gestört: Broken"
        assert "json://127.0.0.1" in warning["message"] and SECRET not in warning["message"]
        assert _count(metrics.registry, "lorahub_notification_channels_marked_unhealthy_total") == 1

        failing.status = 200  # repaired: the next retry goes through and heals the channel
        clock.advance(20)
        await run.run_once()
        healed = channels.get(broken.id, None)
        assert healed is not None and healed.health.healthy
        assert healed.health.consecutive_failures == 0
        assert outbox.deliveries(None, broken.id)[0].status == "sent"
        assert _count(metrics.registry, "lorahub_notifications_sent_total") == 3
        assert _count(metrics.registry, "lorahub_notification_failures_total") == 2
        assert good.health.healthy
    finally:
        failing.stop()


async def test_after_the_last_attempt_the_delivery_is_failed_and_kept(
    engine: Engine, channels: SqlChannelRepository
) -> None:
    clock, metrics = Clock(), Metrics()
    refused = f"json://127.0.0.1:{free_port()}/hook"  # nothing listens there
    channel = channels.add(Channel(0, A, "Refused", refused), 0)
    Notifier(engine, clock).notify(notice())
    run = worker(engine, clock, metrics)
    for _ in range(3):  # max_attempts
        await run.run_once()
        clock.advance(60)
    [delivery] = SqlDeliveryOutbox(engine).deliveries(None, channel.id)
    assert (delivery.status, delivery.attempts, delivery.next_attempt_ns) == ("failed", 3, None)
    assert delivery.last_error is not None and "Connection error" in delivery.last_error
    assert await run.run_once() == 0
    assert _count(metrics.registry, "lorahub_notifications_given_up_total") == 1
    assert _count(metrics.registry, "lorahub_notification_failures_total") == 3


async def test_retries_survive_a_worker_restart(
    engine: Engine, channels: SqlChannelRepository, webhook: WebhookServer
) -> None:
    clock = Clock()
    webhook.status = 503
    channel = channels.add(Channel(0, A, "Hook", webhook.url()), 0)
    Notifier(engine, clock).notify(notice())
    await worker(engine, clock).run_once()
    url = str(engine.url)
    engine.dispose()  # the service stops

    webhook.status = 200
    clock.advance(10)
    restarted = create_database_engine(url)
    try:
        assert await worker(restarted, clock).run_once() == 1
        [delivery] = SqlDeliveryOutbox(restarted).deliveries(None, channel.id)
        assert (delivery.status, delivery.attempts) == ("sent", 2)
        assert len(webhook.bodies) == 2
    finally:
        restarted.dispose()


async def test_secrets_never_reach_logs_or_stored_errors(
    engine: Engine,
    channels: SqlChannelRepository,
    webhook: WebhookServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    clock = Clock()
    caplog.set_level(logging.WARNING)
    webhook.status = 500
    url = webhook.url(path=f"hook-{SECRET}", auth=f"bot:{SECRET}@")
    channel = channels.add(Channel(0, A, "Hook", url), 0)
    unreachable = f"tgram://123456789:{SECRET}/42?cto=1"
    channels.add(Channel(0, A, "Telegram", unreachable), 0)
    Notifier(engine, clock).notify(notice())
    with capture_logs() as events:
        run = worker(engine, clock)
        for _ in range(2):
            await run.run_once()
            clock.advance(60)
    assert any(event["event"] == "notification failed" for event in events)
    assert SECRET not in repr(events)
    assert SECRET not in caplog.text
    for delivery in SqlDeliveryOutbox(engine).deliveries(None):
        assert SECRET not in f"{delivery.last_error} {delivery.title} {delivery.body}"
        assert delivery.kind == "system" or delivery.last_error is not None
    stored = channels.get(channel.id, None)
    assert stored is not None and stored.url == url  # kept intact for sending
