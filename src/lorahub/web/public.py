"""``/public/v1``: read-only JSON of public sites for city apps, open to everyone.

Only sites flagged ``public`` appear, and of a public hub only its public rooms; anything else
answers 404 exactly like a site that does not exist. Answers carry ``Access-Control-Allow-Origin:
*``, ``Cache-Control: public, max-age`` and an ``ETag`` (a matching ``If-None-Match`` gets 304).
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime
from enum import Enum
from typing import Annotated, Any, Literal

from fastapi import FastAPI, Path, Request
from fastapi.responses import Response
from pydantic import BaseModel, Field
from starlette.middleware.cors import CORSMiddleware
from starlette.types import ASGIApp, Receive, Scope, Send

from lorahub.api.deps import ServicesDep
from lorahub.api.problems import not_found
from lorahub.api.services import ApiServices
from lorahub.domain.ids import SLUG_PATTERN
from lorahub.domain.tenancy import Site
from lorahub.web.boards import board_tiles, tile_state
from lorahub.web.context import WebDep
from lorahub.web.presence import FULL_AT_PERCENT, Status

PUBLIC_PREFIX = "/public/v1"
MAX_AGE_S = 10
"""How long a city app or a proxy may reuse an answer (occupancy changes by the minute)."""

SitePath = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=100, description="a site id")]


class PublicSite(BaseModel):
    """A public hub or parcel station."""

    id: str
    name: str
    kind: Literal["hub", "parcel_station"]
    address: str | None
    latitude: float | None
    longitude: float | None
    url: str = Field(description="the feed of this site")


class PublicRoom(BaseModel):
    """A public room of a hub (or an occupancy sensor standing for one) and its state now."""

    id: str
    name: str
    capacity: int | None
    status: Status = Field(description="free, in_use, full (people ≥ capacity) or unknown")
    people: int | None = Field(description="people present now, where a sensor counts them")
    updated: datetime | None = Field(description="when the newest value was measured")


class PublicHub(BaseModel):
    """A public hub with its public rooms."""

    id: str
    name: str
    address: str | None
    rooms: list[PublicRoom]


class PublicCompartment(BaseModel):
    """A compartment (or bin) of a parcel station."""

    id: str
    name: str
    status: Status = Field(
        description=f"free, full (fill level ≥ {FULL_AT_PERCENT:.0f} %) or unknown"
    )
    fill_level: float | None = Field(description="percent, 0 empty, 100 full")
    updated: datetime | None


class PublicParcelStation(BaseModel):
    """A public parcel station: its compartments and how many are free."""

    id: str
    name: str
    address: str | None
    free: int
    total: int
    compartments: list[PublicCompartment]


NOT_MODIFIED: dict[int | str, dict[str, Any]] = {
    304: {"description": "Not modified (the `If-None-Match` ETag still holds)."}
}


def add_routes(app: FastAPI) -> None:
    """Add the public feed (in the API schema, needing no token) and its CORS handling."""
    tags: list[str | Enum] = ["public"]
    app.add_api_route(
        f"{PUBLIC_PREFIX}/sites",
        public_sites,
        methods=["GET"],
        tags=tags,
        response_model=list[PublicSite],
        responses=NOT_MODIFIED,
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/hubs/{{site_id}}",
        public_hub,
        methods=["GET"],
        tags=tags,
        response_model=PublicHub,
        responses=NOT_MODIFIED,
    )
    app.add_api_route(
        f"{PUBLIC_PREFIX}/parcel-stations/{{site_id}}",
        public_parcel_station,
        methods=["GET"],
        tags=tags,
        response_model=PublicParcelStation,
        responses=NOT_MODIFIED,
    )
    app.add_middleware(PublicCors, prefix=PUBLIC_PREFIX)


def public_sites(request: Request, services: ServicesDep) -> Response:
    """Every public hub and parcel station."""
    paths = {"hub": "hubs", "parcel_station": "parcel-stations"}
    sites = [
        PublicSite(
            id=site.id,
            name=site.name,
            kind=site.kind,
            address=site.address,
            latitude=site.latitude,
            longitude=site.longitude,
            url=f"{PUBLIC_PREFIX}/{paths[site.kind]}/{site.id}",
        )
        for site in services.tenants.sites(None)
        if site.public and (site.kind == "hub" or site.kind == "parcel_station")
    ]
    return cached_json(request, _json_list(sites))


def public_hub(request: Request, site_id: SitePath, services: ServicesDep, web: WebDep) -> Response:
    """The public rooms of a public hub, with their occupancy now."""
    site = _public_site(services, site_id, "hub")
    rooms = []
    for tile in board_tiles(services, site, public_only=True):
        state = tile_state(tile, web.board)
        rooms.append(
            PublicRoom(
                id=tile.id,
                name=tile.name,
                capacity=tile.capacity,
                status=state.status,
                people=state.people,
                updated=_time(state.updated_ns),
            )
        )
    hub = PublicHub(id=site.id, name=site.name, address=site.address, rooms=rooms)
    return cached_json(request, hub.model_dump_json().encode())


def public_parcel_station(
    request: Request, site_id: SitePath, services: ServicesDep, web: WebDep
) -> Response:
    """The compartments of a public parcel station, free or full."""
    site = _public_site(services, site_id, "parcel_station")
    compartments = []
    for tile in board_tiles(services, site, public_only=True):
        state = tile_state(tile, web.board)
        compartments.append(
            PublicCompartment(
                id=tile.id,
                name=tile.name,
                status=state.status,
                fill_level=state.fill_level,
                updated=_time(state.updated_ns),
            )
        )
    station = PublicParcelStation(
        id=site.id,
        name=site.name,
        address=site.address,
        free=sum(c.status == "free" for c in compartments),
        total=len(compartments),
        compartments=compartments,
    )
    return cached_json(request, station.model_dump_json().encode())


def _public_site(services: ApiServices, site_id: str, kind: str) -> Site:
    site = services.tenants.site(site_id, None)
    if site is None or not site.public or site.kind != kind:
        raise not_found("site", site_id)
    return site


def _time(time_ns: int | None) -> datetime | None:
    return None if time_ns is None else datetime.fromtimestamp(time_ns / 1e9, UTC)


def _json_list(items: list[PublicSite]) -> bytes:
    return b"[" + b",".join(item.model_dump_json().encode() for item in items) + b"]"


def cached_json(request: Request, body: bytes) -> Response:
    """``body`` as JSON with an ETag and Cache-Control, or 304 when the client has it."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    headers = {"ETag": etag, "Cache-Control": f"public, max-age={MAX_AGE_S}"}
    presented = request.headers.get("if-none-match", "")
    if etag in {tag.strip().removeprefix("W/") for tag in presented.split(",")}:
        return Response(status_code=304, headers=headers)
    return Response(body, media_type="application/json", headers=headers)


class PublicCors:
    """Starlette's CORS handling (any origin, GET), for the public feed's paths only."""

    def __init__(self, app: ASGIApp, prefix: str) -> None:
        self._app = app
        self._prefix = prefix
        self._cors = CORSMiddleware(
            app,
            allow_origins=["*"],
            allow_methods=["GET"],
            allow_headers=["If-None-Match"],
            expose_headers=["ETag"],
            max_age=86400,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass feed requests through the CORS handling, everything else straight on."""
        if scope["type"] == "http" and scope["path"].startswith(self._prefix):
            await self._cors(scope, receive, send)
        else:
            await self._app(scope, receive, send)
