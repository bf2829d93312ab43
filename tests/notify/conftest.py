"""A registry database with two tenants, and real SMTP and webhook receivers."""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.domain.tenancy import Tenant

A, B = "altdorf", "bergdorf"


@pytest.fixture
def engine(tmp_path: Path) -> Iterator[Engine]:
    engine = create_database_engine(f"sqlite:///{tmp_path / 'registry.db'}")
    tenants = SqlTenantRepository(engine)
    tenants.add_tenant(Tenant(A, "Altdorf", "de"), time.time_ns())
    tenants.add_tenant(Tenant(B, "Bergdorf", "en"), time.time_ns())
    yield engine
    engine.dispose()


@pytest.fixture
def channels(engine: Engine) -> SqlChannelRepository:
    return SqlChannelRepository(engine)
