"""Register a simulated fleet: create its missing tenants and sites, then upsert its devices."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import Engine

from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.tenants_sql import SqlTenantRepository
from lorahub.domain.device import Device
from lorahub.domain.tenancy import Site, SiteKind, Tenant


def register_fleet(
    engine: Engine,
    devices: Sequence[Device],
    now_ns: int,
    site_kinds: dict[str, SiteKind] | None = None,
) -> None:
    """Make sure every tenant and site of ``devices`` exists, then create or update them.

    Args:
        engine: the registry database.
        devices: the fleet.
        now_ns: creation time.
        site_kinds: kind per site id (default ``other``).
    """
    tenants = SqlTenantRepository(engine)
    known_tenants = {tenant.id for tenant in tenants.tenants(None)}
    known_sites = {site.id for site in tenants.sites(None)}
    for tenant in sorted({device.tenant for device in devices} - known_tenants):
        tenants.add_tenant(Tenant(tenant, tenant.replace("-", " ").title()), now_ns)
    for device in devices:
        if device.site not in known_sites:
            kind = (site_kinds or {}).get(device.site, "other")
            tenants.add_site(Site(device.site, device.tenant, device.site, kind), now_ns)
            known_sites.add(device.site)
    SqlDeviceRegistry(engine).upsert(devices, now_ns)
