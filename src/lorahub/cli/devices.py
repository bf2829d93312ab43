"""``lorahub devices``: register, import, list and remove devices."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table

from lorahub.adapters.registry_sql import DuplicateDevice, SqlDeviceRegistry
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.cli.catalog_access import catalog_of
from lorahub.cli.context import EXIT_FAILURE, err, out, settings_of
from lorahub.devices_csv import DeviceRow, ParsedRow, parse_device_rows
from lorahub.domain.ids import parse_dev_eui

app = typer.Typer(help="Manage the device registry.", no_args_is_help=True)

IMPORT_CHUNK = 1000


def _registry(ctx: typer.Context) -> SqlDeviceRegistry:
    return SqlDeviceRegistry(create_database_engine(settings_of(ctx).registry.url))


@app.command("add")
def add(
    ctx: typer.Context,
    dev_eui: Annotated[str, typer.Argument(help="DevEUI, 16 hex characters.")],
    name: Annotated[str, typer.Option(help="Device name (unique within its site).")],
    model: Annotated[str, typer.Option(help="Catalog model id, e.g. elsys/ers-co2.")],
    tenant: Annotated[str, typer.Option(help="Tenant (municipality).")],
    site: Annotated[str, typer.Option(help="Site (hub, room, parcel station...).")],
    empty_distance_m: Annotated[
        float | None, typer.Option(help="Distance reading of an empty box/bin (m).")
    ] = None,
    full_distance_m: Annotated[
        float | None, typer.Option(help="Distance reading of a full box/bin (m).")
    ] = None,
) -> None:
    """Register one device."""
    settings = settings_of(ctx)
    catalog = catalog_of(settings)
    try:
        row = DeviceRow(
            dev_eui=dev_eui,
            name=name,
            model=model,
            tenant=tenant,
            site=site,
            empty_distance_m=empty_distance_m,
            full_distance_m=full_distance_m,
        )
    except ValueError as exc:
        err.print(f"[red]invalid device:[/red] {exc}")
        raise typer.Exit(EXIT_FAILURE) from exc
    if row.model not in catalog:
        err.print(
            f"[red]unknown model {row.model!r}[/red]; see the folders in {settings.catalog.dir}"
        )
        raise typer.Exit(EXIT_FAILURE)
    try:
        _registry(ctx).add(row.to_device(), time.time_ns())
    except DuplicateDevice as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_FAILURE) from exc
    out.print(f"registered {row.dev_eui} ({row.name})")


@app.command("import")
def import_devices(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV file, or - for standard input.", allow_dash=True)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Create or update devices from a CSV file.

    Columns: dev_eui,name,model,tenant,site[,empty_distance_m,full_distance_m].

    Exits 1 when any row was rejected (the valid rows are imported all the same).
    """
    settings = settings_of(ctx)
    catalog = catalog_of(settings)
    text = sys.stdin.read() if str(file) == "-" else file.read_text("utf-8")
    try:
        rows = list(parse_device_rows(text, catalog))
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_FAILURE) from exc
    registry = _registry(ctx)
    valid = [row.device for row in rows if row.device is not None]
    created = updated = 0
    with Progress(console=err, disable=as_json or not valid) as progress:
        task = progress.add_task("importing devices", total=len(valid))
        for start in range(0, len(valid), IMPORT_CHUNK):
            chunk = valid[start : start + IMPORT_CHUNK]
            result = registry.upsert(chunk, time.time_ns())
            created += result.created
            updated += result.updated
            progress.advance(task, len(chunk))
    _report(rows, created, updated, as_json=as_json)
    if any(row.problem for row in rows):
        raise typer.Exit(EXIT_FAILURE)


def _report(rows: list[ParsedRow], created: int, updated: int, *, as_json: bool) -> None:
    problems = [row.problem for row in rows if row.problem is not None]
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "created": created,
                    "updated": updated,
                    "rejected": [{"line": p.line, "reason": p.reason} for p in problems],
                }
            )
        )
        return
    out.print(f"created {created}, updated {updated}, rejected {len(problems)}")
    for problem in problems:
        out.print(f"  line {problem.line}: {problem.reason}")


@app.command("list")
def list_devices(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List registered devices."""
    registered = list(_registry(ctx).load_all().values())
    if as_json:
        out.print_json(json.dumps([device.to_dict() for device in registered]))
        return
    table = Table("dev_eui", "name", "model", "tenant", "site", "enabled")
    for device in registered:
        table.add_row(
            device.dev_eui,
            device.name,
            device.model,
            device.tenant,
            device.site,
            str(device.enabled),
        )
    out.print(table)


@app.command("remove")
def remove(
    ctx: typer.Context, dev_eui: Annotated[str, typer.Argument(help="DevEUI to remove.")]
) -> None:
    """Remove a device from the registry (exit 1 when it was not registered)."""
    try:
        row_eui = parse_dev_eui(dev_eui)
    except ValueError as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_FAILURE) from exc
    if not _registry(ctx).remove(row_eui):
        err.print(f"[red]device {row_eui} is not registered[/red]")
        raise typer.Exit(EXIT_FAILURE)
    out.print(f"removed {row_eui}")
