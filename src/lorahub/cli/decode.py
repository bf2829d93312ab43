"""``lorahub decode``: decode one payload with a catalog model and print its readings."""

from __future__ import annotations

import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from lorahub.cli.catalog_access import catalog_of
from lorahub.cli.context import EXIT_FAILURE, err, out, settings_of
from lorahub.decoding.fieldmap import normalize
from lorahub.domain.ids import ModelId
from lorahub.domain.quantities import QUANTITIES
from lorahub.errors import DecodeError


def decode_command(
    ctx: typer.Context,
    payload_hex: Annotated[
        str, typer.Argument(metavar="HEX", help="Payload in hex, or - for stdin.")
    ],
    model: Annotated[str, typer.Option("--model", "-m", help="Catalog model id.")],
    fport: Annotated[int, typer.Option("--fport", "-p", min=1, max=255, help="LoRaWAN fPort.")],
    vendor_fields: Annotated[
        bool, typer.Option("--vendor-fields", help="Print the codec's own fields, not readings.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Decode a payload (exit 1 when it does not decode)."""
    settings = settings_of(ctx)
    catalog = catalog_of(settings)
    text = sys.stdin.read() if payload_hex == "-" else payload_hex
    device_model = catalog.get(ModelId(model))
    if device_model is None:
        err.print(f"[red]unknown model {model!r}[/red]; known: {', '.join(sorted(catalog))}")
        raise typer.Exit(EXIT_FAILURE)
    try:
        payload = bytes.fromhex("".join(text.split()))
    except ValueError as exc:
        err.print(f"[red]not hex:[/red] {exc}")
        raise typer.Exit(EXIT_FAILURE) from exc
    try:
        vendor = device_model.decode_vendor(payload, fport)
    except DecodeError as exc:
        err.print(f"[red]decode failed:[/red] {exc.message}")
        raise typer.Exit(EXIT_FAILURE) from exc
    if vendor is None:
        err.print(f"[red]model {model} has no decoder of its own[/red] (codec 'lns')")
        raise typer.Exit(EXIT_FAILURE)
    if vendor_fields:
        out.print_json(json.dumps(vendor))
        return
    readings = normalize(vendor, device_model.rules, device_model.calibration)
    if as_json:
        out.print_json(json.dumps(readings))
        return
    table = Table("quantity", "value", "unit")
    for name, value in readings.items():
        table.add_row(name, str(value), QUANTITIES[name].unit)
    out.print(table)
