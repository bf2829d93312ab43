"""Build what the outside world is told of an alert: notices for channels, lines for InfluxDB."""

from __future__ import annotations

from dataclasses import dataclass

from lorahub.adapters.alerts_sql import AlertRecord, AlertState
from lorahub.adapters.line_protocol import line, series_key
from lorahub.alerts.context import AlertContext
from lorahub.alerts.notice import AlertNotice, NoticeKind
from lorahub.alerts.rules import Rule
from lorahub.domain.device import Device
from lorahub.domain.quantities import QUANTITIES

ALERTS = "alerts"
"""The InfluxDB measurement of alert state changes."""


@dataclass(frozen=True, slots=True)
class NoticeFacts:
    """The registry facts a notice names, looked up once per alert."""

    context: AlertContext
    public_url: str


def notice(
    facts: NoticeFacts,
    kind: NoticeKind,
    record: AlertRecord,
    rule: Rule | None,
    device: Device | None,
    at_ns: int,
    actor: str | None = None,
    comment: str | None = None,
) -> AlertNotice:
    """The notice of ``kind`` for ``record``; names fall back to ids when gone from the registry."""
    context = facts.context
    site = device.site if device is not None else record.site
    quantity = QUANTITIES.get(record.quantity) if record.quantity else None
    return AlertNotice(
        tenant=record.tenant,
        language=context.languages.get(record.tenant, "de"),
        kind=kind,
        alert_kind=record.kind,
        severity=record.severity,
        alert_id=record.id,
        rule_id=record.rule,
        rule_name=rule.name if rule is not None else record.rule,
        dev_eui=record.dev_eui,
        device_name=device.name if device is not None else record.dev_eui,
        site_name=context.site_names.get(site, site) if site else None,
        quantity=record.quantity,
        value=record.value,
        threshold=record.threshold,
        unit=quantity.unit if quantity is not None else None,
        at_ns=at_ns,
        link=f"{facts.public_url.rstrip('/')}/devices/{record.dev_eui}",
        comment=comment,
        actor=actor,
        started_ns=record.started_ns,
    )


def alert_line(
    record: AlertRecord,
    device: Device | None,
    state: AlertState,
    value: float | None,
    at_ns: int,
) -> str:
    """The ``alerts`` line of one state change.

    Tags tenant, site, dev_eui, device, rule and severity; fields state, value (when known) and
    alert_id.
    """
    tags = [
        ("tenant", record.tenant),
        ("site", record.site or ""),
        ("dev_eui", record.dev_eui),
        ("device", device.name if device is not None else ""),
        ("rule", record.rule),
        ("severity", record.severity),
    ]
    fields: list[tuple[str, float | int | bool | str]] = [("state", state)]
    if value is not None:
        fields.append(("value", float(value)))
    fields.append(("alert_id", record.id))
    return line(series_key(ALERTS, tags), fields, at_ns)
