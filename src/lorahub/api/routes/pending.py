"""/pending-devices: DevEUIs heard on the network but not registered, and claiming them."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query, status

from lorahub.api.audit_trail import audited
from lorahub.api.deps import (
    PathDevEui,
    PrincipalDep,
    ServicesDep,
    check_model,
    require_role,
    tenant_for_change,
)
from lorahub.api.device_schemas import DeviceClaim, DevicePublic
from lorahub.api.event_schemas import PendingPublic
from lorahub.api.problems import not_found

Limit = Annotated[int, Query(ge=1, le=1000, description="at most this many")]


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the pending-device routes under ``prefix``."""
    base = f"{prefix}/pending-devices"
    tags: list[str | Enum] = ["pending devices"]
    app.add_api_route(base, list_pending, tags=tags, methods=["GET"])
    app.add_api_route(
        f"{base}/{{dev_eui}}/claim",
        claim_pending,
        tags=tags,
        methods=["POST"],
        status_code=status.HTTP_201_CREATED,
    )


def list_pending(
    services: ServicesDep, principal: PrincipalDep, limit: Limit = 500
) -> list[PendingPublic]:
    """Unregistered DevEUIs, most recently heard first (admins and operators).

    They belong to no tenant yet, so every operator sees all of them, in order to claim them.
    """
    require_role(principal, "admin", "operator")
    return [PendingPublic.of(pending) for pending in services.state.pending(limit)]


def claim_pending(
    dev_eui: PathDevEui, body: DeviceClaim, services: ServicesDep, principal: PrincipalDep
) -> DevicePublic:
    """Register a pending DevEUI and drop it from the pending list, in one audited transaction."""
    tenant_for_change(services, principal, body.tenant)
    check_model(services, body.model)
    device = body.to_device(dev_eui)
    with audited(
        services,
        principal,
        "claim",
        ("device", dev_eui),
        device.tenant,
        body.model_dump(mode="json"),
    ) as connection:
        if not services.state.is_pending(dev_eui, connection):
            raise not_found("pending device", dev_eui)
        services.registry.add(device, services.clock(), connection)
        services.state.forget_pending(dev_eui, connection)
    return DevicePublic.of(device)
