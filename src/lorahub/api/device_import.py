"""Bulk device import over HTTP: read a CSV or JSON body into rows for the shared import service.

``lorahub.device_import.import_devices`` (also behind ``lorahub devices import``) checks tenancy
per row and writes; this module only turns the request body into parsed rows, refusing a row
the API's field rules refuse (lengths, control characters, slugs) as well as the parser's.
"""

from __future__ import annotations

import csv
import json

from fastapi import status
from fastapi.exceptions import HTTPException
from pydantic import ValidationError

from lorahub.api.device_schemas import DeviceCreate, ImportReport, RowRejection
from lorahub.api.problems import plain_message, unprocessable
from lorahub.api.services import ApiServices
from lorahub.decoding.catalog import Catalog
from lorahub.device_import import import_devices
from lorahub.devices_csv import ParsedRow, RowProblem, parse_device_rows
from lorahub.domain.tenancy import Principal

IMPORT_BODY: dict[str, object] = {
    "requestBody": {
        "required": True,
        "content": {
            "text/csv": {"schema": {"type": "string"}},
            "application/json": {
                "schema": {"type": "array", "items": {"$ref": "#/components/schemas/DeviceCreate"}}
            },
        },
    }
}
"""OpenAPI request body of ``POST /devices/import`` (read by hand: FastAPI cannot infer it)."""


def read_import_body(media_type: str, body: bytes, catalog: Catalog) -> list[ParsedRow]:
    """Parse an import body into rows, in body order.

    Args:
        media_type: ``text/csv`` or ``application/json``.
        body: the raw request body.
        catalog: rows naming a model outside it are refused.

    Returns:
        One row per CSV line or JSON list element: a device, or the problem that refused it.

    Raises:
        HTTPException: 415 for another media type, 422 when the body as a whole is unreadable.
    """
    match media_type:
        case "text/csv":
            return _read_csv(body, catalog)
        case "application/json":
            return _read_json(body, catalog)
        case _:
            raise HTTPException(
                status.HTTP_415_UNSUPPORTED_MEDIA_TYPE,
                detail=f"send text/csv or application/json, not {media_type or 'no content type'}",
            )


def import_rows(services: ApiServices, principal: Principal, rows: list[ParsedRow]) -> ImportReport:
    """Write the valid rows through the shared import service and report the rest.

    Args:
        services: repositories and clock.
        principal: the caller; rows of tenants outside its scope are refused.
        rows: from ``read_import_body``.

    Returns:
        How many devices were created and updated, and every refused row with its reason.
    """
    report = import_devices(
        rows,
        services.registry,
        services.registry.site_tenants(),
        principal.scope(),
        services.clock(),
        principal.name,
    )
    return ImportReport(
        created=report.created,
        updated=report.updated,
        rejected=[RowRejection(row=p.line, reason=p.reason) for p in report.rejected],
    )


def _read_csv(body: bytes, catalog: Catalog) -> list[ParsedRow]:
    try:
        text = body.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise unprocessable(("body",), f"the CSV is not UTF-8: {exc}") from exc
    if "\x00" in text:
        raise unprocessable(("body",), "the CSV must not contain NUL characters")
    try:
        parsed = list(parse_device_rows(text, catalog))
    except (ValueError, csv.Error) as exc:
        raise unprocessable(("body",), f"malformed CSV: {exc}") from exc
    rows: list[ParsedRow] = []
    for row in parsed:
        if row.problem is not None:
            reason = row.problem.reason.replace(": Value error, ", ": ")
            rows.append(ParsedRow(row.line, None, RowProblem(row.line, reason)))
        elif row.device is not None:
            rows.append(_checked(row.line, row.device.to_dict(), catalog, set()))
    return rows


def _read_json(body: bytes, catalog: Catalog) -> list[ParsedRow]:
    try:
        items = json.loads(body)
    except (ValueError, RecursionError) as exc:
        raise unprocessable(("body",), f"malformed JSON: {exc}") from exc
    if not isinstance(items, list):
        raise unprocessable(("body",), "expected a JSON list of devices")
    seen: set[str] = set()
    return [_checked(index, item, catalog, seen) for index, item in enumerate(items, start=1)]


def _checked(line: int, fields: object, catalog: Catalog, seen: set[str]) -> ParsedRow:
    """One row through the API's field rules, the catalog and the no-repeat rule."""
    try:
        device = DeviceCreate.model_validate(fields).device()
    except ValidationError as exc:
        reason = "; ".join(
            f"{'.'.join(str(part) for part in error['loc']) or 'row'}: "
            + plain_message(error["msg"])
            for error in exc.errors()
        )
        return ParsedRow(line, None, RowProblem(line, reason))
    if device.model not in catalog:
        return ParsedRow(line, None, RowProblem(line, f"model: unknown model {device.model!r}"))
    if device.dev_eui in seen:
        reason = f"dev_eui: {device.dev_eui} repeats an earlier row"
        return ParsedRow(line, None, RowProblem(line, reason))
    seen.add(device.dev_eui)
    return ParsedRow(line, device, None)
