"""Request dependencies: the services, the authenticated principal, and tenant access checks.

Anything outside the caller's tenants is reported as absent (404), so a response never tells
whether another tenant's object exists; 403 is only for a role that may read a tenant but not
change it.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Path, Request
from fastapi.security import HTTPAuthorizationCredentials, HTTPBearer

from lorahub.api.problems import forbidden, not_found, unauthorized, unprocessable
from lorahub.api.services import ApiServices
from lorahub.domain.device import Device
from lorahub.domain.ids import SLUG_PATTERN, DevEui, parse_dev_eui
from lorahub.domain.tenancy import Principal, Role, Site, Tenant

"""Ids of tenants and sites."""
DEV_EUI_PATTERN = r"^[0-9A-Fa-f]{2}([-:]?[0-9A-Fa-f]{2}){7}$"
"""DevEUIs as documented (``parse_dev_eui`` checks them, with its own error message)."""


def get_services(request: Request) -> ApiServices:
    """The services ``create_app`` stored on the application."""
    services: ApiServices = request.app.state.services
    return services


ServicesDep = Annotated[ApiServices, Depends(get_services)]
BearerDep = Annotated[
    HTTPAuthorizationCredentials | None,
    Depends(HTTPBearer(auto_error=False, description="An API token (`lh_…`).")),
]


def authenticate(services: ServicesDep, credentials: BearerDep) -> Principal:
    """The principal of the request's ``Authorization: Bearer`` token.

    Raises:
        HTTPException: 401 when the token is missing, unknown or revoked.
    """
    if credentials is None:
        raise unauthorized("missing bearer token")
    principal = services.tokens.authenticate(credentials.credentials)
    if principal is None:
        raise unauthorized("invalid or revoked token")
    return principal


PrincipalDep = Annotated[Principal, Depends(authenticate)]
TenantId = Annotated[str, Path(pattern=SLUG_PATTERN, description="a tenant id (slug)")]
SiteId = Annotated[str, Path(pattern=SLUG_PATTERN, description="a site id (slug)")]
DevEuiPath = Annotated[
    str,
    Path(
        description="16 hex digits; any case, `-` or `:` allowed",
        json_schema_extra={"pattern": DEV_EUI_PATTERN},
    ),
]


def require_role(principal: Principal, *roles: Role) -> None:
    """Refuse (403) a principal whose role is not one of ``roles``."""
    if principal.role not in roles:
        raise forbidden(f"role {principal.role!r} may not do this")


def require_manage(principal: Principal, tenant: str, kind: str, ident: str) -> None:
    """Check the principal may change ``kind`` ``ident`` of ``tenant``.

    Raises:
        HTTPException: 404 when the tenant is outside its scope, 403 when it may only read it.
    """
    if not principal.can_read(tenant):
        raise not_found(kind, ident)
    if not principal.can_manage(tenant):
        raise forbidden(f"role {principal.role!r} may not change {kind}s of tenant {tenant!r}")


def tenant_for_change(services: ApiServices, principal: Principal, tenant_id: str) -> Tenant:
    """A tenant a request body names, which the principal must be allowed to change.

    Raises:
        HTTPException: 404 when absent or out of scope, 403 for a read-only role.
    """
    tenant = services.tenants.tenant(tenant_id, principal.scope())
    if tenant is None:
        raise not_found("tenant", tenant_id)
    require_manage(principal, tenant.id, "tenant", tenant.id)
    return tenant


def readable_tenant(tenant_id: TenantId, services: ServicesDep, principal: PrincipalDep) -> Tenant:
    """The path's tenant, or 404 when absent or outside the caller's tenants."""
    tenant = services.tenants.tenant(tenant_id, principal.scope())
    if tenant is None:
        raise not_found("tenant", tenant_id)
    return tenant


def readable_site(site_id: SiteId, services: ServicesDep, principal: PrincipalDep) -> Site:
    """The path's site, or 404 when absent or outside the caller's tenants."""
    site = services.tenants.site(site_id, principal.scope())
    if site is None:
        raise not_found("site", site_id)
    return site


def path_dev_eui(dev_eui: DevEuiPath) -> DevEui:
    """The path's DevEUI, normalised; 422 when it is not 8 bytes of hex."""
    try:
        return parse_dev_eui(dev_eui)
    except ValueError as exc:
        raise unprocessable(("path", "dev_eui"), str(exc)) from exc


PathDevEui = Annotated[DevEui, Depends(path_dev_eui)]


def readable_device(dev_eui: PathDevEui, services: ServicesDep, principal: PrincipalDep) -> Device:
    """The path's device, or 404 when absent or outside the caller's tenants."""
    device = services.registry.get(dev_eui, principal.scope())
    if device is None:
        raise not_found("device", dev_eui)
    return device


ReadableTenant = Annotated[Tenant, Depends(readable_tenant)]
ReadableSite = Annotated[Site, Depends(readable_site)]
ReadableDevice = Annotated[Device, Depends(readable_device)]


def check_model(services: ApiServices, model: str) -> None:
    """Refuse (422) a model that is not in the catalog."""
    if model not in services.catalog:
        raise unprocessable(("body", "model"), f"unknown model {model!r}: not in the catalog")
