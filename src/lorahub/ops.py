"""The operations listener: ``/healthz``, ``/readyz`` and ``/metrics`` for probes and Prometheus.

These routes are unauthenticated by design (load balancers, orchestrators and Prometheus call
them without credentials), so they expose only process state, never tenant data, and the
listener binds to ``metrics.host`` (127.0.0.1 by default).

* ``/healthz`` (liveness): 200 whenever the event loop answers.
* ``/readyz`` (readiness): 200 when the service can take messages without losing any: connected
  to the broker, and the database reachable or the spool able to take more. 503 otherwise, and
  while starting or shutting down. The body always tells the state of each part.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable, Generator

import uvicorn
from prometheus_client import CONTENT_TYPE_LATEST, CollectorRegistry, generate_latest
from pydantic import BaseModel
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route


class Readiness(BaseModel):
    """What ``/readyz`` answers: the verdict and the state it was judged on."""

    ready: bool
    broker_connected: bool
    database_up: bool
    spool_enabled: bool
    spool_accepting: bool
    spool_bytes: int
    spool_batches: int
    stopping: bool


def judge(
    *,
    broker_connected: bool,
    database_up: bool,
    spool_enabled: bool,
    spool_accepting: bool,
    spool_bytes: int = 0,
    spool_batches: int = 0,
    stopping: bool = False,
) -> Readiness:
    """Ready when connected to the broker and the database or the spool can take batches."""
    can_store = database_up or (spool_enabled and spool_accepting)
    return Readiness(
        ready=broker_connected and can_store and not stopping,
        broker_connected=broker_connected,
        database_up=database_up,
        spool_enabled=spool_enabled,
        spool_accepting=spool_accepting,
        spool_bytes=spool_bytes,
        spool_batches=spool_batches,
        stopping=stopping,
    )


def create_ops_app(registry: CollectorRegistry, readiness: Callable[[], Readiness]) -> Starlette:
    """The ASGI app of the operations listener."""

    async def healthz(request: Request) -> JSONResponse:
        return JSONResponse({"status": "ok"})

    async def readyz(request: Request) -> JSONResponse:
        state = readiness()
        return JSONResponse(state.model_dump(), status_code=200 if state.ready else 503)

    async def metrics(request: Request) -> Response:
        return Response(generate_latest(registry), media_type=CONTENT_TYPE_LATEST)

    return Starlette(
        routes=[
            Route("/healthz", healthz),
            Route("/readyz", readyz),
            Route("/metrics", metrics),
        ]
    )


class _Server(uvicorn.Server):
    """uvicorn without its signal handlers: the service's own SIGTERM handling stays in charge."""

    @contextlib.contextmanager
    def capture_signals(self) -> Generator[None, None, None]:
        yield


async def serve_ops(app: Starlette, host: str, port: int, stop: asyncio.Event) -> None:
    """Serve ``app`` on ``host:port`` until ``stop`` is set."""
    server = _Server(uvicorn.Config(app, host=host, port=port, log_config=None, access_log=False))
    serving = asyncio.create_task(server.serve(), name="ops-listener")
    stopping = asyncio.create_task(stop.wait(), name="ops-stop")
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopping.cancel()
    await serving


__all__ = ["Readiness", "create_ops_app", "judge", "serve_ops"]
