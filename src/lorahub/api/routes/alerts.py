"""/alerts: the alerts of the caller's tenants, their history, and acknowledging them."""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from pydantic import JsonValue

from lorahub.adapters.tenants_sql import Conflict
from lorahub.api.alert_schemas import Acknowledgement, AlertDetail, AlertPublic, HistoryPublic
from lorahub.api.audit_trail import audited
from lorahub.api.deps import PrincipalDep, ServicesDep, require_manage
from lorahub.api.problems import not_found, unprocessable
from lorahub.domain.ids import SLUG_PATTERN, parse_dev_eui

StateFilter = Annotated[
    list[Literal["firing", "acknowledged", "resolved"]] | None,
    Query(description="only alerts in these states"),
]


AlertId = Annotated[int, Path(ge=1, le=2**31 - 1, description="an alert id")]


def add_routes(app: APIRouter, prefix: str) -> None:
    """Add the alert routes under ``prefix``."""
    base = f"{prefix}/alerts"
    tags: list[str | Enum] = ["alerts"]
    app.add_api_route(base, list_alerts, tags=tags, methods=["GET"])
    app.add_api_route(f"{base}/{{alert_id}}", read_alert, tags=tags, methods=["GET"])
    app.add_api_route(
        f"{base}/{{alert_id}}/acknowledge", acknowledge_alert, tags=tags, methods=["POST"]
    )


def list_alerts(
    services: ServicesDep,
    principal: PrincipalDep,
    tenant: Annotated[str | None, Query(pattern=SLUG_PATTERN)] = None,
    state: StateFilter = None,
    dev_eui: Annotated[str | None, Query(description="only this device")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> list[AlertPublic]:
    """Alerts of the caller's tenants, newest first."""
    try:
        device = parse_dev_eui(dev_eui) if dev_eui is not None else None
    except ValueError as exc:
        raise unprocessable(("query", "dev_eui"), str(exc)) from exc
    records = services.alerts.find(principal.scope(), tenant, state or (), device, limit)
    return [AlertPublic.of(record) for record in records]


def read_alert(alert_id: AlertId, services: ServicesDep, principal: PrincipalDep) -> AlertDetail:
    """One alert with its history."""
    record = services.alerts.get(alert_id, principal.scope())
    if record is None:
        raise not_found("alert", str(alert_id))
    history = [HistoryPublic.of(entry) for entry in services.alerts.history(alert_id)]
    return AlertDetail(**AlertPublic.of(record).model_dump(), history=history)


def acknowledge_alert(
    alert_id: AlertId, body: Acknowledgement, services: ServicesDep, principal: PrincipalDep
) -> AlertPublic:
    """Acknowledge a firing alert (stops re-notification); 409 when it is not firing."""
    record = services.alerts.get(alert_id, principal.scope())
    if record is None:
        raise not_found("alert", str(alert_id))
    require_manage(principal, record.tenant, "alert", str(alert_id))
    detail: dict[str, JsonValue] = {"comment": body.comment}
    with audited(
        services, principal, "acknowledge", ("alert", str(alert_id)), record.tenant, detail
    ) as connection:
        acked = services.acknowledger.acknowledge(
            alert_id, principal.name, body.comment, services.clock(), connection
        )
        if acked is None:
            raise Conflict(f"alert {alert_id} is {record.state}, not firing")
    return AlertPublic.of(acked)
