"""Subscribe to the network server's broker: QoS 1, persistent session, ack only when durable."""

from __future__ import annotations

import asyncio
import ssl
from types import TracebackType
from typing import Any

import stamina
import structlog
from gmqtt import Client

from lorahub.adapters.mqtt_batch_ack import BatchAckClient, BatchHandler
from lorahub.metrics import Metrics
from lorahub.settings import MqttSettings

log = structlog.get_logger("lorahub.mqtt")


class MqttSource:
    """An MQTT 5 subscription whose acknowledgements wait for the handler.

    Each message goes synchronously to ``handler`` (the pipeline's ``submit``), which returns
    the future of the batch holding it; the batch's PUBACKs leave together once that future
    resolves (:class:`~lorahub.adapters.mqtt_batch_ack.BatchAckClient`), so the broker keeps
    every message we have not yet written and redelivers it after a crash.
    ``receive_maximum`` bounds the messages in flight; a persistent session
    (``clean_start=False`` with a session expiry) keeps the queue while we are away.
    Reconnects back off exponentially up to ``reconnect_max_delay_s``.
    """

    def __init__(self, settings: MqttSettings, handler: BatchHandler, metrics: Metrics) -> None:
        self._settings = settings
        self._handler = handler
        self._metrics = metrics
        self._connected = False
        self._closing = False
        self._client = BatchAckClient(
            handler,
            settings.client_id,
            clean_session=False,
            optimistic_acknowledgement=False,
            session_expiry_interval=settings.session_expiry_s,
            receive_maximum=settings.max_in_flight,
        )
        if settings.username is not None:
            password = settings.password.get_secret_value() if settings.password else None
            self._client.set_auth_credentials(settings.username, password)
        self._client.on_connect = self._on_connect
        self._client.on_disconnect = self._on_disconnect
        self._client.on_message = self._on_unacknowledged
        self._client.reconnect_delay = settings.reconnect_min_delay_s

    @property
    def connected(self) -> bool:
        """True while the broker connection is up (readiness)."""
        return self._connected

    async def __aenter__(self) -> MqttSource:
        settings = self._settings
        async for attempt in stamina.retry_context(
            on=(OSError, asyncio.TimeoutError),
            attempts=None,
            timeout=None,
            wait_initial=settings.reconnect_min_delay_s,
            wait_max=settings.reconnect_max_delay_s,
        ):
            with attempt:
                if attempt.num > 1:
                    log.warning(
                        "retrying broker connection", attempt=attempt.num, host=settings.host
                    )
                await asyncio.wait_for(
                    self._client.connect(
                        settings.host,
                        settings.port,
                        ssl=self._ssl_context(),
                        keepalive=settings.keepalive_s,
                    ),
                    timeout=30,
                )
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._closing = True
        try:
            await asyncio.wait_for(self._client.disconnect(), timeout=5)
        except (OSError, TimeoutError) as error:
            log.warning("broker disconnect failed", error=repr(error))
        self._connected = False
        self._metrics.mqtt_connected.set(0)

    def _ssl_context(self) -> ssl.SSLContext | bool:
        if not self._settings.tls:
            return False
        context = ssl.create_default_context()
        if self._settings.tls_ca_file is not None:
            context.load_verify_locations(cafile=str(self._settings.tls_ca_file))
        return context

    def _on_connect(self, client: Client, flags: int, rc: int, properties: Any) -> None:  # noqa: ANN401
        self._client.reconnect_delay = self._settings.reconnect_min_delay_s
        for topic in self._settings.subscriptions():
            client.subscribe(topic, qos=self._settings.qos)
        self._connected = True
        self._metrics.mqtt_connected.set(1)
        log.info(
            "connected to broker",
            host=self._settings.host,
            port=self._settings.port,
            session_present=bool(flags),
            topics=self._settings.subscriptions(),
        )

    def _on_disconnect(self, client: Client, packet: Any, exc: Any = None) -> None:  # noqa: ANN401
        was_connected = self._connected
        self._connected = False
        self._metrics.mqtt_connected.set(0)
        delay = min(self._client.reconnect_delay * 2, self._settings.reconnect_max_delay_s)
        self._client.reconnect_delay = delay
        if was_connected and not self._closing:
            self._metrics.reconnects.inc()
            log.warning("broker connection lost; reconnecting", next_attempt_s=delay)

    def _on_unacknowledged(
        self,
        client: Client,
        topic: str,
        payload: bytes,
        qos: int,
        properties: Any,  # noqa: ANN401
    ) -> None:
        """A QoS 0 message (published at QoS 0): ingested, with nothing to acknowledge."""
        self._handler(topic, payload)
