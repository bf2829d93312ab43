"""The registry database schema (SQLAlchemy Core tables) and engine creation with migrations."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Column,
    Engine,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    UniqueConstraint,
    create_engine,
    event,
)

metadata = MetaData()

tenants = Table(
    "tenants",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("language", String(2), nullable=False, default="de"),
    Column("created_ns", BigInteger, nullable=False),
)

sites = Table(
    "sites",
    metadata,
    Column("id", String(64), primary_key=True),
    Column("tenant", String(64), ForeignKey("tenants.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("parent", String(64), ForeignKey("sites.id"), nullable=True),
    Column("address", Text, nullable=True),
    Column("latitude", Float, nullable=True),
    Column("longitude", Float, nullable=True),
    Column("capacity", Integer, nullable=True),
    Column("public", Boolean, nullable=False, default=False),
    Column("created_ns", BigInteger, nullable=False),
    Index("ix_sites_tenant", "tenant"),
)

devices = Table(
    "devices",
    metadata,
    Column("dev_eui", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("model", String(120), nullable=False),
    Column("tenant", String(64), ForeignKey("tenants.id"), nullable=False),
    Column("site", String(64), ForeignKey("sites.id"), nullable=False),
    Column("empty_distance_m", Float, nullable=True),
    Column("full_distance_m", Float, nullable=True),
    Column("expected_interval_s", Integer, nullable=True),
    Column("tags", JSON, nullable=False, default=dict),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("decoding", String(10), nullable=False, default="model"),
    Column("created_ns", BigInteger, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
    Index("ix_devices_tenant", "tenant"),
    Index("ix_devices_site", "site"),
)

api_tokens = Table(
    "api_tokens",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("name", String(120), nullable=False, unique=True),
    Column("token_hash", String(64), nullable=False, unique=True),
    Column("role", String(10), nullable=False),
    Column("created_ns", BigInteger, nullable=False),
    Column("revoked", Boolean, nullable=False, default=False),
)

token_tenants = Table(
    "token_tenants",
    metadata,
    Column("token_id", Integer, ForeignKey("api_tokens.id", ondelete="CASCADE"), nullable=False),
    Column("tenant", String(64), ForeignKey("tenants.id", ondelete="CASCADE"), nullable=False),
    UniqueConstraint("token_id", "tenant"),
)

audit_log = Table(
    "audit_log",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("time_ns", BigInteger, nullable=False),
    Column("actor", String(120), nullable=False),
    Column("action", String(20), nullable=False),
    Column("entity", String(20), nullable=False),
    Column("entity_id", String(120), nullable=False),
    Column("tenant", String(64), nullable=True),
    Column("detail", JSON, nullable=False, default=dict),
    Index("ix_audit_tenant", "tenant"),
)

device_state = Table(
    "device_state",
    metadata,
    Column("dev_eui", String(16), primary_key=True),
    Column("last_seen_ns", BigInteger, nullable=False),
    Column("f_cnt", BigInteger, nullable=True),
    Column("rssi", Float, nullable=True),
    Column("snr", Float, nullable=True),
    Column("gateways", Integer, nullable=False, default=0),
    Column("readings", JSON, nullable=False, default=dict),
    Column("readings_ns", BigInteger, nullable=True),
)

pending_devices = Table(
    "pending_devices",
    metadata,
    Column("dev_eui", String(16), primary_key=True),
    Column("first_seen_ns", BigInteger, nullable=False),
    Column("last_seen_ns", BigInteger, nullable=False),
    Column("uplinks", Integer, nullable=False, default=1),
    Column("lns_name", String(200), nullable=True),
    Column("last_topic", Text, nullable=False),
    Column("last_payload", LargeBinary, nullable=False),
)

dead_letters = Table(
    "dead_letters",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("received_ns", BigInteger, nullable=False),
    Column("topic", Text, nullable=False),
    Column("payload", LargeBinary, nullable=False),
    Column("reason", String(40), nullable=False),
    Column("error", Text, nullable=False),
    Column("dev_eui", String(16), nullable=True),
    Index("ix_dead_letters_reason", "reason"),
    Index("ix_dead_letters_dev_eui", "dev_eui"),
)

alert_rules = Table(
    "alert_rules",
    metadata,
    Column("tenant", String(64), ForeignKey("tenants.id"), primary_key=True),
    Column("id", String(64), primary_key=True),
    Column("kind", String(20), nullable=False),
    Column("spec", JSON, nullable=False),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("created_ns", BigInteger, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
)
"""Alert rules per tenant; ``spec`` is the rule's pydantic model (``alerts/rules.py``) as JSON."""

