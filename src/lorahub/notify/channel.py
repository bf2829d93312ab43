"""A tenant's notification channel and its health, as the domain sees them (no I/O)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from lorahub.alerts.notice import AlertNotice, NoticeKind, Severity, at_least

NOTICE_KINDS: tuple[NoticeKind, ...] = ("fired", "renotified", "acknowledged", "resolved")
"""Every kind of notice, in the order an alert goes through them."""

DEFAULT_TIMEZONE = "Europe/Berlin"

DeliveryStatus = Literal["pending", "sent", "failed", "held", "digested"]
"""``pending``: to be sent (again); ``sent``; ``failed`` after the last attempt; ``held``: an item
waiting for a digest channel's daily summary; ``digested``: summarised in a digest."""

DeliveryKind = Literal["alert", "system", "digest", "test"]
"""What a delivery carries: an alert notice, a message about a channel's health, a daily
digest, or a test message."""


@dataclass(frozen=True, slots=True)
class ChannelHealth:
    """How a channel's recent deliveries went; times in ns since the epoch."""

    healthy: bool = True
    consecutive_failures: int = 0
    last_error: str | None = None
    """The last failure's message, with the channel's secrets removed."""
    last_success_ns: int | None = None
    last_failure_ns: int | None = None


@dataclass(frozen=True, slots=True)
class Channel:
    """Where a tenant is told about alerts: one apprise URL, routed by severity and kind.

    ``url`` is a secret (it holds passwords and tokens): it is stored, handed to apprise, and
    otherwise only ever shown masked (``notify.urls.mask_url``).
    """

    id: int
    tenant: str
    name: str
    url: str
    min_severity: Severity = "info"
    kinds: frozenset[NoticeKind] = frozenset(NOTICE_KINDS)
    digest_hour: int | None = None
    """Set: notices are held and summarised once a day at this local hour (0-23)."""
    timezone: str = DEFAULT_TIMEZONE
    """The IANA timezone of the digest hour and of times in messages."""
    enabled: bool = True
    health: ChannelHealth = field(default_factory=ChannelHealth)

    def accepts(self, notice: AlertNotice) -> bool:
        """Whether this channel is to be told ``notice``: its tenant, severity and kind."""
        return (
            self.enabled
            and notice.tenant == self.tenant
            and notice.kind in self.kinds
            and at_least(notice.severity, self.min_severity)
        )


@dataclass(frozen=True, slots=True)
class Message:
    """A rendered notification: a short title (also the e-mail subject) and a body."""

    title: str
    body: str


@dataclass(frozen=True, slots=True)
class Delivery:
    """One message to one channel and what became of it; times in ns since the epoch."""

    id: int
    channel_id: int
    tenant: str
    kind: DeliveryKind
    severity: Severity
    title: str
    body: str
    status: DeliveryStatus
    created_ns: int
    attempts: int = 0
    next_attempt_ns: int | None = None
    last_error: str | None = None
    sent_ns: int | None = None
    alert_id: int | None = None
