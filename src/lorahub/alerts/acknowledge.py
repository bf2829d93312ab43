"""Acknowledge an alert and tell the tenant's channels, in the caller's transaction.

Used by the API and the CLI; the alert service writes the ``alerts`` line on its next tick.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import Connection

from lorahub.adapters.alert_context_sql import SqlAlertContextSource
from lorahub.adapters.alerts_sql import AlertRecord, SqlAlertStore
from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.alerts.messages import NoticeFacts, notice
from lorahub.domain.ids import DevEui
from lorahub.notify.notifier import Notifier
from lorahub.settings import AlertSettings


@dataclass(frozen=True, slots=True)
class Acknowledger:
    """Acknowledges alerts and queues the ``acknowledged`` notice for the tenant's channels."""

    store: SqlAlertStore
    contexts: SqlAlertContextSource
    registry: SqlDeviceRegistry
    notifier: Notifier
    public_url: str

    @classmethod
    def on(cls, store: SqlAlertStore, settings: AlertSettings, public_url: str) -> Acknowledger:
        """Build on the alert store's database."""
        engine = store.engine
        contexts = SqlAlertContextSource.on(engine, settings)
        return cls(store, contexts, SqlDeviceRegistry(engine), Notifier(engine), public_url)

    def acknowledge(
        self, alert_id: int, actor: str, comment: str | None, now_ns: int, connection: Connection
    ) -> AlertRecord | None:
        """Acknowledge a firing alert and notify; None (nothing done) when it is not firing."""
        record = self.store.acknowledge(alert_id, actor, comment, now_ns, connection)
        if record is None:
            return None
        context = self.contexts.load()
        device = self.registry.get(DevEui(record.dev_eui))
        facts = NoticeFacts(context, self.public_url)
        rule = context.rule(record.tenant, record.rule)
        told = notice(facts, "acknowledged", record, rule, device, now_ns, actor, comment)
        self.notifier.notify(told, connection)
        return record
