"""/audit: who changed what, scoped to the caller's tenants."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query

from lorahub.api.deps import PrincipalDep, ServicesDep
from lorahub.api.event_schemas import AuditPublic

Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many")]


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the audit routes under ``prefix``."""
    base = f"{prefix}/audit"
    tags: list[str | Enum] = ["audit"]
    app.add_api_route(base, list_audit, tags=tags, methods=["GET"])


def list_audit(
    services: ServicesDep, principal: PrincipalDep, limit: Limit = 100
) -> list[AuditPublic]:
    """The newest entries first; admins also see entries that belong to no tenant."""
    return [AuditPublic.of(entry) for entry in services.audit.entries(principal.scope(), limit)]
