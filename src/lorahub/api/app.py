"""The HTTP application: ``create_app(services)`` builds FastAPI with every ``/api/v1`` router.

With a ``WebContext`` it also serves the pages (``/hubs``, ``/parcels``, ``/fleet``, sign-in)
and the public feed (``/public/v1``).
"""

from __future__ import annotations

from fastapi import APIRouter, Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from lorahub import __version__
from lorahub.api.deps import authenticate
from lorahub.api.problems import install_handlers
from lorahub.api.routes import (
    alerts,
    audit,
    channels,
    deadletters,
    devices,
    pending,
    rules,
    sites,
    tenants,
)
from lorahub.api.services import ApiServices
from lorahub.web import device_page, fleet, pages, public, session
from lorahub.web.context import STATIC_DIR, WebContext

API_PREFIX = "/api/v1"


def create_app(services: ApiServices, web: WebContext | None = None) -> FastAPI:
    """Build the API on ``services`` (kept on ``app.state.services``).

    Every route under ``/api/v1`` needs a bearer token. Open are only ``/docs``,
    ``/openapi.json``, the public feed under ``/public/v1`` (public sites only) and the pages,
    which check their session cookie themselves (see ``lorahub.web``).

    Args:
        services: repositories, catalog and clock, from ``ApiServices.from_engine``.
        web: the live board and page settings; without it only the API is served.

    Returns:
        The ASGI application, for uvicorn or a test client.
    """
    app = FastAPI(
        title="lorahub",
        version=__version__,
        summary="Tenants, sites and devices of a LoRaWAN village network, for IT operators.",
        docs_url="/docs",
        redoc_url=None,
        openapi_url="/openapi.json",
    )
    app.state.services = services
    install_handlers(app)
    # Every API route needs a token, whether or not its handler asks for the principal: the
    # router adds the dependency to each route it makes. The routes go onto the app itself
    # (include_router would nest them), so ``app.routes`` lists them all.
    api = APIRouter(dependencies=[Depends(authenticate)])
    for module in (tenants, sites, devices, pending, deadletters, audit, rules, alerts, channels):
        module.add_routes(api, API_PREFIX)
    app.router.routes.extend(api.routes)
    if web is not None:
        app.state.web = web
        public.add_routes(app)
        session.add_routes(app)
        pages.add_routes(app)
        fleet.add_routes(app)
        device_page.add_routes(app)
        app.mount("/static", StaticFiles(directory=STATIC_DIR), name="static")
    return app
