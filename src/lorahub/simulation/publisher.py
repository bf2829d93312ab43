"""Publish simulated uplinks to an MQTT broker at a steady rate, QoS 1, waiting for PUBACKs."""

from __future__ import annotations

import asyncio
import contextlib
import time
import uuid
from collections.abc import Callable, Iterator

from gmqtt import Client
from gmqtt.storage import PersistentStorage

from lorahub.settings import MqttSettings

CHUNK = 500


async def publish(
    settings: MqttSettings,
    messages: Iterator[tuple[str, bytes]],
    *,
    rate: float | None,
    count: int | None,
    stop: asyncio.Event,
    on_progress: Callable[[int], None] = lambda _sent: None,
) -> int:
    """Publish ``messages`` until ``count`` are sent or ``stop`` is set.

    Args:
        settings: broker address and credentials (the subscription settings are ignored).
        messages: (topic, body) pairs.
        rate: messages per second, or None for as fast as the broker acknowledges.
        count: how many to send, or None for no limit.
        stop: set to end early.
        on_progress: called with the number sent so far after each chunk.

    Returns:
        How many messages were published and acknowledged by the broker.
    """
    storage = PersistentStorage()
    client = Client(f"lorahub-sim-{uuid.uuid4().hex[:8]}", persistent_storage=storage)
    if settings.username is not None:
        password = settings.password.get_secret_value() if settings.password else None
        client.set_auth_credentials(settings.username, password)
    await client.connect(settings.host, settings.port, ssl=settings.tls)
    sent = 0
    started = time.monotonic()
    try:
        while not stop.is_set() and (count is None or sent < count):
            chunk = CHUNK if count is None else min(CHUNK, count - sent)
            if rate is not None:
                chunk = max(1, min(chunk, int(rate / 10) or 1))
            for _ in range(chunk):
                topic, body = next(messages)
                client.publish(topic, body, qos=1)
            sent += chunk
            await storage.wait_empty()
            on_progress(sent)
            if rate is not None:
                ahead = sent / rate - (time.monotonic() - started)
                if ahead > 0:
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(stop.wait(), ahead)
    finally:
        await client.disconnect()
    return sent
