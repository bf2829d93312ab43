"""/sites: a tenant's hubs, rooms, parcel stations and public places."""

from __future__ import annotations

from enum import Enum
from typing import Annotated

from fastapi import APIRouter, Query, status

from lorahub.api.audit_trail import audited
from lorahub.api.deps import (
    PrincipalDep,
    ReadableSite,
    ServicesDep,
    require_manage,
    tenant_for_change,
)
from lorahub.api.problems import not_found
from lorahub.api.schemas import SiteCreate, SitePublic, SiteUpdate
from lorahub.domain.ids import SLUG_PATTERN

TenantFilter = Annotated[str | None, Query(pattern=SLUG_PATTERN, description="only this tenant")]


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the site routes under ``prefix``."""
    base = f"{prefix}/sites"
    tags: list[str | Enum] = ["sites"]
    app.add_api_route(base, list_sites, tags=tags, methods=["GET"])
    app.add_api_route(
        base, create_site, tags=tags, methods=["POST"], status_code=status.HTTP_201_CREATED
    )
    app.add_api_route(f"{base}/{{site_id}}", read_site, tags=tags, methods=["GET"])
    app.add_api_route(f"{base}/{{site_id}}", update_site, tags=tags, methods=["PATCH"])
    app.add_api_route(
        f"{base}/{{site_id}}",
        delete_site,
        tags=tags,
        methods=["DELETE"],
        status_code=status.HTTP_204_NO_CONTENT,
    )


def list_sites(
    services: ServicesDep, principal: PrincipalDep, tenant: TenantFilter = None
) -> list[SitePublic]:
    """The sites of the caller's tenants (or of one of them)."""
    if tenant is not None and services.tenants.tenant(tenant, principal.scope()) is None:
        raise not_found("tenant", tenant)
    return [SitePublic.of(site) for site in services.tenants.sites(principal.scope(), tenant)]


def create_site(body: SiteCreate, services: ServicesDep, principal: PrincipalDep) -> SitePublic:
    """Create a site; 409 when the id exists or the parent is not a site of the same tenant."""
    tenant_for_change(services, principal, body.tenant)
    site = body.to_site()
    with audited(
        services, principal, "create", ("site", site.id), site.tenant, body.model_dump(mode="json")
    ) as connection:
        services.tenants.add_site(site, services.clock(), connection=connection)
    return SitePublic.of(site)


def read_site(site: ReadableSite) -> SitePublic:
    """One site of the caller's tenants."""
    return SitePublic.of(site)


def update_site(
    site: ReadableSite, body: SiteUpdate, services: ServicesDep, principal: PrincipalDep
) -> SitePublic:
    """Change a site's fields (not its id or tenant)."""
    require_manage(principal, site.tenant, "site", site.id)
    updated = body.apply(site)
    with audited(
        services,
        principal,
        "update",
        ("site", site.id),
        site.tenant,
        body.model_dump(mode="json", exclude_unset=True),
    ) as connection:
        if not services.tenants.update_site(updated, connection=connection):
            raise not_found("site", site.id)  # deleted meanwhile
    return SitePublic.of(updated)


def delete_site(site: ReadableSite, services: ServicesDep, principal: PrincipalDep) -> None:
    """Delete a site without devices or rooms; 409 while it has any."""
    require_manage(principal, site.tenant, "site", site.id)
    with audited(services, principal, "delete", ("site", site.id), site.tenant) as connection:
        if not services.tenants.remove_site(site.id, connection=connection):
            raise not_found("site", site.id)
