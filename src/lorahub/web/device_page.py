"""``/devices/{dev_eui}``: one device, its latest readings and its alerts (the link in alerts).

Everyone who may read the device's tenant sees it; its operators and admins may acknowledge a
firing alert from here (the channels are told, as from the API).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import Annotated

from fastapi import FastAPI, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from lorahub.adapters.alerts_sql import AlertRecord
from lorahub.api.audit_trail import audited
from lorahub.api.deps import ServicesDep
from lorahub.api.services import ApiServices
from lorahub.domain.device import Device
from lorahub.domain.ids import parse_dev_eui
from lorahub.domain.quantities import QUANTITIES
from lorahub.domain.tenancy import Principal
from lorahub.web.context import WebDep
from lorahub.web.fleet import local_time, signal_text
from lorahub.web.i18n import negotiate, text
from lorahub.web.pages import message_page
from lorahub.web.session import PagePrincipal, login_redirect

RECENT_ALERTS = 20


@dataclass(frozen=True, slots=True)
class AlertRow:
    """One alert as the device page lists it."""

    id: int
    rule: str
    severity: str
    state: str
    value: str
    since: str
    acked_by: str | None
    comment: str | None


def add_routes(app: FastAPI) -> None:
    """Add the device page and its acknowledge form (not part of the API schema)."""
    app.add_api_route("/devices/{dev_eui}", device_page, methods=["GET"], include_in_schema=False)
    app.add_api_route(
        "/devices/{dev_eui}/alerts/{alert_id}/acknowledge",
        acknowledge,
        methods=["POST"],
        include_in_schema=False,
    )


def device_page(
    dev_eui: str,
    request: Request,
    services: ServicesDep,
    web: WebDep,
    principal: PagePrincipal,
    lang: Annotated[str | None, Query(max_length=5)] = None,
) -> Response:
    """The device's facts, latest readings and recent alerts; 404 outside the caller's tenants."""
    if principal is None:
        return login_redirect(request)
    device = _device(services, principal, dev_eui)
    if device is None:
        return message_page(request, web, lang, 404)
    tenant = services.tenants.tenant(device.tenant, principal.scope())
    language = negotiate(
        lang, request.headers.get("accept-language"), tenant.language if tenant else "de"
    )
    site = services.tenants.site(device.site, principal.scope())
    seen = services.state.activity(device.dev_eui)
    alerts = services.alerts.find(principal.scope(), dev_eui=device.dev_eui, limit=RECENT_ALERTS)
    values = {
        "device": device,
        "site_name": site.name if site else device.site,
        "last_seen": local_time(seen.last_seen_ns, web.zone) if seen else text("never", language),
        "signal": signal_text(seen),
        "readings": [
            (name, _with_unit(name, value))
            for name, value in sorted((seen.readings if seen else {}).items())
        ],
        "alerts": [_row(alert, web.zone) for alert in alerts],
        "can_acknowledge": principal.can_manage(device.tenant),
        "signed_in": True,
        "switch_url": f"/devices/{device.dev_eui}?lang={'en' if language == 'de' else 'de'}",
    }
    return web.render(request, "device.html", language, values)


def acknowledge(
    dev_eui: str,
    alert_id: int,
    request: Request,
    services: ServicesDep,
    web: WebDep,
    principal: PagePrincipal,
    comment: Annotated[str | None, Form(max_length=2000)] = None,
) -> Response:
    """Acknowledge a firing alert of the device, then show the device page again."""
    if principal is None:
        return login_redirect(request)
    device = _device(services, principal, dev_eui)
    record = services.alerts.get(alert_id, principal.scope())
    if device is None or record is None or record.dev_eui != device.dev_eui:
        return message_page(request, web, None, 404)
    if not principal.can_manage(device.tenant):
        return message_page(request, web, None, 403)
    note = comment.strip() if comment and comment.strip() else None
    with audited(
        services,
        principal,
        "acknowledge",
        ("alert", str(alert_id)),
        device.tenant,
        {"comment": note},
    ) as connection:
        services.acknowledger.acknowledge(
            alert_id, principal.name, note, services.clock(), connection
        )
    return RedirectResponse(f"/devices/{device.dev_eui}", status_code=303)


def _device(services: ApiServices, principal: Principal, dev_eui: str) -> Device | None:
    try:
        return services.registry.get(parse_dev_eui(dev_eui), principal.scope())
    except ValueError:
        return None


def _row(alert: AlertRecord, zone: tzinfo) -> AlertRow:
    value = "" if alert.value is None else _with_unit(alert.quantity or "", alert.value)
    return AlertRow(
        id=alert.id,
        rule=alert.rule,
        severity=alert.severity,
        state=alert.state,
        value=value,
        since=local_time(alert.started_ns, zone),
        acked_by=alert.acknowledged_by,
        comment=alert.ack_comment,
    )


def _with_unit(quantity: str, value: float) -> str:
    known = QUANTITIES.get(quantity)
    return f"{value:g} {known.unit}" if known is not None and known.unit != "1" else f"{value:g}"
