"""A gmqtt client that acknowledges QoS 1 messages per durable batch, without a task per message.

gmqtt with ``optimistic_acknowledgement=False`` runs ``on_message`` as a task per message and
sends each PUBACK from that task's done callback: a coroutine, a task, a future callback and a
socket write per message, about a fifth of the service's CPU at high rates. This client hands
each QoS 1 PUBLISH to a synchronous handler that returns the future of the batch holding the
message; the message ids of one batch are remembered in receipt order under that future, and
when it resolves (the batch is durable) their PUBACKs leave in one socket write. Batches resolve
one at a time in receipt order, so acknowledgements keep the broker's order.

It replaces gmqtt's QoS 1 hook (``MqttPackageHandler._handle_qos_1_publish_packet``) on the
client's own package handler; the hook is checked at import against the installed gmqtt, so an
incompatible upgrade fails at start, not silently. QoS 0 and 2 keep gmqtt's own path.
"""

from __future__ import annotations

import asyncio
import struct
from collections.abc import Callable
from typing import Any

from gmqtt import Client
from gmqtt.mqtt.handler import MqttPackageHandler

BatchHandler = Callable[[str, bytes], "asyncio.Future[None]"]
"""Takes one message (topic, payload) and returns the future of the batch that holds it; the
future resolves once the batch is durable (a failed future leaves the messages unacknowledged)."""

_HOOK = "_handle_qos_1_publish_packet"
if not callable(getattr(MqttPackageHandler, _HOOK, None)):  # pragma: no cover - gmqtt upgrade
    raise ImportError(f"gmqtt's package handler has no {_HOOK}; batch acknowledgement needs it")

_PUBACK = struct.Struct("!BBHBB")
"""MQTT 5 PUBACK: type 0x40, remaining length 4, packet id, reason code 0, no properties."""


def pubacks(mids: list[int]) -> bytes:
    """The PUBACK packets (MQTT 5, success) for ``mids``, in order, as one buffer."""
    pack = _PUBACK.pack
    return b"".join([pack(0x40, 4, mid, 0, 0) for mid in mids])


class BatchAckClient(Client):  # type: ignore[misc]  # gmqtt is untyped
    """gmqtt's client with QoS 1 messages acknowledged per batch (see the module docstring).

    Args:
        handler: called synchronously per QoS 1 message; returns its batch's future.
        *args: passed to :class:`gmqtt.Client`.
        **kwargs: passed to :class:`gmqtt.Client`.
    """

    def __init__(self, handler: BatchHandler, *args: Any, **kwargs: Any) -> None:  # noqa: ANN401
        super().__init__(*args, **kwargs)
        self._batch_handler = handler
        self._current: asyncio.Future[None] | None = None
        self._mids: list[int] = []
        self.acknowledged = 0
        """Messages acknowledged so far (a running total)."""
        setattr(self._package_handler, _HOOK, self._on_qos_1)

    def _on_qos_1(
        self,
        mid: int,
        packet: bytes,
        print_topic: str,
        properties: Any,  # noqa: ANN401
    ) -> None:
        batch = self._batch_handler(print_topic, packet)
        if batch is not self._current:
            self._current = batch
            self._mids = mids = [mid]
            batch.add_done_callback(lambda done: self._release(done, mids))
        else:
            self._mids.append(mid)

    def _release(self, batch: asyncio.Future[None], mids: list[int]) -> None:
        if batch is self._current:
            self._current = None  # a later message must not join a batch already released
        if batch.cancelled() or batch.exception() is not None:
            return  # not durable: the broker redelivers these messages
        connection = self._connection
        if connection is None or connection.is_closing():
            return  # the persistent session redelivers them on the next connection
        connection.send_package(pubacks(mids))
        self.acknowledged += len(mids)
