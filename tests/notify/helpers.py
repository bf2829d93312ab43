"""Notices, a settable clock, and a worker wired like the service's, for the delivery tests."""

from __future__ import annotations

import dataclasses
from datetime import datetime

from sqlalchemy import Engine

from lorahub.alerts.notice import AlertNotice
from lorahub.metrics import Metrics
from lorahub.notify.sender import AppriseSender
from lorahub.notify.worker import DeliveryWorker
from lorahub.settings import NotificationSettings

SECOND = 10**9

SETTINGS = NotificationSettings(
    poll_interval_s=0.05,
    max_attempts=3,
    backoff_base_s=10.0,
    backoff_max_s=60.0,
    unhealthy_after=2,
    send_timeout_s=5.0,
)


class Clock:
    """Time that moves only when a test moves it (backoff without waiting)."""

    def __init__(self, start: str = "2026-11-23T12:00:00+01:00") -> None:
        self.now = int(datetime.fromisoformat(start).timestamp()) * SECOND

    def __call__(self) -> int:
        return self.now

    def advance(self, seconds: float) -> None:
        """Move on by ``seconds``."""
        self.now += int(seconds * SECOND)

    def set(self, moment: str) -> None:
        """Jump to an ISO time."""
        self.now = int(datetime.fromisoformat(moment).timestamp()) * SECOND


def notice(**changes: object) -> AlertNotice:
    """A critical CO2 threshold notice of tenant altdorf (German), with ``changes``."""
    base = AlertNotice(
        tenant="altdorf",
        language="de",
        kind="fired",
        alert_kind="threshold",
        severity="critical",
        alert_id=1,
        rule_id="co2-high",
        rule_name="CO2 zu hoch",
        dev_eui="a81758fffe0c4e21",
        device_name="Raum 1",
        site_name="Dorfhub",
        quantity="co2",
        value=1450.5,
        threshold=1200.0,
        unit="ppm",
        at_ns=1_795_467_840_000_000_000,
        link="https://hub.example/devices/a81758fffe0c4e21",
    )
    return dataclasses.replace(base, **changes)  # type: ignore[arg-type]


def worker(
    engine: Engine,
    clock: Clock,
    metrics: Metrics | None = None,
    settings: NotificationSettings = SETTINGS,
) -> DeliveryWorker:
    """A delivery worker over apprise, as the service builds it."""
    return DeliveryWorker(
        engine, AppriseSender(settings.send_timeout_s), settings, metrics or Metrics(), clock
    )
