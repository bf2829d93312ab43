"""What a notification channel is told about an alert: the one value handed to notifications."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from lorahub.domain.tenancy import Language

Severity = Literal["info", "warning", "critical"]
"""How urgent an alert is; channels are routed by it."""

SEVERITIES: tuple[Severity, ...] = ("info", "warning", "critical")
"""Severities from least to most urgent."""

NoticeKind = Literal["fired", "renotified", "acknowledged", "resolved"]
"""What happened to the alert."""

AlertKind = Literal["threshold", "offline", "battery_low", "implausible"]
"""Which kind of rule raised the alert."""


def at_least(severity: Severity, minimum: Severity) -> bool:
    """Whether ``severity`` is ``minimum`` or more urgent."""
    return SEVERITIES.index(severity) >= SEVERITIES.index(minimum)


@dataclass(frozen=True, slots=True)
class AlertNotice:
    """One thing to tell a tenant's channels about one alert, with everything a message names.

    Names are the registry's display names (falling back to ids); ``value`` and ``threshold``
    are in the quantity's canonical unit (``unit``), absent for offline alerts.
    """

    tenant: str
    language: Language
    kind: NoticeKind
    alert_kind: AlertKind
    severity: Severity
    alert_id: int
    rule_id: str
    rule_name: str
    dev_eui: str
    device_name: str
    site_name: str | None
    quantity: str | None
    value: float | None
    threshold: float | None
    unit: str | None
    at_ns: int
    link: str
    """The device page: ``{web.public_url}/devices/{dev_eui}``."""
    comment: str | None = None
    """The acknowledging user's comment (``acknowledged`` only)."""
    actor: str | None = None
    """Who acknowledged (``acknowledged`` only)."""
    started_ns: int | None = None
    """When the alert fired (``resolved`` messages say how long it lasted); optional."""
