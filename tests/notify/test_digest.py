"""Digest channels hold their notices and send one summary a day at their local hour."""

from __future__ import annotations

import asyncio
import dataclasses

from sqlalchemy import Engine

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.notify.channel import Channel
from lorahub.notify.notifier import Notifier
from tests.notify.conftest import A
from tests.notify.helpers import SETTINGS, Clock, notice, worker
from tests.notify.receivers import WebhookServer


async def test_a_digest_channel_sends_one_summary_at_its_hour(
    engine: Engine, channels: SqlChannelRepository, webhook: WebhookServer
) -> None:
    clock = Clock("2026-11-23T06:30:00+01:00")
    digest = channels.add(Channel(0, A, "Daily", webhook.url("daily"), digest_hour=7), 0)
    channels.add(Channel(0, A, "Now", webhook.url("now")), 0)
    run = worker(engine, clock)
    await run.run_once()  # schedules 07:00 Berlin
    notifier = Notifier(engine, clock)
    for alert_id, kind in ((1, "fired"), (1, "resolved"), (2, "fired")):
        notifier.notify(notice(alert_id=alert_id, kind=kind, severity="warning"))
    await run.run_once()
    assert webhook.paths == ["/now"] * 3  # the digest channel holds its three

    clock.set("2026-11-23T07:00:01+01:00")
    await run.run_once()
    assert webhook.paths[3:] == ["/daily"]
    summary = webhook.bodies[-1]
    assert summary["title"] == "Tageszusammenfassung: 3 Meldungen"
    assert summary["message"].count("Raum 1") == 3 and "Behoben:" in summary["message"]
    statuses = sorted(d.status for d in SqlDeliveryOutbox(engine).deliveries(None, digest.id))
    assert statuses == ["digested", "digested", "digested", "sent"]

    clock.set("2026-11-24T07:00:01+01:00")  # nothing held: no message the next day
    await run.run_once()
    assert webhook.paths[4:] == []


async def test_a_channel_leaving_digest_mode_sends_what_it_held(
    engine: Engine, channels: SqlChannelRepository, webhook: WebhookServer
) -> None:
    clock = Clock()
    digest = channels.add(Channel(0, A, "Daily", webhook.url(), digest_hour=7), 0)
    Notifier(engine, clock).notify(notice())
    channels.update(dataclasses.replace(digest, digest_hour=None), clock.now)
    await worker(engine, clock).run_once()
    assert len(webhook.bodies) == 1 and webhook.bodies[0]["title"].startswith("[Kritisch]")


async def test_the_worker_runs_until_stopped(
    engine: Engine, channels: SqlChannelRepository, webhook: WebhookServer
) -> None:
    channels.add(Channel(0, A, "Hook", webhook.url()), 0)
    stop = asyncio.Event()
    task = asyncio.create_task(worker(engine, Clock()).run(stop))
    Notifier(engine, Clock()).notify(notice())
    for _ in range(100):
        if webhook.bodies:
            break
        await asyncio.sleep(SETTINGS.poll_interval_s)
    stop.set()
    await asyncio.wait_for(task, 5)
    assert len(webhook.bodies) == 1
