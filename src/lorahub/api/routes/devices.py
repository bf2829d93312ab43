"""/devices: a tenant's devices, one at a time or imported in bulk (CSV or JSON)."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Depends, Query, Request, status

from lorahub.api.audit_trail import audited
from lorahub.api.deps import (
    PrincipalDep,
    ReadableDevice,
    ServicesDep,
    check_model,
    require_manage,
    require_role,
    tenant_for_change,
)
from lorahub.api.device_import import IMPORT_BODY, import_rows, read_import_body
from lorahub.api.device_schemas import (
    DeviceCreate,
    DeviceDetail,
    DevicePublic,
    DeviceUpdate,
    ImportReport,
)
from lorahub.api.problems import not_found
from lorahub.domain.ids import SLUG_PATTERN

TenantFilter = Annotated[str | None, Query(pattern=SLUG_PATTERN, description="only this tenant")]
SiteFilter = Annotated[str | None, Query(pattern=SLUG_PATTERN, description="only this site")]


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the device routes under ``prefix``."""
    base = f"{prefix}/devices"
    tags: list[str | Enum] = ["devices"]
    created = status.HTTP_201_CREATED
    app.add_api_route(base, list_devices, tags=tags, methods=["GET"])
    app.add_api_route(base, create_device, tags=tags, methods=["POST"], status_code=created)
    app.add_api_route(
        f"{base}/import", import_devices, tags=tags, methods=["POST"], openapi_extra=IMPORT_BODY
    )
    app.add_api_route(f"{base}/{{dev_eui}}", read_device, tags=tags, methods=["GET"])
    app.add_api_route(f"{base}/{{dev_eui}}", update_device, tags=tags, methods=["PATCH"])
    app.add_api_route(
        f"{base}/{{dev_eui}}",
        delete_device,
        tags=tags,
        methods=["DELETE"],
        status_code=status.HTTP_204_NO_CONTENT,
    )


def list_devices(
    services: ServicesDep,
    principal: PrincipalDep,
    tenant: TenantFilter = None,
    site: SiteFilter = None,
) -> list[DevicePublic]:
    """The devices of the caller's tenants, optionally of one tenant or site."""
    scope = principal.scope()
    if tenant is not None and services.tenants.tenant(tenant, scope) is None:
        raise not_found("tenant", tenant)
    if site is not None and services.tenants.site(site, scope) is None:
        raise not_found("site", site)
    return [DevicePublic.of(device) for device in services.registry.list(scope, tenant, site)]


def create_device(
    body: DeviceCreate, services: ServicesDep, principal: PrincipalDep
) -> DevicePublic:
    """Register a device; 409 when the DevEUI is registered, 422 for a bad model or site."""
    tenant_for_change(services, principal, body.tenant)
    check_model(services, body.model)
    device = body.device()
    with audited(
        services,
        principal,
        "create",
        ("device", device.dev_eui),
        device.tenant,
        body.model_dump(mode="json"),
    ) as connection:
        services.registry.add(device, services.clock(), connection)
    return DevicePublic.of(device)


def read_device(device: ReadableDevice, services: ServicesDep) -> DeviceDetail:
    """One device with what the network last said about it (time, radio, readings, battery)."""
    return DeviceDetail.with_activity(device, services.state.activity(device.dev_eui))


def update_device(
    device: ReadableDevice, body: DeviceUpdate, services: ServicesDep, principal: PrincipalDep
) -> DevicePublic:
    """Change a device; moving it to another tenant needs the right to change both."""
    require_manage(principal, device.tenant, "device", device.dev_eui)
    updated = body.apply(device)
    if updated.tenant != device.tenant:
        tenant_for_change(services, principal, updated.tenant)
    if updated.model != device.model:
        check_model(services, updated.model)
    with audited(
        services,
        principal,
        "update",
        ("device", device.dev_eui),
        updated.tenant,
        body.model_dump(mode="json", exclude_unset=True),
    ) as connection:
        if not services.registry.replace(updated, services.clock(), connection=connection):
            raise not_found("device", device.dev_eui)  # deleted meanwhile
    return DevicePublic.of(updated)


def delete_device(device: ReadableDevice, services: ServicesDep, principal: PrincipalDep) -> None:
    """Remove a device from the registry."""
    require_manage(principal, device.tenant, "device", device.dev_eui)
    with audited(
        services, principal, "delete", ("device", device.dev_eui), device.tenant
    ) as connection:
        if not services.registry.remove(device.dev_eui, connection=connection):
            raise not_found("device", device.dev_eui)


async def _raw_body(request: Request) -> tuple[str, bytes]:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    return media_type, await request.body()


def import_devices(
    upload: Annotated[tuple[str, bytes], Depends(_raw_body)],
    services: ServicesDep,
    principal: PrincipalDep,
) -> ImportReport:
    """Create or update many devices from ``text/csv`` or a JSON list, row by row.

    The CSV has the CLI's columns (dev_eui,name,model,tenant,site[,empty_distance_m,
    full_distance_m,decoding]). Valid rows are written; each refused row is reported with its
    reason, and nothing else changes.
    """
    require_role(principal, "admin", "operator")
    rows = read_import_body(*upload, services.catalog)
    return import_rows(services, principal, rows)
