"""What the pages need besides the API services, kept on ``app.state.web``."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import tzinfo
from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo

from fastapi import Depends, Request
from fastapi.responses import HTMLResponse
from fastapi.templating import Jinja2Templates

from lorahub.domain.tenancy import Language
from lorahub.settings import WebSettings
from lorahub.web.i18n import text
from lorahub.web.live import LiveBoard

TEMPLATE_DIR = Path(__file__).parent / "templates"
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
    """The live board, the templates, the local time zone and how the session cookie is set."""

    board: LiveBoard
    zone: tzinfo
    secure_cookies: bool
    session_max_age_s: int
    templates: Jinja2Templates = field(
        default_factory=lambda: Jinja2Templates(directory=TEMPLATE_DIR)
    )

    def render(
        self,
        request: Request,
        template: str,
        language: Language,
        values: Mapping[str, object],
        status_code: int = 200,
    ) -> HTMLResponse:
        """A page from ``template`` in ``language`` (``t(key)`` gives its texts)."""
        response: HTMLResponse = self.templates.TemplateResponse(
            request,
            template,
            {
                "lang": language,
                "other_lang": "en" if language == "de" else "de",
                "t": lambda key, **more: text(key, language, **more),
                "kiosk": False,
                "signed_in": False,
                "switch_url": None,
                **values,
            },
            status_code=status_code,
            headers=PAGE_HEADERS,
        )
        return response


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
