"""Prometheus metrics of one lorahub process, in a registry of their own (no global state)."""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram


class Metrics:
    """The counters, gauges and histograms lorahub exports."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        self.messages = Counter(
            "lorahub_messages", "MQTT messages received", registry=self.registry
        )
        self.uplinks = Counter(
            "lorahub_uplinks", "uplinks of registered devices ingested", registry=self.registry
        )
        self.duplicates = Counter(
            "lorahub_duplicate_uplinks", "repeated frames skipped", registry=self.registry
        )
        self.rejected = Counter(
            "lorahub_rejected",
            "messages dead-lettered, by reason",
            ["reason"],
            registry=self.registry,
        )
        self.events = Counter(
            "lorahub_events",
            "non-uplink network-server events, by server and event",
            ["event"],
            registry=self.registry,
        )
        self.points = Counter(
            "lorahub_points_written", "lines accepted by InfluxDB", registry=self.registry
        )
        self.write_seconds = Histogram(
            "lorahub_batch_write_seconds",
            "time to write one batch, retries included",
            registry=self.registry,
            buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60),
        )
        self.write_failures = Counter(
            "lorahub_write_failures",
            "batches that could not be written yet (database unavailable)",
            registry=self.registry,
        )
        self.in_flight = Gauge(
            "lorahub_messages_in_flight",
            "messages received and not yet acknowledged",
            registry=self.registry,
        )
        self.reconnects = Counter(
            "lorahub_mqtt_reconnects", "MQTT connections lost", registry=self.registry
        )
        self._add_fault_metrics()
        self._add_notification_metrics()

    def _add_fault_metrics(self) -> None:
        """Spool, retries, acknowledgement lag and the state readiness is judged on."""
        self.write_retries = Counter(
            "lorahub_write_retries",
            "write requests retried (network errors, 5xx, 429/503)",
            registry=self.registry,
        )
        self.spool_bytes = Gauge(
            "lorahub_spool_bytes", "bytes spooled and not yet written", registry=self.registry
        )
        self.spool_batches = Gauge(
            "lorahub_spool_batches", "batches spooled and not yet written", registry=self.registry
        )
        self.spooled = Counter(
            "lorahub_spooled_batches", "batches put into the spool", registry=self.registry
        )
        self.replayed = Counter(
            "lorahub_replayed_batches",
            "spooled batches written to the database",
            registry=self.registry,
        )
        self.spool_refusals = Counter(
            "lorahub_spool_refusals",
            "spool appends refused (full, or a disk error), by reason",
            ["reason"],
            registry=self.registry,
        )
        self.ack_lag = Histogram(
            "lorahub_ack_lag_seconds",
            "per batch, time from receipt of its first message to its acknowledgement",
            registry=self.registry,
            buckets=(0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 300),
        )
        self.mqtt_connected = Gauge(
            "lorahub_mqtt_connected", "1 while connected to the broker", registry=self.registry
        )
        self.database_up = Gauge(
            "lorahub_database_up",
            "1 when the last write or health check reached the database",
            registry=self.registry,
        )

    def _add_notification_metrics(self) -> None:
        """Deliveries to notification channels, by the channel URL's scheme."""
        self.notifications_sent = Counter(
            "lorahub_notifications_sent",
            "notifications delivered, by channel scheme",
            ["scheme"],
            registry=self.registry,
        )
        self.notifications_failed = Counter(
            "lorahub_notification_failures",
            "failed notification attempts (each retry counts), by channel scheme",
            ["scheme"],
            registry=self.registry,
        )
        self.notifications_given_up = Counter(
            "lorahub_notifications_given_up",
            "notifications marked failed after their last attempt, by channel scheme",
            ["scheme"],
            registry=self.registry,
        )
        self.channels_unhealthy = Counter(
            "lorahub_notification_channels_marked_unhealthy",
            "times a channel was marked unhealthy, by channel scheme",
            ["scheme"],
            registry=self.registry,
        )
