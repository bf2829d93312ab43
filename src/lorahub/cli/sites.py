"""``lorahub sites``: add, list and remove the sites of tenants."""

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
from lorahub.domain.tenancy import Site, SiteKind

app = typer.Typer(
    help="Manage sites: village hubs, rooms, parcel stations, public places.",
    no_args_is_help=True,
)


@app.command("add")
def add(
    ctx: typer.Context,
    site_id: Annotated[str, typer.Argument(metavar="ID", help="Site id, e.g. lindenau-hub.")],
    tenant: Annotated[str, typer.Option(help="Tenant the site belongs to.")],
    name: Annotated[str, typer.Option(help="Display name.")],
    kind: Annotated[SiteKind, typer.Option(help="What kind of place it is.")],
    parent: Annotated[
        str | None, typer.Option(help="Enclosing site of the same tenant (a room's hub).")
    ] = None,
    address: Annotated[str | None, typer.Option(help="Postal address.")] = None,
    latitude: Annotated[float | None, typer.Option(min=-90, max=90, help="WGS84 latitude.")] = None,
    longitude: Annotated[
        float | None, typer.Option(min=-180, max=180, help="WGS84 longitude.")
    ] = None,
    capacity: Annotated[
        int | None, typer.Option(min=0, help="People (rooms) or compartments (stations).")
    ] = None,
    public: Annotated[
        bool, typer.Option("--public", help="Show the site on the public occupancy page.")
    ] = False,
) -> None:
    """Create a site (exit 1 when the id exists, the tenant does not, or the parent is foreign)."""
    try:
        parse_slug(site_id, "site id")
    except ValueError as exc:
        raise failure(str(exc)) from exc
    site = Site(
        id=site_id,
        tenant=tenant,
        name=name,
        kind=kind,
        parent=parent,
        address=address,
        latitude=latitude,
        longitude=longitude,
        capacity=capacity,
        public=public,
    )
    engine = registry_engine(ctx)
    try:
        with engine.begin() as connection:
            SqlTenantRepository(engine).add_site(site, time.time_ns(), connection=connection)
            audit_change(engine, "create", "site", site_id, tenant, asdict(site), connection)
    except Conflict as exc:
        raise failure(str(exc)) from exc
    say(f"added site {site_id} ({name}) to tenant {tenant}")


@app.command("list")
def list_sites(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option(help="Only sites of this tenant.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List sites, by id."""
    sites = SqlTenantRepository(registry_engine(ctx)).sites(None, tenant)
    if as_json:
        out.print_json(json.dumps([asdict(site) for site in sites]))
        return
    table = Table(
        Column("id", overflow="fold"),  # ids are never cut short with an ellipsis
        Column("tenant", overflow="fold"),
        "name",
        "kind",
        Column("parent", overflow="fold"),
        "capacity",
        "public",
    )
    for site in sites:
        table.add_row(
            site.id,
            site.tenant,
            site.name,
            site.kind,
            site.parent or "",
            "" if site.capacity is None else str(site.capacity),
            "yes" if site.public else "no",
        )
    out.print(table)


@app.command("remove")
def remove(
    ctx: typer.Context,
    site_id: Annotated[str, typer.Argument(metavar="ID", help="Site id.")],
) -> None:
    """Remove a site without devices or rooms (exit 1 otherwise, or when absent)."""
    engine = registry_engine(ctx)
    repository = SqlTenantRepository(engine)
    site = repository.site(site_id, None)
    try:
        with engine.begin() as connection:
            removed = site is not None and repository.remove_site(site_id, connection=connection)
            if site is not None and removed:
                audit_change(engine, "delete", "site", site_id, site.tenant, connection=connection)
    except Conflict as exc:
        raise failure(str(exc)) from exc
    if site is None or not removed:
        raise failure(f"no site {site_id!r}")
    say(f"removed site {site_id}")
