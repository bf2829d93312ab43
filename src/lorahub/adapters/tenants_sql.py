"""Tenants and sites in SQL, always read through a tenant scope."""

from __future__ import annotations

from sqlalchemy import Connection, Engine, RowMapping, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from lorahub.adapters.sql_schema import devices, sites, tenants
from lorahub.adapters.sql_transaction import transaction
from lorahub.domain.tenancy import Site, Tenant

Scope = frozenset[str] | None
"""Tenant ids a query may see; None means every tenant (an admin)."""


class Conflict(Exception):
    """The change would break a rule of the data: a duplicate id, or something still in use."""


class SqlTenantRepository:
    """CRUD for tenants and sites.

    Every change takes an optional ``connection``: given, it runs in the caller's transaction
    (so a change and its audit entry commit together); otherwise in one of its own.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine

    # tenants -----------------------------------------------------------------------------

    def add_tenant(self, tenant: Tenant, now_ns: int, connection: Connection | None = None) -> None:
        """Create a tenant.

        Raises:
            Conflict: the id exists.
        """
        try:
            with transaction(self._engine, connection) as connection:
                connection.execute(
                    insert(tenants).values(
                        id=tenant.id, name=tenant.name, language=tenant.language, created_ns=now_ns
                    )
                )
        except IntegrityError as exc:
            raise Conflict(f"tenant {tenant.id!r} exists") from exc

    def update_tenant(self, tenant: Tenant, connection: Connection | None = None) -> bool:
        """Change name and language; False when there is no such tenant."""
        with transaction(self._engine, connection) as connection:
            result = connection.execute(
                update(tenants)
                .where(tenants.c.id == tenant.id)
                .values(name=tenant.name, language=tenant.language)
            )
        return bool(result.rowcount)

    def remove_tenant(self, tenant_id: str, connection: Connection | None = None) -> bool:
        """Delete a tenant without sites; False when absent.

        Raises:
            Conflict: it still has sites or devices.
        """
        try:
            with transaction(self._engine, connection) as connection:
                result = connection.execute(delete(tenants).where(tenants.c.id == tenant_id))
        except IntegrityError as exc:
            raise Conflict(f"tenant {tenant_id!r} still has sites or devices") from exc
        return bool(result.rowcount)

    def tenants(self, scope: Scope) -> list[Tenant]:
        """Tenants in scope, by id."""
        query = select(tenants).order_by(tenants.c.id)
        if scope is not None:
            query = query.where(tenants.c.id.in_(scope))
        with self._engine.connect() as connection:
            return [_tenant(row) for row in connection.execute(query).mappings()]

    def tenant(self, tenant_id: str, scope: Scope) -> Tenant | None:
        """One tenant, or None when absent or out of scope."""
        if scope is not None and tenant_id not in scope:
            return None
        with self._engine.connect() as connection:
            row = (
                connection.execute(select(tenants).where(tenants.c.id == tenant_id))
                .mappings()
                .first()
            )
        return _tenant(row) if row else None

    # sites -------------------------------------------------------------------------------

    def add_site(self, site: Site, now_ns: int, connection: Connection | None = None) -> None:
        """Create a site.

        Raises:
            Conflict: the id exists, the tenant does not, or the parent is another tenant's.
        """
        self._check_parent(site)
        try:
            with transaction(self._engine, connection) as connection:
                connection.execute(insert(sites).values(**_site_row(site), created_ns=now_ns))
        except IntegrityError as exc:
            raise Conflict(f"site {site.id!r} exists or tenant {site.tenant!r} does not") from exc

    def update_site(self, site: Site, connection: Connection | None = None) -> bool:
        """Replace a site's fields (not its id or tenant); False when absent."""
        self._check_parent(site)
        values = _site_row(site)
        del values["id"], values["tenant"]
        with transaction(self._engine, connection) as connection:
            result = connection.execute(update(sites).where(sites.c.id == site.id).values(**values))
        return bool(result.rowcount)

    def remove_site(self, site_id: str, connection: Connection | None = None) -> bool:
        """Delete a site without devices or rooms; False when absent.

        Raises:
            Conflict: devices or rooms still belong to it.
        """
        with transaction(self._engine, connection) as connection:
            used = (
                connection.execute(
                    select(devices.c.dev_eui).where(devices.c.site == site_id).limit(1)
                ).first()
                or connection.execute(
                    select(sites.c.id).where(sites.c.parent == site_id).limit(1)
                ).first()
            )
            if used:
                raise Conflict(f"site {site_id!r} still has devices or rooms")
            return bool(connection.execute(delete(sites).where(sites.c.id == site_id)).rowcount)

    def sites(self, scope: Scope, tenant: str | None = None) -> list[Site]:
        """Sites in scope (optionally of one tenant), by id."""
        query = select(sites).order_by(sites.c.id)
        if scope is not None:
            query = query.where(sites.c.tenant.in_(scope))
        if tenant is not None:
            query = query.where(sites.c.tenant == tenant)
        with self._engine.connect() as connection:
            return [_site(row) for row in connection.execute(query).mappings()]

    def site(self, site_id: str, scope: Scope) -> Site | None:
        """One site, or None when absent or out of scope."""
        with self._engine.connect() as connection:
            row = connection.execute(select(sites).where(sites.c.id == site_id)).mappings().first()
        if row is None or (scope is not None and row["tenant"] not in scope):
            return None
        return _site(row)

    def _check_parent(self, site: Site) -> None:
        if site.parent is None:
            return
        parent = self.site(site.parent, frozenset({site.tenant}))
        if parent is None:
            raise Conflict(f"parent site {site.parent!r} is not a site of tenant {site.tenant!r}")
        if parent.id == site.id:
            raise Conflict("a site cannot be its own parent")


def _tenant(row: RowMapping) -> Tenant:
    return Tenant(id=row["id"], name=row["name"], language=row["language"])


def _site_row(site: Site) -> dict[str, object]:
    return {
        "id": site.id,
        "tenant": site.tenant,
        "name": site.name,
        "kind": site.kind,
        "parent": site.parent,
        "address": site.address,
        "latitude": site.latitude,
        "longitude": site.longitude,
        "capacity": site.capacity,
        "public": site.public,
    }


def _site(row: RowMapping) -> Site:
    return Site(
        id=row["id"],
        tenant=row["tenant"],
        name=row["name"],
        kind=row["kind"],
        parent=row["parent"],
        address=row["address"],
        latitude=row["latitude"],
        longitude=row["longitude"],
        capacity=row["capacity"],
        public=bool(row["public"]),
    )
