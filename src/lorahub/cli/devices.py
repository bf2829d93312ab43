"""``lorahub devices``: register, import, list and remove devices."""

from __future__ import annotations

import json
import sys
import time
from pathlib import Path
from typing import Annotated

import typer
from rich.progress import Progress
from rich.table import Column, Table

from lorahub.adapters.audit_sql import AuditEntry, record
from lorahub.adapters.registry_sql import SqlDeviceRegistry
from lorahub.adapters.tenants_sql import Conflict
from lorahub.cli.catalog_access import catalog_of
from lorahub.cli.context import EXIT_FAILURE, err, failure, out, say, settings_of
from lorahub.cli.registry_access import audit_change, cli_actor, registry_engine
from lorahub.device_import import ImportReport
from lorahub.device_import import import_devices as import_rows
from lorahub.devices_csv import DeviceRow, parse_device_rows
from lorahub.domain.ids import parse_dev_eui

app = typer.Typer(help="Manage the device registry.", no_args_is_help=True)

IMPORT_CHUNK = 1000


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
        raise failure(f"invalid device: {exc}") from exc
    if row.model not in catalog:
        raise failure(f"unknown model {row.model!r}; see the folders in {settings.catalog.dir}")
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
        raise failure(f"cannot register {device.dev_eui}: {exc}") from exc
    say(f"registered {device.dev_eui} ({device.name})")


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
        raise failure(str(exc)) from exc
    engine = registry_engine(ctx)
    registry = SqlDeviceRegistry(engine)
    with Progress(console=err, disable=as_json or not rows) as progress:
        task = progress.add_task("importing devices", total=len(rows))
        try:
            report = import_rows(
                rows,
                registry,
                registry.site_tenants(),
                None,
                time.time_ns(),
                cli_actor(),
                chunk=IMPORT_CHUNK,
                progress=lambda done: progress.advance(task, done),
            )
        except Conflict as exc:  # a site changed tenant while importing
            raise failure(f"import stopped: {exc}") from exc
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
    say(f"created {report.created}, updated {report.updated}, rejected {len(report.rejected)}")
    for problem in report.rejected:
        say(f"  line {problem.line}: {problem.reason}")


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
    table = Table(Column("dev_eui", min_width=16, no_wrap=True), "name", "model")
    for heading in ("tenant", "site"):
        table.add_column(heading, overflow="fold")  # ids are never cut short with an ellipsis
    table.add_column("enabled")
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
        raise failure(str(exc)) from exc
    engine = registry_engine(ctx)
    registry = SqlDeviceRegistry(engine)
    device = registry.get(row_eui)
    with engine.begin() as connection:
        removed = device is not None and registry.remove(row_eui, connection=connection)
        if device is not None and removed:
            audit_change(engine, "delete", "device", row_eui, device.tenant, connection=connection)
    if device is None or not removed:
        raise failure(f"device {row_eui} is not registered")
    say(f"removed {row_eui}")
