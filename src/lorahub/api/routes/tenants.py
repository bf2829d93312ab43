"""/tenants: admins create and delete tenants; everyone lists and reads their own."""

from __future__ import annotations

from enum import Enum

from fastapi import APIRouter, status

from lorahub.api.audit_trail import audited
from lorahub.api.deps import PrincipalDep, ReadableTenant, ServicesDep, require_manage, require_role
from lorahub.api.problems import not_found
from lorahub.api.schemas import TenantCreate, TenantPublic, TenantUpdate


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the tenant routes under ``prefix``."""
    base = f"{prefix}/tenants"
    tags: list[str | Enum] = ["tenants"]
    app.add_api_route(base, list_tenants, tags=tags, methods=["GET"])
    app.add_api_route(
        base, create_tenant, tags=tags, methods=["POST"], status_code=status.HTTP_201_CREATED
    )
    app.add_api_route(f"{base}/{{tenant_id}}", read_tenant, tags=tags, methods=["GET"])
    app.add_api_route(f"{base}/{{tenant_id}}", update_tenant, tags=tags, methods=["PATCH"])
    app.add_api_route(
        f"{base}/{{tenant_id}}",
        delete_tenant,
        tags=tags,
        methods=["DELETE"],
        status_code=status.HTTP_204_NO_CONTENT,
    )


def list_tenants(services: ServicesDep, principal: PrincipalDep) -> list[TenantPublic]:
    """The caller's tenants (every tenant for an admin)."""
    return [TenantPublic.of(tenant) for tenant in services.tenants.tenants(principal.scope())]


def create_tenant(
    body: TenantCreate, services: ServicesDep, principal: PrincipalDep
) -> TenantPublic:
    """Create a tenant (admins only); 409 when the id exists."""
    require_role(principal, "admin")
    tenant = body.to_tenant()
    with audited(
        services,
        principal,
        "create",
        ("tenant", tenant.id),
        tenant.id,
        body.model_dump(mode="json"),
    ) as connection:
        services.tenants.add_tenant(tenant, services.clock(), connection=connection)
    return TenantPublic.of(tenant)


def read_tenant(tenant: ReadableTenant) -> TenantPublic:
    """One tenant of the caller."""
    return TenantPublic.of(tenant)


def update_tenant(
    tenant: ReadableTenant, body: TenantUpdate, services: ServicesDep, principal: PrincipalDep
) -> TenantPublic:
    """Rename a tenant or change its language (admins and the tenant's operators)."""
    require_manage(principal, tenant.id, "tenant", tenant.id)
    updated = body.apply(tenant)
    with audited(
        services,
        principal,
        "update",
        ("tenant", tenant.id),
        tenant.id,
        body.model_dump(mode="json", exclude_unset=True),
    ) as connection:
        if not services.tenants.update_tenant(updated, connection=connection):
            raise not_found("tenant", tenant.id)  # deleted meanwhile
    return TenantPublic.of(updated)


def delete_tenant(tenant: ReadableTenant, services: ServicesDep, principal: PrincipalDep) -> None:
    """Delete a tenant without sites or devices (admins only); 409 while it has any."""
    require_role(principal, "admin")
    with audited(services, principal, "delete", ("tenant", tenant.id), tenant.id) as connection:
        if not services.tenants.remove_tenant(tenant.id, connection=connection):
            raise not_found("tenant", tenant.id)
