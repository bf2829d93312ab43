"""Serve the HTTP app with uvicorn inside the service's event loop until told to stop."""

from __future__ import annotations

import asyncio

import uvicorn
from fastapi import FastAPI

from lorahub.settings import WebSettings


async def serve_http(app: FastAPI, settings: WebSettings, stop: asyncio.Event) -> None:
    """Run uvicorn on ``settings.host:port`` until ``stop`` is set, then shut it down."""
    server = uvicorn.Server(
        uvicorn.Config(
            app, host=settings.host, port=settings.port, log_config=None, access_log=False
        )
    )
    serving = asyncio.create_task(server.serve(), name="uvicorn")
    stopping = asyncio.create_task(stop.wait(), name="web-stop")
    await asyncio.wait({serving, stopping}, return_when=asyncio.FIRST_COMPLETED)
    server.should_exit = True
    stopping.cancel()
    await serving
