"""Tenant isolation over every route and role: another tenant's data is never seen or changed."""

from __future__ import annotations

import json
from dataclasses import dataclass, field

import pytest
from fastapi.routing import APIRoute

from lorahub.adapters.channels_sql import SqlChannelRepository
from lorahub.adapters.deliveries_sql import SqlDeliveryOutbox
from lorahub.domain.tenancy import Principal
from tests.api.conftest import (
    A_CHANNEL,
    A_DEV,
    A_HUB,
    A_ROOM,
    B_CHANNEL,
    B_DEV,
    B_HUB,
    MODEL,
    PENDING,
    A,
    B,
    World,
)

V1 = "/api/v1"


@dataclass(frozen=True)
class Call:
    """One request."""

    method: str
    url: str
    json: object = None


@dataclass(frozen=True)
class Case:
    """How a route answers each role when aimed at tenant B, and (for writes) at tenant A."""

    other: Call
    expect: dict[str, int]
    own: Call | None = None
    own_expect: dict[str, int] = field(default_factory=dict)
    listing: bool = False


def _device(dev_eui: str, tenant: str, site: str) -> dict[str, str]:
    return {"dev_eui": dev_eui, "name": "new", "model": MODEL, "tenant": tenant, "site": site}


def _claim(tenant: str, site: str) -> dict[str, str]:
    return {"name": "claimed", "model": MODEL, "tenant": tenant, "site": site}


def _site(site_id: str, tenant: str) -> dict[str, str]:
    return {"id": site_id, "tenant": tenant, "name": "Paketstation", "kind": "parcel_station"}


def _rule(rule_id: str) -> dict[str, object]:
    return {
        "kind": "threshold",
        "id": rule_id,
        "name": "Warm",
        "quantity": "temperature",
        "above": 30,
    }


def _channel(tenant: str) -> dict[str, str]:
    return {"tenant": tenant, "name": "Neu", "url": "json://127.0.0.1:1/hook"}


def _reads(ok: int = 200) -> dict[str, int]:
    return {"admin": ok, "operator": 404, "viewer": 404}


def _lists(viewer: int = 200) -> dict[str, int]:
    return {"admin": 200, "operator": 200, "viewer": viewer}


def _writes(ok: int) -> dict[str, int]:
    return {"operator": ok, "viewer": 403}


