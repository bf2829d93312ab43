"""``lorahub tenants``: add, list and remove tenants (municipalities)."""

from __future__ import annotations

import json
import time
from dataclasses import asdict
from typing import Annotated

import typer
from rich.table import Column, Table

from lorahub.adapters.tenants_sql import Conflict, SqlTenantRepository
from lorahub.cli.context import failure, out, say
from lorahub.cli.registry_access import audit_change, registry_engine
from lorahub.domain.ids import parse_slug
from lorahub.domain.tenancy import Language, Tenant

app = typer.Typer(
    help="Manage tenants (municipalities sharing the platform).", no_args_is_help=True
)


@app.command("add")
def add(
    ctx: typer.Context,
    tenant_id: Annotated[str, typer.Argument(metavar="ID", help="Tenant id, e.g. lindenau.")],
    name: Annotated[str, typer.Option(help="Display name, e.g. 'Gemeinde Lindenau'.")],
    language: Annotated[Language, typer.Option(help="Language of notifications and pages.")] = "de",
) -> None:
    """Create a tenant (exit 1 when the id exists)."""
    try:
        parse_slug(tenant_id, "tenant id")
    except ValueError as exc:
        raise failure(str(exc)) from exc
    engine = registry_engine(ctx)
    tenant = Tenant(id=tenant_id, name=name, language=language)
    try:
        with engine.begin() as connection:
            SqlTenantRepository(engine).add_tenant(tenant, time.time_ns(), connection=connection)
            audit_change(
                engine, "create", "tenant", tenant_id, tenant_id, asdict(tenant), connection
            )
    except Conflict as exc:
        raise failure(str(exc)) from exc
    say(f"added tenant {tenant_id} ({name})")


@app.command("list")
def list_tenants(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List tenants, by id."""
    tenants = SqlTenantRepository(registry_engine(ctx)).tenants(None)
    if as_json:
        out.print_json(json.dumps([asdict(tenant) for tenant in tenants]))
        return
    table = Table(Column("id", overflow="fold"), "name", "language")
    for tenant in tenants:
        table.add_row(tenant.id, tenant.name, tenant.language)
    out.print(table)


@app.command("remove")
def remove(
    ctx: typer.Context,
    tenant_id: Annotated[str, typer.Argument(metavar="ID", help="Tenant id.")],
) -> None:
    """Remove a tenant that has no sites or devices (exit 1 otherwise, or when absent)."""
    engine = registry_engine(ctx)
    try:
        with engine.begin() as connection:
            removed = SqlTenantRepository(engine).remove_tenant(tenant_id, connection=connection)
            # The entry keeps no tenant: the tenant is gone; only admins see tenant-less entries.
            if removed:
                audit_change(engine, "delete", "tenant", tenant_id, None, connection=connection)
    except Conflict as exc:
        raise failure(str(exc)) from exc
    if not removed:
        raise failure(f"no tenant {tenant_id!r}")
    say(f"removed tenant {tenant_id}")
