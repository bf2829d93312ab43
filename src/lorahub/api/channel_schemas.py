"""API models of notification channels and deliveries; a channel's URL is never answered whole."""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Annotated, ClassVar

from pydantic import AfterValidator, BaseModel, Field, JsonValue, SecretStr

from lorahub.alerts.notice import NoticeKind, Severity
from lorahub.api.schemas import ApiModel, Name, PatchModel, Slug, utc
from lorahub.domain.timezones import known_time_zone
from lorahub.notify.channel import (
    DEFAULT_TIMEZONE,
    NOTICE_KINDS,
    Channel,
    ChannelHealth,
    Delivery,
    DeliveryKind,
    DeliveryStatus,
)
from lorahub.notify.urls import is_valid_url, mask_url


def _apprise_url(url: SecretStr) -> SecretStr:
    if not is_valid_url(url.get_secret_value()):
        raise ValueError("not a notification URL apprise understands (see the README)")
    return url


def _kinds(kinds: list[NoticeKind]) -> list[NoticeKind]:
    return [kind for kind in NOTICE_KINDS if kind in kinds]


AppriseUrl = Annotated[
    SecretStr,
    Field(description="an apprise URL (mailtos://, json://, tgram://, ntfys://, …); a secret"),
    AfterValidator(_apprise_url),
]
Timezone = Annotated[str, AfterValidator(known_time_zone)]
Kinds = Annotated[list[NoticeKind], Field(min_length=1), AfterValidator(_kinds)]
DigestHour = Annotated[
    int, Field(ge=0, le=23, description="send a daily digest at this local hour instead")
]


class ChannelCreate(ApiModel):
    """A new notification channel of a tenant."""

    tenant: Slug
    name: Name
    url: AppriseUrl
    min_severity: Severity = "info"
    kinds: Kinds = Field(default_factory=lambda: list(NOTICE_KINDS))
    digest_hour: DigestHour | None = None
    timezone: Timezone = DEFAULT_TIMEZONE
    enabled: bool = True

    def to_channel(self) -> Channel:
        """The domain channel (id 0 until stored)."""
        return Channel(
            id=0,
            tenant=self.tenant,
            name=self.name,
            url=self.url.get_secret_value(),
            min_severity=self.min_severity,
            kinds=frozenset(self.kinds),
            digest_hour=self.digest_hour,
            timezone=self.timezone,
            enabled=self.enabled,
        )

    def audit_detail(self) -> dict[str, JsonValue]:
        """What the audit log keeps: the fields, with the URL masked."""
        return {**self.model_dump(mode="json"), "url": mask_url(self.url.get_secret_value())}


class ChannelUpdate(PatchModel):
    """Changes to a channel (not its tenant); ``digest_hour: null`` ends the digest."""

    required: ClassVar[frozenset[str]] = frozenset(
        {"name", "url", "min_severity", "kinds", "timezone", "enabled"}
    )
    name: Name | None = None
    url: AppriseUrl | None = None
    min_severity: Severity | None = None
    kinds: Kinds | None = None
    digest_hour: DigestHour | None = None
    timezone: Timezone | None = None
    enabled: bool | None = None

    def apply(self, channel: Channel) -> Channel:
        """``channel`` with these changes."""
        changes = self.changes()
        if self.url is not None:
            changes["url"] = self.url.get_secret_value()
        if self.kinds is not None:
            changes["kinds"] = frozenset(self.kinds)
        return dataclasses.replace(channel, **changes)  # type: ignore[arg-type]

    def audit_detail(self) -> dict[str, JsonValue]:
        """The changed fields, with the URL masked."""
        detail = self.model_dump(mode="json", exclude_unset=True)
        if self.url is not None:
            detail["url"] = mask_url(self.url.get_secret_value())
        return detail


class HealthPublic(BaseModel):
    """How a channel's deliveries have been going."""

    healthy: bool
    consecutive_failures: int
    last_error: str | None
    last_success: datetime | None
    last_failure: datetime | None

    @classmethod
    def of(cls, health: ChannelHealth) -> HealthPublic:
        """From the domain health."""
        return cls(
            healthy=health.healthy,
            consecutive_failures=health.consecutive_failures,
            last_error=health.last_error,
            last_success=None if health.last_success_ns is None else utc(health.last_success_ns),
            last_failure=None if health.last_failure_ns is None else utc(health.last_failure_ns),
        )


class ChannelPublic(BaseModel):
    """A channel as answered: the URL masked to scheme and host."""

    id: int
    tenant: str
    name: str
    url: str = Field(description="masked: scheme and host only")
    min_severity: Severity
    kinds: list[NoticeKind]
    digest_hour: int | None
    timezone: str
    enabled: bool
    health: HealthPublic

    @classmethod
    def of(cls, channel: Channel) -> ChannelPublic:
        """From the domain channel."""
        return cls(
            id=channel.id,
            tenant=channel.tenant,
            name=channel.name,
            url=mask_url(channel.url),
            min_severity=channel.min_severity,
            kinds=_kinds(list(channel.kinds)),
            digest_hour=channel.digest_hour,
            timezone=channel.timezone,
            enabled=channel.enabled,
            health=HealthPublic.of(channel.health),
        )


class ChannelTestResult(BaseModel):
    """What a test message did."""

    ok: bool
    error: str | None = Field(None, description="why it failed, without secrets")


class DeliveryPublic(BaseModel):
    """One message to one channel and what became of it."""

    id: int
    channel_id: int
    tenant: str
    kind: DeliveryKind
    severity: Severity
    alert_id: int | None
    title: str
    body: str
    status: DeliveryStatus
    attempts: int
    created: datetime
    next_attempt: datetime | None
    sent: datetime | None
    last_error: str | None

    @classmethod
    def of(cls, delivery: Delivery) -> DeliveryPublic:
        """From the domain delivery."""
        return cls(
            id=delivery.id,
            channel_id=delivery.channel_id,
            tenant=delivery.tenant,
            kind=delivery.kind,
            severity=delivery.severity,
            alert_id=delivery.alert_id,
            title=delivery.title,
            body=delivery.body,
            status=delivery.status,
            attempts=delivery.attempts,
            created=utc(delivery.created_ns),
            next_attempt=None
            if delivery.next_attempt_ns is None
            else utc(delivery.next_attempt_ns),
            sent=None if delivery.sent_ns is None else utc(delivery.sent_ns),
            last_error=delivery.last_error,
        )
