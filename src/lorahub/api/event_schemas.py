"""API models of things that happened: pending sightings, dead letters, audit entries."""

from __future__ import annotations

from datetime import datetime

from pydantic import BaseModel, JsonValue

from lorahub.adapters.audit_sql import AuditEntry
from lorahub.adapters.device_state_sql import PendingDevice
from lorahub.api.schemas import utc
from lorahub.domain.dead_letter import StoredDeadLetter
from lorahub.errors import RejectReason


class PendingPublic(BaseModel):
    """A DevEUI heard on the network but not registered."""

    dev_eui: str
    first_seen: datetime
    last_seen: datetime
    uplinks: int
    lns_name: str | None
    last_topic: str
    last_payload_hex: str

    @classmethod
    def of(cls, pending: PendingDevice) -> PendingPublic:
        """From the stored sighting."""
        return cls(
            dev_eui=pending.dev_eui,
            first_seen=utc(pending.first_seen_ns),
            last_seen=utc(pending.last_seen_ns),
            uplinks=pending.uplinks,
            lns_name=pending.lns_name,
            last_topic=pending.last_topic,
            last_payload_hex=pending.last_payload.hex(),
        )


class DeadLetterPublic(BaseModel):
    """A rejected message."""

    id: int
    received: datetime
    topic: str
    reason: RejectReason
    error: str
    dev_eui: str | None
    payload_hex: str

    @classmethod
    def of(cls, stored: StoredDeadLetter) -> DeadLetterPublic:
        """From the stored dead letter."""
        letter = stored.letter
        return cls(
            id=stored.id,
            received=utc(letter.received_ns),
            topic=letter.topic,
            reason=letter.reason,
            error=letter.error,
            dev_eui=letter.dev_eui,
            payload_hex=letter.payload.hex(),
        )


class AuditPublic(BaseModel):
    """One recorded change."""

    id: int
    time: datetime
    actor: str
    action: str
    entity: str
    entity_id: str
    tenant: str | None
    detail: dict[str, JsonValue]

    @classmethod
    def of(cls, entry: AuditEntry) -> AuditPublic:
        """From the stored entry."""
        return cls.model_validate(
            {
                "id": entry.id,
                "time": utc(entry.time_ns),
                "actor": entry.actor,
                "action": entry.action,
                "entity": entry.entity,
                "entity_id": entry.entity_id,
                "tenant": entry.tenant,
                "detail": entry.detail,
            }
        )