alerts = Table(
    "alerts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant", String(64), ForeignKey("tenants.id"), nullable=False),
    Column("rule", String(64), nullable=False),
    Column("kind", String(20), nullable=False),
    Column("dev_eui", String(16), nullable=False),
    Column("site", String(64), nullable=True),
    Column("severity", String(10), nullable=False),
    Column("state", String(14), nullable=False),
    Column("quantity", String(40), nullable=True),
    Column("value", Float, nullable=True),
    Column("threshold", Float, nullable=True),
    Column("started_ns", BigInteger, nullable=False),
    Column("acknowledged_ns", BigInteger, nullable=True),
    Column("acknowledged_by", String(120), nullable=True),
    Column("ack_comment", Text, nullable=True),
    Column("resolved_ns", BigInteger, nullable=True),
    Column("last_notified_ns", BigInteger, nullable=True),
    Index("ix_alerts_tenant_state", "tenant", "state"),
    Index("ix_alerts_rule_device", "tenant", "rule", "dev_eui"),
)
"""One row per alert: firing, acknowledged or resolved."""

alert_history = Table(
    "alert_history",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("alert_id", Integer, ForeignKey("alerts.id", ondelete="CASCADE"), nullable=False),
    Column("at_ns", BigInteger, nullable=False),
    Column("kind", String(14), nullable=False),
    Column("value", Float, nullable=True),
    Column("actor", String(120), nullable=True),
    Column("comment", Text, nullable=True),
    Index("ix_alert_history_alert", "alert_id"),
)
"""What happened to each alert: fired, acknowledged, renotified, resolved."""

alert_state = Table(
    "alert_state",
    metadata,
    Column("tenant", String(64), primary_key=True),
    Column("rule", String(64), primary_key=True),
    Column("dev_eui", String(16), primary_key=True),
    Column("state", JSON, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
)
"""The evaluator's state per rule and device (pending since, firing alert), for restarts."""

notification_channels = Table(
    "notification_channels",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("tenant", String(64), ForeignKey("tenants.id"), nullable=False),
    Column("name", String(200), nullable=False),
    Column("url", Text, nullable=False),
    Column("min_severity", String(10), nullable=False),
    Column("kinds", JSON, nullable=False),
    Column("digest_hour", Integer, nullable=True),
    Column("timezone", String(64), nullable=False),
    Column("next_digest_ns", BigInteger, nullable=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("healthy", Boolean, nullable=False, default=True),
    Column("consecutive_failures", Integer, nullable=False, default=0),
    Column("last_error", Text, nullable=True),
    Column("last_success_ns", BigInteger, nullable=True),
    Column("last_failure_ns", BigInteger, nullable=True),
    Column("created_ns", BigInteger, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
    UniqueConstraint("tenant", "name", name="uq_notification_channels_tenant_name"),
)
"""A tenant's notification channels; ``url`` is an apprise URL and a secret (never shown)."""

notification_deliveries = Table(
    "notification_deliveries",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "channel_id",
        Integer,
        ForeignKey("notification_channels.id", ondelete="CASCADE"),
        nullable=False,
    ),
    Column("tenant", String(64), nullable=False),
    Column("kind", String(10), nullable=False),
    Column("severity", String(10), nullable=False),
    Column("alert_id", Integer, nullable=True),
    Column("title", Text, nullable=False),
    Column("body", Text, nullable=False),
    Column("status", String(10), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("next_attempt_ns", BigInteger, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("created_ns", BigInteger, nullable=False),
    Column("sent_ns", BigInteger, nullable=True),
    Index("ix_notification_deliveries_due", "status", "next_attempt_ns"),
    Index("ix_notification_deliveries_channel", "channel_id", "status"),
)
"""The outbox: one message to one channel, its attempts and outcome (kept after sending)."""

MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"


def create_database_engine(url: str) -> Engine:
    """Create the engine for ``url`` and bring the schema up to date (alembic ``upgrade head``).

    SQLite runs in WAL mode with full fsync and enforced foreign keys, so a committed dead
    letter survives a crash before the broker is acknowledged.
    """
    engine = create_engine(url)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    migrate(engine)
    return engine


def migrate(engine: Engine) -> None:
    """Apply every migration the database does not have yet."""
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")


def _sqlite_pragmas(connection: Any, _record: Any) -> None:  # noqa: ANN401 - DBAPI objects
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.close()
