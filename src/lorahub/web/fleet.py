"""``/fleet``: the devices of the caller's tenants, last seen, battery and signal (operators)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import Annotated

from fastapi import FastAPI, Query, Request
from fastapi.responses import Response

from lorahub.adapters.device_state_sql import DeviceActivity
from lorahub.api.deps import ServicesDep
from lorahub.api.services import ApiServices
from lorahub.domain.device import Device
from lorahub.domain.tenancy import Language, Principal
from lorahub.web.context import WebDep
from lorahub.web.i18n import negotiate, text
from lorahub.web.pages import message_page
from lorahub.web.session import PagePrincipal, login_redirect

PAGE_SIZE = 500
OVERDUE_FACTOR = 2
"""A device is overdue when it was not heard for twice its expected uplink interval."""


@dataclass(frozen=True, slots=True)
class FleetRow:
    """One device as the fleet table shows it."""

    name: str
    dev_eui: str
    model: str
    tenant: str
    site: str
    last_seen: str
    overdue: bool
    battery: str
    signal: str


def add_routes(app: FastAPI) -> None:
    """Add ``/fleet`` (not part of the API schema)."""
    app.add_api_route("/fleet", fleet_page, methods=["GET"], include_in_schema=False)


def fleet_page(
    request: Request,
    services: ServicesDep,
    web: WebDep,
    principal: PagePrincipal,
    lang: Annotated[str | None, Query(max_length=5)] = None,
) -> Response:
    """The fleet of the caller's tenants; operators and admins only (viewers get 403)."""
    if principal is None:
        return login_redirect(request)
    if principal.role not in ("admin", "operator"):
        return message_page(request, web, lang, 403)
    language = negotiate(
        lang, request.headers.get("accept-language"), _language(services, principal)
    )
    devices = services.registry.list(principal.scope())
    shown = devices[:PAGE_SIZE]
    activity = {
        item.dev_eui: item for item in services.state.activities([d.dev_eui for d in shown])
    }
    now_ns = services.clock()
    rows = [
        _row(device, activity.get(device.dev_eui), now_ns, web.zone, language) for device in shown
    ]
    values = {
        "rows": rows,
        "total": len(devices),
        "signed_in": True,
        "switch_url": f"/fleet?lang={'en' if language == 'de' else 'de'}",
    }
    return web.render(request, "fleet.html", language, values)


def _language(services: ApiServices, principal: Principal) -> Language:
    tenants = services.tenants.tenants(principal.scope())
    return tenants[0].language if len(tenants) == 1 else "de"


def _row(
    device: Device, seen: DeviceActivity | None, now_ns: int, zone: tzinfo, language: Language
) -> FleetRow:
    last_seen, overdue = text("never", language), False
    battery = "-"
    signal = signal_text(seen)
    if seen is not None:
        last_seen = local_time(seen.last_seen_ns, zone)
        if device.expected_interval_s:
            limit_ns = OVERDUE_FACTOR * device.expected_interval_s * 1_000_000_000
            overdue = now_ns - seen.last_seen_ns > limit_ns
        if "battery" in seen.readings:
            battery = f"{seen.readings['battery']:.0f} %"
        elif "battery_voltage" in seen.readings:
            battery = f"{seen.readings['battery_voltage']:.2f} V"
    return FleetRow(
        name=device.name,
        dev_eui=device.dev_eui,
        model=device.model,
        tenant=device.tenant,
        site=device.site,
        last_seen=last_seen,
        overdue=overdue,
        battery=battery,
        signal=signal,
    )


def signal_text(seen: DeviceActivity | None) -> str:
    """The best gateway's RSSI and SNR of the last uplink (``-`` when unknown)."""
    if seen is None or seen.rssi is None:
        return "-"
    snr = "-" if seen.snr is None else f"{seen.snr:.1f} dB"
    return f"{seen.rssi:.0f} dBm / {snr}"


def local_time(time_ns: int, zone: tzinfo) -> str:
    """A moment as the pages show it: date and minute in the pages' time zone."""
    return datetime.fromtimestamp(time_ns / 1e9, zone).strftime("%Y-%m-%d %H:%M")
