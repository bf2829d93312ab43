"""``lorahub catalog``: list the device models, run their vectors, add a JavaScript codec model."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from lorahub.catalog_scaffold import (
    parse_example,
    recorded_examples,
    scaffold_js_model,
    ttn_examples,
)
from lorahub.cli.catalog_access import catalog_of
from lorahub.cli.context import EXIT_FAILURE, err, out, settings_of
from lorahub.decoding.js_codec import JsCodec, JsLimits
from lorahub.decoding.vectors import ModelReport, check_model
from lorahub.errors import ConfigError

app = typer.Typer(help="The device catalog (decoders/).", no_args_is_help=True)


@app.command("list")
def list_models(
    ctx: typer.Context,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Every device model with family, vendor, codec kind and vector count."""
    catalog = catalog_of(settings_of(ctx))
    rows = [
        {
            "id": model.id,
            "vendor": model.vendor,
            "name": model.name,
            "family": model.family,
            "codec": model.codec,
            "f_ports": list(model.f_ports),
            "vectors": len(model.vectors),
            "folder": str(model.folder),
        }
        for model in catalog.values()
    ]
    if as_json:
        out.print_json(json.dumps(rows))
        return
    table = Table("id", "family", "vendor", "codec", "vectors")
    for row in rows:
        table.add_row(
            str(row["id"]), str(row["family"]), str(row["vendor"]), str(row["codec"]),
            str(row["vectors"]),
        )  # fmt: skip
    out.print(table)


@app.command("test")
def run_vectors(
    ctx: typer.Context,
    model: Annotated[str | None, typer.Option("--model", "-m", help="Only this model.")] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Run every model's vectors; exit 1 when any fails."""
    catalog = catalog_of(settings_of(ctx))
    selected = [m for m in catalog.values() if model is None or m.id == model]
    if not selected:
        err.print(f"[red]unknown model {model!r}[/red]")
        raise typer.Exit(EXIT_FAILURE)
    reports = [check_model(device_model) for device_model in selected]
    if as_json:
        out.print_json(json.dumps([_report_json(report) for report in reports]))
    else:
        _print_reports(reports)
    if any(report.failures for report in reports):
        raise typer.Exit(EXIT_FAILURE)


def _report_json(report: ModelReport) -> dict[str, object]:
    return {
        "model": report.model.id,
        "codec": report.model.codec,
        "vectors": len(report.model.vectors),
        "passed": report.passed,
        "failed": [
            {"vector": f.index, "description": f.description, "detail": f.detail}
            for f in report.failures
        ],
    }


def _print_reports(reports: list[ModelReport]) -> None:
    table = Table("model", "codec", "vectors", "passed", "failed")
    for report in reports:
        failed = len(report.failures)
        table.add_row(
            report.model.id, report.model.codec, str(len(report.model.vectors)),
            str(report.passed), f"[red]{failed}[/red]" if failed else "0",
        )  # fmt: skip
    out.print(table)
    for report in reports:
        for failure in report.failures:
            out.print(f"[red]{report.model.id}#{failure.index}[/red] {failure.detail}")


@app.command("add-js")
def add_js(
    ctx: typer.Context,
    model_id: Annotated[str, typer.Argument(metavar="VENDOR/MODEL", help="New model id.")],
    codec_file: Annotated[Path, typer.Argument(metavar="CODEC.js", exists=True, dir_okay=False)],
    examples: Annotated[
        Path | None,
        typer.Option(help="TTN codec YAML whose uplinkDecoder.examples become the vectors."),
    ] = None,
    example: Annotated[
        list[str] | None,
        typer.Option(help="FPORT:HEX payload; the codec's output is recorded as a vector."),
    ] = None,
    family: Annotated[str, typer.Option(help="environment, occupancy, fill-level, generic.")] = (
        "generic"
    ),
) -> None:
    """Create decoders/VENDOR/MODEL with codec.js, device.toml and vectors.yaml."""
    settings = settings_of(ctx)
    source = codec_file.read_text("utf-8")
    try:
        vectors = ttn_examples(examples.read_text("utf-8")) if examples else []
        payloads = [parse_example(text) for text in example or []]
        if payloads:
            codec = JsCodec(source, str(codec_file), JsLimits())
            vectors += recorded_examples(codec, payloads)
        made = scaffold_js_model(settings.catalog.dir, model_id, source, vectors, family)
    except (ValueError, ConfigError) as exc:
        err.print(f"[red]{exc}[/red]")
        raise typer.Exit(EXIT_FAILURE) from exc
    out.print(f"created {made.folder} with {made.vectors} vectors")
    if made.output_keys:
        out.print(f"map these fields in device.toml: {', '.join(made.output_keys)}")
