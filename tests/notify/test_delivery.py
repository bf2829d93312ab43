"""Notices delivered through apprise to a real SMTP server and a real HTTP webhook receiver."""

from __future__ import annotations

from sqlalchemy import Engine

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.notify.channel import Channel
from lorahub.notify.notifier import Notifier
from tests.notify.conftest import A, B
from tests.notify.helpers import Clock, notice, worker
from tests.notify.receivers import SmtpServer, WebhookServer


def _add(channels: SqlChannelRepository, name: str, url: str, **fields: object) -> Channel:
    return channels.add(Channel(0, fields.pop("tenant", A), name, url, **fields), 0)  # type: ignore[arg-type]


async def test_an_email_reaches_a_real_smtp_server(
    engine: Engine, channels: SqlChannelRepository, smtp: SmtpServer
) -> None:
    clock = Clock()
    _add(channels, "Mail", smtp.url())
    assert Notifier(engine, clock).notify(notice()) == 1
    assert await worker(engine, clock).run_once() == 1
    [mail] = smtp.mailbox.messages
    assert mail["Subject"] == "[Kritisch] Grenzwert: CO2 zu hoch - Raum 1"
    assert mail["To"] == "ops@altdorf.example"
    body = mail.get_body(("plain",))
    assert body is not None
    text = body.get_content()
    assert "CO₂: 1.450,5 ppm (Schwelle 1.200 ppm)" in text and "Ort: Dorfhub" in text
    assert "https://hub.example/devices/a81758fffe0c4e21" in text
    [delivery] = SqlDeliveryOutbox(engine).deliveries(None)
    assert (delivery.status, delivery.attempts, delivery.sent_ns) == ("sent", 1, clock.now)


async def test_a_webhook_gets_a_json_body(
    engine: Engine, channels: SqlChannelRepository, webhook: WebhookServer
) -> None:
    clock = Clock()
    _add(channels, "Hook", webhook.url(), tenant=B)
    Notifier(engine, clock).notify(notice(tenant=B, language="en", severity="warning"))
    await worker(engine, clock).run_once()
    [body] = webhook.bodies
    assert body["title"] == "[Warning] Threshold: CO2 zu hoch - Raum 1"
    assert "CO₂: 1,450.5 ppm (threshold 1,200 ppm)" in body["message"]
    assert body["type"] == "warning"
    assert webhook.headers[0]["Content-Type"] == "application/json"


async def test_channels_are_routed_by_severity_and_kind(
    engine: Engine, channels: SqlChannelRepository, webhook: WebhookServer
) -> None:
    clock = Clock()
    _add(channels, "Critical", webhook.url("critical"), min_severity="critical")
    _add(channels, "All", webhook.url("all"))
    _add(channels, "Firing", webhook.url("firing"), kinds=frozenset({"fired", "renotified"}))
    _add(channels, "Off", webhook.url("off"), enabled=False)
    _add(channels, "Other tenant", webhook.url("other"), tenant=B)
    notifier = Notifier(engine, clock)
    assert notifier.notify(notice(severity="warning")) == 2
    assert notifier.notify(notice(severity="critical", kind="renotified")) == 3
    assert notifier.notify(notice(severity="critical", kind="resolved")) == 2
    assert notifier.notify(notice(tenant="nobody")) == 0
    await worker(engine, clock).run_once()
    warning, renotified, resolved = (
        ["/all", "/firing"],
        ["/critical", "/all", "/firing"],
        ["/critical", "/all"],
    )
    assert sorted(webhook.paths) == sorted([*warning, *renotified, *resolved])