CASES: dict[tuple[str, str], Case] = {
    ("GET", "/tenants"): Case(Call("GET", "/tenants"), _lists(), listing=True),
    ("POST", "/tenants"): Case(
        Call("POST", "/tenants", {"id": "c", "name": "C"}),
        {"admin": 201, "operator": 403, "viewer": 403},
    ),
    ("GET", "/tenants/{tenant_id}"): Case(Call("GET", f"/tenants/{B}"), _reads()),
    ("PATCH", "/tenants/{tenant_id}"): Case(
        Call("PATCH", f"/tenants/{B}", {"name": "X"}),
        _reads(),
        Call("PATCH", f"/tenants/{A}", {"name": "X"}),
        _writes(200),
    ),
    ("DELETE", "/tenants/{tenant_id}"): Case(
        Call("DELETE", f"/tenants/{B}"),
        _reads(409),  # the admin gets through to "still has sites"
        Call("DELETE", f"/tenants/{A}"),
        {"operator": 403, "viewer": 403},
    ),
    ("GET", "/sites"): Case(Call("GET", "/sites"), _lists(), listing=True),
    ("POST", "/sites"): Case(
        Call("POST", "/sites", _site("bergdorf-new", B)),
        _reads(201),
        Call("POST", "/sites", _site("altdorf-new", A)),
        _writes(201),
    ),
    ("GET", "/sites/{site_id}"): Case(Call("GET", f"/sites/{B_HUB}"), _reads()),
    ("PATCH", "/sites/{site_id}"): Case(
        Call("PATCH", f"/sites/{B_HUB}", {"capacity": 3}),
        _reads(),
        Call("PATCH", f"/sites/{A_HUB}", {"capacity": 3}),
        _writes(200),
    ),
    ("DELETE", "/sites/{site_id}"): Case(
        Call("DELETE", f"/sites/{B_HUB}"),
        _reads(409),
        Call("DELETE", f"/sites/{A_ROOM}"),
        _writes(204),
    ),
    ("GET", "/devices"): Case(Call("GET", "/devices"), _lists(), listing=True),
    ("POST", "/devices"): Case(
        Call("POST", "/devices", _device("70b3d57ed000b002", B, B_HUB)),
        _reads(201),
        Call("POST", "/devices", _device("70b3d57ed000a002", A, A_HUB)),
        _writes(201),
    ),
    ("POST", "/devices/import"): Case(
        # Rows of tenant B are refused one by one; viewers may not import at all.
        Call("POST", "/devices/import", [_device("70b3d57ed000b002", B, B_HUB)]),
        {"admin": 200, "operator": 200, "viewer": 403},
        Call("POST", "/devices/import", [_device("70b3d57ed000a002", A, A_HUB)]),
        _writes(200),
    ),
    ("GET", "/devices/{dev_eui}"): Case(Call("GET", f"/devices/{B_DEV}"), _reads()),
    ("PATCH", "/devices/{dev_eui}"): Case(
        Call("PATCH", f"/devices/{B_DEV}", {"name": "renamed"}),
        _reads(),
        Call("PATCH", f"/devices/{A_DEV}", {"name": "renamed"}),
        _writes(200),
    ),
    ("DELETE", "/devices/{dev_eui}"): Case(
        Call("DELETE", f"/devices/{B_DEV}"),
        _reads(204),
        Call("DELETE", f"/devices/{A_DEV}"),
        _writes(204),
    ),
    ("GET", "/pending-devices"): Case(Call("GET", "/pending-devices"), _lists(403), listing=True),
    ("POST", "/pending-devices/{dev_eui}/claim"): Case(
        Call("POST", f"/pending-devices/{PENDING}/claim", _claim(B, B_HUB)),
        _reads(201),
        Call("POST", f"/pending-devices/{PENDING}/claim", _claim(A, A_HUB)),
        _writes(201),
    ),
    ("GET", "/dead-letters"): Case(Call("GET", "/dead-letters"), _lists(), listing=True),
    ("GET", "/audit"): Case(Call("GET", "/audit"), _lists(), listing=True),
    ("GET", "/tenants/{tenant_id}/rules"): Case(Call("GET", f"/tenants/{B}/rules"), _reads()),
    ("POST", "/tenants/{tenant_id}/rules"): Case(
        Call("POST", f"/tenants/{B}/rules", _rule("new")),
        _reads(201),
        Call("POST", f"/tenants/{A}/rules", _rule("new")),
        _writes(201),
    ),
    ("GET", "/tenants/{tenant_id}/rules/{rule_id}"): Case(
        Call("GET", f"/tenants/{B}/rules/co2-high"), _reads()
    ),
    ("PUT", "/tenants/{tenant_id}/rules/{rule_id}"): Case(
        Call("PUT", f"/tenants/{B}/rules/co2-high", _rule("co2-high")),
        _reads(),
        Call("PUT", f"/tenants/{A}/rules/co2-high", _rule("co2-high")),
        _writes(200),
    ),
    ("DELETE", "/tenants/{tenant_id}/rules/{rule_id}"): Case(
        Call("DELETE", f"/tenants/{B}/rules/co2-high"),
        _reads(204),
        Call("DELETE", f"/tenants/{A}/rules/co2-high"),
        _writes(204),
    ),
    ("GET", "/alerts"): Case(Call("GET", "/alerts"), _lists(), listing=True),
    ("GET", "/alerts/{alert_id}"): Case(Call("GET", "/alerts/{B_ALERT}"), _reads()),
    ("POST", "/alerts/{alert_id}/acknowledge"): Case(
        Call("POST", "/alerts/{B_ALERT}/acknowledge", {"comment": "seen"}),
        _reads(),
        Call("POST", "/alerts/{A_ALERT}/acknowledge", {"comment": "seen"}),
        _writes(200),
    ),
    ("GET", "/channels"): Case(Call("GET", "/channels"), _lists(), listing=True),
    ("POST", "/channels"): Case(
        Call("POST", "/channels", _channel(B)),
        _reads(201),
        Call("POST", "/channels", _channel(A)),
        _writes(201),
    ),
    ("GET", "/channels/{channel_id}"): Case(Call("GET", f"/channels/{B_CHANNEL}"), _reads()),
    ("PATCH", "/channels/{channel_id}"): Case(
        Call("PATCH", f"/channels/{B_CHANNEL}", {"min_severity": "critical"}),
        _reads(),
        Call("PATCH", f"/channels/{A_CHANNEL}", {"min_severity": "critical"}),
        _writes(200),
    ),
    ("DELETE", "/channels/{channel_id}"): Case(
        Call("DELETE", f"/channels/{B_CHANNEL}"),
        _reads(204),
        Call("DELETE", f"/channels/{A_CHANNEL}"),
        _writes(204),
    ),
    ("POST", "/channels/{channel_id}/test"): Case(
        Call("POST", f"/channels/{B_CHANNEL}/test"),
        _reads(200),
        Call("POST", f"/channels/{A_CHANNEL}/test"),
        _writes(200),
    ),
    ("GET", "/channels/{channel_id}/deliveries"): Case(
        Call("GET", f"/channels/{B_CHANNEL}/deliveries"), _reads()
    ),
    ("GET", "/notification-deliveries"): Case(
        Call("GET", "/notification-deliveries"), _lists(), listing=True
    ),
}


