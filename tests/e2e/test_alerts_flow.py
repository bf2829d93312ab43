"""Alerts end to end: MQTT uplinks → rule → real e-mail (aiosmtpd) and webhook → acknowledge.

The service runs in-process against the real Mosquitto and InfluxDB; a third channel points at
a closed port and must be marked unhealthy, with the tenant's other channels told.
"""

from __future__ import annotations

import asyncio
import time

from typer.testing import CliRunner

from lorahub.adapters.alerts_sql import SqlAlertStore
from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.rules_sql import SqlRuleRepository
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.alerts.rules import ThresholdRule
from lorahub.cli.app import app
from lorahub.daemons import InfluxDB, free_port
from lorahub.domain.device import Device
from lorahub.domain.ids import DevEui, ModelId
from lorahub.notify.channel import Channel
from lorahub.settings import load_settings
from lorahub.simulation.envelopes import RadioSample, uplink_message
from tests.e2e.conftest import StartIngest
from tests.e2e.harness import Publisher, async_wait_for
from tests.notify.receivers import SmtpServer, WebhookServer

ROOM = Device(
    DevEui("a81758fffe0c4e21"),
    "CO2 Besprechung",
    ModelId("elsys/ers-co2"),
    "altdorf",
    "altdorf-meeting",
)
SETTINGS = """
[alerts]
evaluate_every_s = 0.05
tick_s = 0.2
rules_refresh_s = 0.2

[notifications]
poll_interval_s = 0.1
backoff_base_s = 0.2
backoff_max_s = 0.4
max_attempts = 3
unhealthy_after = 2
"""


def co2(ppm: int, f_cnt: int) -> tuple[str, bytes]:
    """An ERS CO2 uplink carrying ``ppm`` (Elsys TLV type 0x06, two bytes)."""
    payload = bytes.fromhex(f"06{ppm:04x}")
    radio = RadioSample(rssi=-90, snr=7.5, frequency=868_100_000, spreading_factor=7)
    return uplink_message("chirpstack-v4", ROOM, 5, f_cnt, payload, time.time_ns(), radio)


async def test_threshold_alert_reaches_mail_and_webhook_and_is_acknowledged(
    start_ingest: StartIngest,
    publisher: Publisher,
    smtp: SmtpServer,
    webhook: WebhookServer,
    running_influxdb: InfluxDB,
    influx_database: str,
) -> None:
    ingest = await start_ingest("alerts", [ROOM], extra=SETTINGS)
    engine = create_database_engine(load_settings(ingest.config).registry.url)
    rule = ThresholdRule(
        id="co2-meeting",
        name="CO2 Besprechung",
        quantity="co2",
        above=1400,
        clear=1200,
        severity="critical",
    )
    SqlRuleRepository(engine).add("altdorf", rule, time.time_ns())
    channels = SqlChannelRepository(engine)
    now = time.time_ns()
    channels.add(Channel(0, "altdorf", "mail", smtp.url(), min_severity="warning"), now)
    channels.add(Channel(0, "altdorf", "hook", webhook.url()), now)
    broken = channels.add(Channel(0, "altdorf", "broken", f"json://127.0.0.1:{free_port()}/x"), now)
    await asyncio.sleep(0.6)  # the service reloads rules every 0.2 s

    publisher.publish(*co2(1500, 1))
    await async_wait_for(lambda: len(smtp.mailbox.messages) >= 1, 10, "the alert e-mail")
    mail = smtp.mailbox.messages[0]
    assert "CO2 Besprechung" in mail["Subject"]
    body = mail.get_body(preferencelist=("plain",))
    assert body is not None and "1.500" in body.get_content()  # German number format
    await async_wait_for(lambda: len(webhook.bodies) >= 1, 10, "the alert webhook")
    assert "1.400" in webhook.bodies[0]["message"]

    publisher.publish(*co2(1300, 2))  # above the clear level: still firing, nothing new
    await asyncio.sleep(1.0)
    assert [body["title"] for body in webhook.bodies if "Grenzwert" in body["title"]] == [
        "[Kritisch] Grenzwert: CO2 Besprechung - CO2 Besprechung"
    ]

    # acknowledge from the command line: the channels are told, re-notification stops
    [alert] = SqlAlertStore(engine).find(None, states=["firing"])
    result = CliRunner().invoke(
        app, ["--config", str(ingest.config), "alerts", "ack", str(alert.id), "--comment", "Lüften"]
    )
    assert result.exit_code == 0, result.output
    await async_wait_for(
        lambda: any("Lüften" in body["message"] for body in webhook.bodies), 10, "the ack notice"
    )

    publisher.publish(*co2(1100, 3))
    store = SqlAlertStore(engine)
    await async_wait_for(lambda: store.find(None)[0].state == "resolved", 10, "the resolution")
    await async_wait_for(
        lambda: any("Behoben" in str(mail["Subject"]) for mail in smtp.mailbox.messages),
        10,
        "the resolved e-mail",
    )

    # the broken channel failed twice: unhealthy, and the others were told
    def broken_unhealthy() -> bool:
        channel = channels.get(broken.id, None)
        return channel is not None and not channel.health.healthy

    await async_wait_for(broken_unhealthy, 15, "broken marked unhealthy")
    await async_wait_for(
        lambda: any("broken" in body["message"] for body in webhook.bodies), 10, "told of it"
    )
    await async_wait_for(
        lambda: len(running_influxdb.query(influx_database, 'SELECT * FROM "alerts"')) >= 3,
        10,
        "alerts points",
    )
    points = running_influxdb.query(influx_database, 'SELECT * FROM "alerts" ORDER BY time')
    assert [p["state"] for p in points] == ["firing", "acknowledged", "resolved"]
    assert {p["rule"] for p in points} == {"co2-meeting"}
