"""The API application: ``create_app(services)`` builds FastAPI with every ``/api/v1`` router."""

from __future__ import annotations

from fastapi import Depends, FastAPI

from lorahub import __version__
from lorahub.api.deps import authenticate
from lorahub.api.problems import install_handlers
from lorahub.api.routes import audit, channels, deadletters, devices, pending, sites, tenants
from lorahub.api.services import ApiServices

API_PREFIX = "/api/v1"


def create_app(services: ApiServices) -> FastAPI:
    """Build the API on ``services`` (kept on ``app.state.services``).

    Every route under ``/api/v1`` needs a bearer token; only ``/docs`` and ``/openapi.json``
    are open.

    Args:
        services: repositories, catalog and clock, from ``ApiServices.from_engine``.

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
        # Every API route needs a token, whether or not its handler asks for the principal.
        dependencies=[Depends(authenticate)],
    )
    app.state.services = services
    install_handlers(app)
    # Routes are added to the app itself (no nested routers), so ``app.routes`` lists them all.
    for module in (tenants, sites, devices, pending, deadletters, audit, channels):
        module.add_routes(app, API_PREFIX)
    return app
