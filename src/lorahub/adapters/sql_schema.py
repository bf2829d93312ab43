"""The registry database schema (SQLAlchemy Core tables) and engine creation."""

from __future__ import annotations

from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    Column,
    Engine,
    Float,
    Index,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Table,
    Text,
    create_engine,
    event,
)

metadata = MetaData()

devices = Table(
    "devices",
    metadata,
    Column("dev_eui", String(16), primary_key=True),
    Column("name", String(200), nullable=False),
    Column("model", String(120), nullable=False),
    Column("tenant", String(120), nullable=False),
    Column("site", String(120), nullable=False),
    Column("empty_distance_m", Float, nullable=True),
    Column("full_distance_m", Float, nullable=True),
    Column("enabled", Boolean, nullable=False, default=True),
    Column("decoding", String(10), nullable=False, default="model"),
    Column("created_ns", BigInteger, nullable=False),
    Column("updated_ns", BigInteger, nullable=False),
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


def create_database_engine(url: str) -> Engine:
    """Create the engine for ``url`` and make sure the tables exist.

    SQLite runs in WAL mode with full fsync, so a committed dead letter survives a crash
    before the broker is acknowledged.
    """
    engine = create_engine(url, future=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    metadata.create_all(engine)
    return engine


def _sqlite_pragmas(connection: Any, _record: Any) -> None:  # noqa: ANN401 - DBAPI objects
    cursor = connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA synchronous=FULL")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.close()
