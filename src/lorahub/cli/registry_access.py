"""The registry database for a command, and the audit trail of changes made from the CLI."""

from __future__ import annotations

import getpass
import os
import time

import typer
from sqlalchemy import Connection, Engine

from lorahub.adapters.audit_sql import AuditEntry, SqlAuditLog, record
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.cli.context import settings_of


def registry_engine(ctx: typer.Context) -> Engine:
    """The registry database of the settings, migrated to the current schema."""
    return create_database_engine(settings_of(ctx).registry.url)


def cli_actor() -> str:
    """Who changes the registry from the command line, for the audit log: ``cli:<OS user>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry or $USER
        user = f"uid{os.getuid()}"
    return f"cli:{user}"


def audit_change(
    engine: Engine,
    action: str,
    entity: str,
    entity_id: str,
    tenant: str | None,
    detail: dict[str, object] | None = None,
    connection: Connection | None = None,
) -> None:
    """Record a change made from the command line, in the change's transaction when given."""
    entry = AuditEntry(time.time_ns(), cli_actor(), action, entity, entity_id, tenant, detail or {})
    if connection is not None:
        record(connection, entry)
    else:
        SqlAuditLog(engine).add(entry)
