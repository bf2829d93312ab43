"""What the pages need besides the API services, kept on ``app.state.web``."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.templating import Jinja2Templates

from lorahub.settings import WebSettings
from lorahub.web.live import LiveBoard

TEMPLATES = Jinja2Templates(directory=Path(__file__).parent / "templates")
STATIC_DIR = Path(__file__).parent / "static"

PAGE_HEADERS = {
    # Scripts and styles come only from /static; no page may be framed elsewhere.
    "Content-Security-Policy": (
        "default-src 'self'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; "
        "form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "Cache-Control": "no-store",
}


@dataclass(frozen=True, slots=True)
class WebContext:
    """The live board, the local time zone and how the session cookie is set."""

    board: LiveBoard
    zone: tzinfo
    secure_cookies: bool
    session_max_age_s: int


def get_web(request: Request) -> WebContext:
    """The web context ``create_app`` stored on the application."""
    web: WebContext = request.app.state.web
    return web


WebDep = Annotated[WebContext, Depends(get_web)]


def web_context(settings: WebSettings, board: LiveBoard) -> WebContext:
    """The pages' context from the ``[web]`` settings: secure cookies behind an HTTPS address."""
    return WebContext(
        board=board,
        zone=ZoneInfo(settings.timezone),
        secure_cookies=settings.public_url.startswith("https://"),
        session_max_age_s=settings.session_days * 86_400,
    )