def _send(world: World, call: Call, who: str) -> tuple[int, str]:
    url = V1 + call.url.format_map(world.alert_ids)
    response = world.client.request(call.method, url, json=call.json, headers=world.auth(who))
    return response.status_code, response.text


def _tenant_b(world: World) -> tuple[object, ...]:
    """Everything of tenant B, as the repositories give it."""
    everyone = Principal("test", "admin", frozenset()).scope()
    return (
        world.services.tenants.tenant(B, everyone),
        world.services.tenants.sites(everyone, B),
        world.services.registry.list(everyone, B),
        [entry for entry in world.services.audit.entries(everyone) if entry.tenant == B],
        world.services.rules.rules(everyone, B),
        world.services.alerts.find(everyone, B),
        SqlChannelRepository(world.services.engine).channels(everyone, B),
        SqlDeliveryOutbox(world.services.engine).deliveries(frozenset({B})),
    )


PUBLIC = {
    # The public feed: open on purpose, public sites only (tests/web/test_public_feed.py).
    ("GET", "/public/v1/sites"),
    ("GET", "/public/v1/hubs/{site_id}"),
    ("GET", "/public/v1/parcel-stations/{site_id}"),
}


def test_every_route_has_a_case(world: World) -> None:
    routes = {
        (method, route.path)
        for route in world.app.routes
        if isinstance(route, APIRoute) and route.include_in_schema
        for method in route.methods or ()
    }
    assert routes == {(method, V1 + path) for method, path in CASES} | PUBLIC


def test_pages_are_not_in_the_schema(world: World) -> None:
    # Pages check their session cookie themselves (tests/web/test_page_access.py).
    pages = {
        route.path
        for route in world.app.routes
        if isinstance(route, APIRoute) and not route.include_in_schema
    }
    assert pages == {
        "/login",
        "/logout",
        "/fleet",
        "/devices/{dev_eui}",
        "/devices/{dev_eui}/alerts/{alert_id}/acknowledge",
        "/hubs/{site_id}",
        "/hubs/{site_id}/events",
        "/parcels/{site_id}",
        "/parcels/{site_id}/events",
    }
    assert not any(path.startswith(V1) for path in pages)


