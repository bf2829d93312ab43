"""Send a test message to a channel now, and record it like any other delivery."""

from __future__ import annotations

import asyncio

from lorahub.domain.tenancy import Language
from lorahub.notify.channel import Channel, Delivery
from lorahub.notify.ledger import DeliveryLedger
from lorahub.notify.sender import Sender, SendOutcome
from lorahub.notify.templates import render_test


async def send_test(
    channel: Channel, language: Language, sender: Sender, ledger: DeliveryLedger, now_ns: int
) -> SendOutcome:
    """Send a test message to ``channel`` and record it as a ``test`` delivery.

    A success marks the channel healthy again (the way to confirm a repaired channel); a
    failure is recorded on the delivery (``failed``, no retries) and counts against the
    channel's health like any other.

    Args:
        channel: where to send.
        language: the tenant's language.
        sender: sends the message.
        ledger: records the delivery and the channel's health.
        now_ns: the time of the attempt.

    Returns:
        Whether it was delivered, and the sanitised error when not.
    """
    message = render_test(channel.name, language)
    outcome = await sender.send(channel.url, message, "info")
    delivery = Delivery(
        id=0,
        channel_id=channel.id,
        tenant=channel.tenant,
        kind="test",
        severity="info",
        title=message.title,
        body=message.body,
        status="pending",
        created_ns=now_ns,
        next_attempt_ns=None,  # never picked up by the worker
    )
    await asyncio.to_thread(_record, ledger, delivery, channel, outcome, now_ns)
    return outcome


def _record(
    ledger: DeliveryLedger,
    delivery: Delivery,
    channel: Channel,
    outcome: SendOutcome,
    now_ns: int,
) -> None:
    recorded = ledger.record_test(delivery)
    if outcome.ok:
        ledger.sent(recorded, channel, now_ns)
    else:
        ledger.failed(recorded, channel, outcome.error or "unknown error", None, now_ns)
