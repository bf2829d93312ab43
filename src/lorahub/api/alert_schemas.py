"""API models of alerts and their history (rules are sent and returned as ``alerts.rules.Rule``)."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from lorahub.adapters.alerts_sql import AlertRecord, HistoryEntry
from lorahub.alerts.notice import AlertKind, Severity


def _seconds(ns: int | None) -> float | None:
    return None if ns is None else ns / 1e9


class AlertPublic(BaseModel):
    """One alert; times are Unix seconds."""

    id: int
    tenant: str
    rule: str
    kind: AlertKind
    dev_eui: str
    site: str | None
    severity: Severity
    state: Literal["firing", "acknowledged", "resolved"]
    quantity: str | None
    value: float | None
    threshold: float | None
    started: float
    acknowledged: float | None
    acknowledged_by: str | None
    ack_comment: str | None
    resolved: float | None

    @classmethod
    def of(cls, record: AlertRecord) -> AlertPublic:
        """From the stored record."""
        return cls(
            id=record.id,
            tenant=record.tenant,
            rule=record.rule,
            kind=record.kind,
            dev_eui=record.dev_eui,
            site=record.site,
            severity=record.severity,
            state=record.state,
            quantity=record.quantity,
            value=record.value,
            threshold=record.threshold,
            started=record.started_ns / 1e9,
            acknowledged=_seconds(record.acknowledged_ns),
            acknowledged_by=record.acknowledged_by,
            ack_comment=record.ack_comment,
            resolved=_seconds(record.resolved_ns),
        )


class HistoryPublic(BaseModel):
    """One step of an alert's history."""

    at: float
    kind: Literal["fired", "acknowledged", "renotified", "resolved"]
    value: float | None
    actor: str | None
    comment: str | None

    @classmethod
    def of(cls, entry: HistoryEntry) -> HistoryPublic:
        """From the stored entry."""
        return cls(
            at=entry.at_ns / 1e9,
            kind=entry.kind,
            value=entry.value,
            actor=entry.actor,
            comment=entry.comment,
        )


class AlertDetail(AlertPublic):
    """An alert with its history."""

    history: list[HistoryPublic]


class Acknowledgement(BaseModel):
    """Acknowledging a firing alert."""

    model_config = ConfigDict(extra="forbid")

    comment: str | None = Field(None, max_length=2000)
