"""What the API works with: the repositories, the catalog and a clock, built once by the caller."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

from sqlalchemy import Engine

from lorahub.adapters.alerts_sql import SqlAlertStore
from lorahub.adapters.audit_sql import SqlAuditLog
from lorahub.adapters.deadletters_sql import SqlDeadLetterStore
from lorahub.adapters.device_state_sql import SqlDeviceState
from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.rules_sql import SqlRuleRepository
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.adapters.tokens_sql import SqlTokenRepository
from lorahub.alerts.acknowledge import Acknowledger
from lorahub.decoding.catalog import Catalog
from lorahub.settings import NotificationSettings, Settings

Clock = Callable[[], int]
"""Now, in nanoseconds since the epoch (the API never reads the clock itself)."""


@dataclass(frozen=True, slots=True)
class ApiServices:
    """Everything a request handler may use; kept on ``app.state.services``."""

    engine: Engine
    tenants: SqlTenantRepository
    registry: SqlDeviceRegistry
    tokens: SqlTokenRepository
    audit: SqlAuditLog
    state: SqlDeviceState
    dead_letters: SqlDeadLetterStore
    rules: SqlRuleRepository
    alerts: SqlAlertStore
    catalog: Catalog
    clock: Clock
    acknowledger: Acknowledger
    notifications: NotificationSettings = field(default_factory=NotificationSettings)
    """Send timeout and failure threshold for channel test messages."""

    @classmethod
    def from_engine(
        cls,
        engine: Engine,
        catalog: Catalog,
        clock: Clock = time.time_ns,
        settings: Settings | None = None,
    ) -> ApiServices:
        """Build every SQL repository on one (already migrated) engine.

        Args:
            engine: from ``create_database_engine``.
            catalog: the loaded device catalog; a device's model must be in it.
            clock: the time source for created/updated stamps and audit entries.
            settings: for notification, alert and link settings (defaults when absent).

        Returns:
            The services for ``create_app``.
        """
        settings = settings or Settings()
        alerts = SqlAlertStore(engine)
        return cls(
            engine=engine,
            tenants=SqlTenantRepository(engine),
            registry=SqlDeviceRegistry(engine),
            tokens=SqlTokenRepository(engine),
            audit=SqlAuditLog(engine),
            state=SqlDeviceState(engine),
            dead_letters=SqlDeadLetterStore(engine),
            rules=SqlRuleRepository(engine),
            alerts=alerts,
            catalog=catalog,
            clock=clock,
            acknowledger=Acknowledger.on(alerts, settings.alerts, settings.web.public_url),
            notifications=settings.notifications,
        )
