"""Send one message to one apprise URL and say how it went, with secrets scrubbed."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

import apprise

from lorahub.alerts.notice import Severity
from lorahub.notify.channel import Message
from lorahub.notify.urls import is_valid_url, redact

_TYPES: dict[Severity, apprise.NotifyType] = {
    "info": apprise.NotifyType.INFO,
    "warning": apprise.NotifyType.WARNING,
    "critical": apprise.NotifyType.FAILURE,
}
_MAX_ERROR = 500


@dataclass(frozen=True, slots=True)
class SendOutcome:
    """Whether a send succeeded; ``error`` is the sanitised reason when it did not."""

    ok: bool
    error: str | None = None


class Sender(Protocol):
    """Sends a message to a channel URL (apprise in the service; tests use the same)."""

    async def send(self, url: str, message: Message, severity: Severity) -> SendOutcome:
        """Send ``message`` to ``url``; never raises for a delivery problem."""
        ...


class AppriseSender:
    """A ``Sender`` over apprise's asynchronous API, one URL per call.

    Args:
        timeout_s: the longest one send may take.
    """

    def __init__(self, timeout_s: float) -> None:
        self._timeout_s = timeout_s

    async def send(self, url: str, message: Message, severity: Severity) -> SendOutcome:
        """Send ``message`` to ``url``, ``severity`` as apprise's notification type.

        Returns:
            The outcome; a failure's error is apprise's own report with every secret part of
            ``url`` replaced by ``***``.
        """
        notifier = apprise.Apprise()
        if not is_valid_url(url) or not notifier.add(url):
            return SendOutcome(False, "not a notification URL apprise understands")
        try:
            result = await notifier.async_notify(
                body=message.body,
                title=message.title,
                notify_type=_TYPES[severity],
                timeout=self._timeout_s,
            )
        except Exception as exc:  # apprise plugins may raise; a failed send, not a crash
            return SendOutcome(False, _clean(f"{type(exc).__name__}: {exc}", url))
        if result:
            return SendOutcome(True)
        reports = [entry.message for entry in result.logs() if entry.level != "DEBUG"]
        reason = " ".join(reports) or f"apprise reported {result.status.name.lower()}"
        return SendOutcome(False, _clean(reason, url))


def _clean(text: str, url: str) -> str:
    return redact(text, url)[:_MAX_ERROR]
