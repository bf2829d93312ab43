"""Migration 0003 creates exactly the notification tables of ``sql_schema``, and reverts."""

from __future__ import annotations

from alembic import command
from alembic.autogenerate import compare_metadata
from alembic.config import Config
from alembic.migration import MigrationContext
from sqlalchemy import Engine, inspect

from lorahub.adapters.sql_schema import MIGRATIONS, metadata

TABLES = {"notification_channels", "notification_deliveries"}


def test_the_migrated_schema_equals_the_tables(engine: Engine) -> None:
    with engine.connect() as connection:
        differences = compare_metadata(MigrationContext.configure(connection), metadata)
    assert differences == []


def test_downgrade_to_0002_drops_only_the_notification_tables(engine: Engine) -> None:
    before = set(inspect(engine).get_table_names())
    config = Config()
    config.set_main_option("script_location", str(MIGRATIONS))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.downgrade(config, "0002")
    assert before - set(inspect(engine).get_table_names()) == TABLES
