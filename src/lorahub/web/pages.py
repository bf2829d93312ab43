"""The live pages: ``/hubs/{site}`` (rooms), ``/parcels/{site}`` (compartments), and their events.

Anyone with read access to the site's tenant sees every room; a site flagged ``public`` is open
to everyone, who then sees only its public rooms. Anything else answers 404 (or the sign-in
page when nobody is signed in), as the API does.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from dataclasses import dataclass
from typing import Annotated
from urllib.parse import urlencode

from fastapi import FastAPI, Path, Query, Request
from fastapi.responses import Response
from sse_starlette import EventSourceResponse, ServerSentEvent
from starlette.concurrency import run_in_threadpool

from lorahub.api.deps import ServicesDep
from lorahub.api.services import ApiServices
from lorahub.domain.ids import SLUG_PATTERN
from lorahub.domain.tenancy import Language, Principal, Site
from lorahub.web.boards import BoardKind, Tile, board_tiles, tile_view
from lorahub.web.context import WebContext, WebDep
from lorahub.web.i18n import negotiate
from lorahub.web.live import Subscription
from lorahub.web.session import PagePrincipal, login_redirect

SitePath = Annotated[str, Path(pattern=SLUG_PATTERN, max_length=100)]
LangQuery = Annotated[str | None, Query(max_length=5)]
KioskQuery = Annotated[bool, Query()]
RECONNECT_MS = 2000


@dataclass(frozen=True, slots=True)
class OpenBoard:
    """A board the caller may see: the site, its tiles, and the tenant's language."""

    site: Site
    tiles: list[Tile]
    language: Language
    public_only: bool


def add_routes(app: FastAPI) -> None:
    """Add the pages and their event streams (not part of the API schema)."""
    boards: tuple[tuple[str, BoardKind], ...] = (("/hubs", "hub"), ("/parcels", "parcel_station"))
    for prefix, kind in boards:
        app.add_api_route(
            f"{prefix}/{{site_id}}", _page_route(kind), methods=["GET"], include_in_schema=False
        )
        app.add_api_route(
            f"{prefix}/{{site_id}}/events",
            _events_route(kind),
            methods=["GET"],
            include_in_schema=False,
        )


def open_board(
    services: ApiServices, site_id: str, kind: BoardKind, principal: Principal | None
) -> OpenBoard | None:
    """The board of ``site_id`` as ``principal`` (or an anonymous visitor) may see it.

    Returns:
        None when the site is not a ``kind`` or the caller may not see it.
    """
    site = services.tenants.site(site_id, None)
    if site is None or site.kind != kind:
        return None
    member = principal is not None and principal.can_read(site.tenant)
    if not member and not site.public:
        return None
    tenant = services.tenants.tenant(site.tenant, None)
    return OpenBoard(
        site=site,
        tiles=board_tiles(services, site, public_only=not member),
        language=tenant.language if tenant else "de",
        public_only=not member,
    )


def _page_route(kind: BoardKind) -> Callable[..., Response]:
    def board_page(
        request: Request,
        site_id: SitePath,
        services: ServicesDep,
        web: WebDep,
        principal: PagePrincipal,
        lang: LangQuery = None,
        kiosk: KioskQuery = False,
    ) -> Response:
        """The live board of a hub or parcel station."""
        board = open_board(services, site_id, kind, principal)
        if board is None:
            if principal is None:
                return login_redirect(request)
            return message_page(request, web, lang, 404)
        language = negotiate(lang, request.headers.get("accept-language"), board.language)
        views = [tile_view(tile, web.board, language, web.zone) for tile in board.tiles]
        other = "en" if language == "de" else "de"
        query = {"lang": other, **({"kiosk": "1"} if kiosk else {})}
        values = {
            "site": board.site,
            "kind": kind,
            "tiles": views,
            "names": {tile.id: tile.name for tile in board.tiles},
            "kiosk": kiosk,
            "signed_in": principal is not None,
            "events_url": f"{request.url.path}/events?lang={language}",
            "switch_url": f"{request.url.path}?{urlencode(query)}",
        }
        return web.render(request, "board.html", language, values)

    return board_page


def _events_route(kind: BoardKind) -> Callable[..., Awaitable[Response]]:
    async def board_events(
        site_id: SitePath,
        services: ServicesDep,
        web: WebDep,
        principal: PagePrincipal,
        lang: LangQuery = None,
    ) -> Response:
        """Server-sent events: every tile once, then each tile again when it changes."""
        board = await run_in_threadpool(open_board, services, site_id, kind, principal)
        if board is None:
            return Response(status_code=401 if principal is None else 404)
        watch = {device: tile.id for tile in board.tiles for device in tile.devices}
        subscription = web.board.subscribe(watch)
        if subscription is None:
            return Response(status_code=503, headers={"Retry-After": "30"})
        language: Language = lang if lang in ("de", "en") else board.language  # type: ignore[assignment]
        return EventSourceResponse(
            _stream(subscription, board.tiles, web, language),
            ping=15,
            headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
        )

    return board_events


async def _stream(
    subscription: Subscription, tiles: list[Tile], web: WebContext, language: Language
) -> AsyncIterator[ServerSentEvent]:
    try:
        changed: set[str] | None = {tile.id for tile in tiles}
        while changed is not None:
            for tile in tiles:
                if tile.id in changed:
                    view = tile_view(tile, web.board, language, web.zone)
                    yield ServerSentEvent(
                        data=view.model_dump_json(), event="tile", retry=RECONNECT_MS
                    )
            changed = await subscription.changes()
    finally:
        web.board.unsubscribe(subscription)


MESSAGES = {
    403: {
        "de": "Diese Seite ist Betreuerinnen und Betreuern vorbehalten.",
        "en": "This page is for operators.",
    },
    404: {"de": "Diese Seite gibt es nicht.", "en": "There is no such page."},
}


def message_page(request: Request, web: WebContext, lang: str | None, status: int) -> Response:
    """A plain error page (404 never says whether a site exists)."""
    language = negotiate(lang, request.headers.get("accept-language"), "de")
    values = {"message": str(status), "detail": MESSAGES[status][language]}
    return web.render(request, "message.html", language, values, status)