@pytest.mark.parametrize("route", CASES, ids=" ".join)
def test_unauthenticated_is_refused(world: World, route: tuple[str, str]) -> None:
    call = CASES[route].other
    for headers in ({}, {"Authorization": "Bearer lh_not-a-token"}, {"Authorization": "Basic x"}):
        url = V1 + call.url.format_map(world.alert_ids)
        response = world.client.request(call.method, url, json=call.json, headers=headers)
        assert response.status_code == 401, response.text
        assert response.headers["WWW-Authenticate"] == "Bearer"


@pytest.mark.parametrize("route", CASES, ids=" ".join)
def test_other_tenant(world: World, route: tuple[str, str]) -> None:
    case = CASES[route]
    for who in ("viewer", "operator"):
        before = _tenant_b(world)
        status, body = _send(world, case.other, who)
        assert status == case.expect[who], f"{who}: {body}"
        assert _tenant_b(world) == before, f"{who} changed tenant B"
        if case.listing:
            assert B not in body and B_DEV not in body, who
        if route == ("POST", "/devices/import") and status == 200:
            assert '"created":0' in body and f"you may not manage tenant {B!r}" in body
    # Last, as the admin's writes change tenant B.
    status, body = _send(world, case.other, "admin")
    assert status == case.expect["admin"], body


def test_lists_show_everything_to_admins(world: World) -> None:
    for route, case in CASES.items():
        if case.listing and route != ("GET", "/pending-devices"):
            status, body = _send(world, case.other, "admin")
            assert status == 200 and (B in body or B_DEV in body), route


@pytest.mark.parametrize("who", ["operator", "viewer"])
@pytest.mark.parametrize("route", [r for r, c in CASES.items() if c.own], ids=" ".join)
def test_own_tenant_writes(world: World, route: tuple[str, str], who: str) -> None:
    case = CASES[route]
    assert case.own is not None
    status, body = _send(world, case.own, who)
    assert status == case.own_expect[who], body


@pytest.mark.parametrize(
    ("url", "expect"),
    [
        (f"/devices?tenant={B}", 404),
        (f"/devices?site={B_HUB}", 404),
        (f"/sites?tenant={B}", 404),
        (f"/devices?tenant={A}&site={A_HUB}", 200),
        (f"/sites?tenant={A}", 200),
    ],
)
def test_list_filters_stay_in_scope(world: World, url: str, expect: int) -> None:
    for who in ("operator", "viewer"):
        status, body = _send(world, Call("GET", url), who)
        assert status == expect, body
        assert B_DEV not in body


def test_an_operator_cannot_move_a_device_to_another_tenant(world: World) -> None:
    move = Call("PATCH", f"/devices/{A_DEV}", {"tenant": B, "site": B_HUB})
    assert _send(world, move, "operator")[0] == 404
    assert _send(world, move, "admin")[0] == 200


def test_only_the_docs_and_the_public_feed_are_open(world: World) -> None:
    assert world.client.get("/openapi.json").status_code == 200
    assert world.client.get("/docs").status_code == 200
    schema = world.client.get("/openapi.json").json()
    assert set(schema["paths"]) == {V1 + path for _, path in CASES} | {p for _, p in PUBLIC}
    for path, operations in schema["paths"].items():
        for operation in operations.values():
            assert ("security" in operation) == path.startswith(V1), path


def test_effective_rules_add_the_built_ins(world: World) -> None:
    status, body = _send(world, Call("GET", f"/tenants/{A}/rules?effective=true"), "viewer")
    assert status == 200
    ids = [rule["id"] for rule in json.loads(body)]
    assert ids == ["co2-high", "offline", "battery-low", "implausible"]
    status, body = _send(world, Call("GET", f"/tenants/{B}/rules?effective=true"), "viewer")
    assert status == 404
