"""Batch acknowledgement against a real Mosquitto: PUBACKs leave only when the batch is durable."""

from __future__ import annotations

import asyncio
import uuid

from lorahub.adapters.mqtt_batch_ack import pubacks
from lorahub.adapters.mqtt_source import MqttSource
from lorahub.daemons import Mosquitto
from lorahub.metrics import Metrics
from lorahub.settings import MqttSettings
from lorahub.simulation.publisher import publish


class Batches:
    """A stand-in for the pipeline's ``submit``: ``size`` messages per batch future."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.received: list[bytes] = []
        self.futures: list[asyncio.Future[None]] = []
        self.arrived = asyncio.Event()

    def submit(self, topic: str, payload: bytes) -> asyncio.Future[None]:
        if len(self.received) % self.size == 0:
            self.futures.append(asyncio.get_running_loop().create_future())
        self.received.append(payload)
        self.arrived.set()
        return self.futures[-1]

    async def wait_for(self, count: int, timeout: float = 10) -> None:
        async with asyncio.timeout(timeout):
            while len(self.received) < count:
                self.arrived.clear()
                await self.arrived.wait()


def _settings(broker: Mosquitto, client_id: str) -> MqttSettings:
    return MqttSettings(port=broker.port, client_id=client_id, topics=["acktest/#"])


async def _publish(broker: Mosquitto, bodies: list[bytes]) -> None:
    messages = iter([("acktest/x", body) for body in bodies])
    settings = _settings(broker, "unused")
    await publish(settings, messages, rate=None, count=len(bodies), stop=asyncio.Event())


async def _session(broker: Mosquitto, client_id: str, batches: Batches) -> MqttSource:
    source = MqttSource(_settings(broker, client_id), batches.submit, Metrics())
    await source.__aenter__()
    await asyncio.sleep(0.3)  # subscribed
    return source


def test_pubacks_are_mqtt5_success_packets_in_order() -> None:
    assert pubacks([1, 258]) == b"\x40\x04\x00\x01\x00\x00" + b"\x40\x04\x01\x02\x00\x00"


async def test_only_resolved_batches_are_acknowledged(running_mosquitto: Mosquitto) -> None:
    client_id = f"ack-{uuid.uuid4().hex[:8]}"
    first = Batches(size=2)
    source = await _session(running_mosquitto, client_id, first)
    bodies = [f"m{i}".encode() for i in range(6)]
    await _publish(running_mosquitto, bodies)
    await first.wait_for(6)
    assert first.received == bodies  # receipt order
    first.futures[0].set_result(None)  # durable
    first.futures[1].set_exception(RuntimeError("write failed"))  # not durable
    # the third batch stays open: not durable either
    await asyncio.sleep(0.3)
    await source.__aexit__(None, None, None)

    again = Batches(size=10)
    source = await _session(running_mosquitto, client_id, again)
    await again.wait_for(4)
    await asyncio.sleep(0.5)  # nothing more comes
    assert again.received == bodies[2:]
    again.futures[0].set_result(None)
    await asyncio.sleep(0.3)
    await source.__aexit__(None, None, None)

    last = Batches(size=10)
    source = await _session(running_mosquitto, client_id, last)
    await asyncio.sleep(1.0)
    await source.__aexit__(None, None, None)
    assert last.received == []
