"""``lorahub devices``: register, import, list and remove devices."""

from __future__ import annotations

import getpass
import json
import os
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Table
from sqlalchemy import Engine

from lorahub.adapters.audit_sql import AuditEntry, SqlAuditLog, record
from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.sql_schema import create_database_engine
from lorahub.adapters.tenants_sql import Conflict
from lorahub.cli.catalog_access import catalog_of
from lorahub.cli.context import EXIT_FAILURE, err, out, settings_of
from lorahub.device_import import ImportReport
from lorahub.device_import import import_devices as import_rows
from lorahub.devices_csv import DeviceRow, parse_device_rows
from lorahub.domain.ids import parse_dev_eui

app = typer.Typer(help="Manage the device registry.", no_args_is_help=True)

IMPORT_CHUNK = 1000


def registry_engine(ctx: typer.Context) -> Engine:
    """The registry database of the settings, migrated to the current schema."""
    return create_database_engine(settings_of(ctx).registry.url)


def cli_actor() -> str:
    """Who changes the registry from the command line, for the audit log: ``cli:<OS user>``."""
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # a container user without a passwd entry or $USER
        user = f"uid{os.getuid()}"
    return f"cli:{user}"


def audit_change(
    engine: Engine,
    action: str,
    entity: str,
    entity_id: str,
    tenant: str | None,
    detail: dict[str, object] | None = None,
) -> None:
    """Record a change made from the command line (in its own transaction)."""
    entry = AuditEntry(time.time_ns(), cli_actor(), action, entity, entity_id, tenant, detail or {})
    SqlAuditLog(engine).add(entry)


@app.command("add")
def add(
    ctx: typer.Context,
    dev_eui: Annotated[str, typer.Argument(help="DevEUI, 16 hex characters.")],
    name: Annotated[str, typer.Option(help="Device name (unique within its site).")],
    model: Annotated[str, typer.Option(help="Catalog model id, e.g. elsys/ers-co2.")],
    tenant: Annotated[str, typer.Option(help="Tenant (municipality); see `lorahub tenants`.")],
    site: Annotated[str, typer.Option(help="Site of that tenant; see `lorahub sites`.")],
    empty_distance_m: Annotated[
        float | None, typer.Option(help="Distance reading of an empty box/bin (m).")
    ] = None,
    full_distance_m: Annotated[
        float | None, typer.Option(help="Distance reading of a full box/bin (m).")
    ] = None,
    expected_interval_s: Annotated[
        int | None, typer.Option(min=1, help="Seconds between uplinks (for offline checks).")
    ] = None,
) -> None:
    """Register one device (exit 1 when it exists or the site is not one of the tenant)."""
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
            expected_interval_s=expected_interval_s,
        )
    except ValueError as exc:
        err.print(f"[red]invalid device:[/red] {exc}")
        raise typer.Exit(EXIT_FAILURE) from exc
    if row.model not in catalog:
        err.print(
            f"[red]unknown model {row.model!r}[/red]; see the folders in {settings.catalog.dir}"
        )
        raise typer.Exit(EXIT_FAILURE)
    engine = registry_engine(ctx)
    device = row.to_device()
    now_ns = time.time_ns()
    try:
        # The device and its audit record commit together.
        with engine.begin() as connection:
            SqlDeviceRegistry(engine).add(device, now_ns, connection)
            entry = AuditEntry(now_ns, cli_actor(), "create", "device", device.dev_eui, tenant)
            record(connection, entry)
    except Conflict as exc:  # DuplicateDevice or WrongSite, each with its own message
        err.print(f"[red]cannot register {device.dev_eui}:[/red] {exc}")
        raise typer.Exit(EXIT_FAILURE) from exc
    out.print(f"registered {device.dev_eui} ({device.name})")


@app.command("import")
def import_devices(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="CSV file, or - for standard input.", allow_dash=True)
    ],
    as_json: Annotated[bool, typer.Option("--json", help="Print the report as JSON.")] = False,
) -> None:
    """Create or update devices from a CSV file.

    Columns: dev_eui,name,model,tenant,site[,empty_distance_m,full_distance_m,decoding,
    expected_interval_s]. Tenants and sites must exist, and each site must be of its row's
    tenant.

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
    engine = registry_engine(ctx)
    registry = SqlDeviceRegistry(engine)
    with Progress(console=err, disable=as_json or not rows) as progress:
        task = progress.add_task("importing devices", total=len(rows))
        try:
            report = import_rows(
                rows,
                registry,
                SqlAuditLog(engine),
                registry.site_tenants(),
                None,
                time.time_ns(),
                cli_actor(),
                chunk=IMPORT_CHUNK,
                progress=lambda done: progress.advance(task, done),
            )
        except Conflict as exc:  # a site changed tenant while importing
            err.print(f"[red]import stopped:[/red] {exc}")
            raise typer.Exit(EXIT_FAILURE) from exc
    _print_report(report, as_json=as_json)
    if report.rejected:
        raise typer.Exit(EXIT_FAILURE)


def _print_report(report: ImportReport, *, as_json: bool) -> None:
    if as_json:
        out.print_json(
            json.dumps(
                {
                    "created": report.created,
                    "updated": report.updated,
                    "rejected": [{"line": p.line, "reason": p.reason} for p in report.rejected],
                }
            )
        )
        return
    out.print(
        f"created {report.created}, updated {report.updated}, rejected {len(report.rejected)}",
        highlight=False,
    )
    for problem in report.rejected:
        out.print(f"  line {problem.line}: {problem.reason}", markup=False, highlight=False)


@app.command("list")
def list_devices(
    ctx: typer.Context,
    tenant: Annotated[str | None, typer.Option(help="Only devices of this tenant.")] = None,
    site: Annotated[str | None, typer.Option(help="Only devices of this site.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """List registered devices, by DevEUI."""
    registered = SqlDeviceRegistry(registry_engine(ctx)).list(None, tenant, site)
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
    engine = registry_engine(ctx)
    registry = SqlDeviceRegistry(engine)
    device = registry.get(row_eui)
    if device is None or not registry.remove(row_eui):
        err.print(f"[red]device {row_eui} is not registered[/red]")
        raise typer.Exit(EXIT_FAILURE)
    audit_change(engine, "delete", "device", row_eui, device.tenant)
    out.print(f"removed {row_eui}")
