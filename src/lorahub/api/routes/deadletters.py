"""/dead-letters: rejected messages; a non-admin sees only those of its tenants' devices."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query

from lorahub.api.deps import PrincipalDep, ServicesDep
from lorahub.api.event_schemas import DeadLetterPublic
from lorahub.errors import RejectReason

Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many")]
ReasonFilter = Annotated[RejectReason | None, Query(description="only this reason")]


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the dead-letter routes under ``prefix``."""
    base = f"{prefix}/dead-letters"
    tags: list[str | Enum] = ["dead letters"]
    app.add_api_route(base, list_dead_letters, tags=tags, methods=["GET"])


def list_dead_letters(
    services: ServicesDep,
    principal: PrincipalDep,
    reason: ReasonFilter = None,
    limit: Limit = 100,
) -> list[DeadLetterPublic]:
    """The newest dead letters first.

    Admins see every one; others only those whose DevEUI is a device of their tenants (a
    message without a known device belongs to no tenant).
    """
    letters = services.dead_letters.list(reason, limit, principal.scope())
    return [DeadLetterPublic.of(letter) for letter in letters]
