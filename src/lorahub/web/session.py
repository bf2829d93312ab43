"""Sign-in for browsers: an API token pasted once becomes an HttpOnly session cookie.

The cookie holds the token itself, checked against its stored hash on every request like a
bearer token, so revoking the token ends every session at once and the server keeps no session
table. It is HttpOnly (no script reads it), SameSite=Strict (no other site's page sends it) and
Secure when the service is published over HTTPS (``web.public_url``).
"""

from __future__ import annotations

from typing import Annotated
from urllib.parse import quote

from fastapi import Depends, FastAPI, Form, Query, Request
from fastapi.responses import RedirectResponse, Response

from lorahub.api.deps import ServicesDep
from lorahub.domain.tenancy import Principal
from lorahub.web.context import WebContext, WebDep
from lorahub.web.i18n import negotiate

COOKIE = "lorahub_session"


def page_principal(request: Request, services: ServicesDep) -> Principal | None:
    """The principal of the session cookie, or None when there is none or it is revoked."""
    token = request.cookies.get(COOKIE)
    return services.tokens.authenticate(token) if token else None


PagePrincipal = Annotated[Principal | None, Depends(page_principal)]


def safe_next(target: str | None) -> str:
    """``target`` when it is a path on this site, else ``/`` (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


def login_redirect(request: Request) -> RedirectResponse:
    """Send the browser to the sign-in page, coming back to this page afterwards."""
    here = request.url.path + (f"?{request.url.query}" if request.url.query else "")
    return RedirectResponse(f"/login?next={quote(here, safe='')}", status_code=303)


def add_routes(app: FastAPI) -> None:
    """Add ``/login`` and ``/logout`` (not part of the API schema)."""
    app.add_api_route("/login", login_page, methods=["GET"], include_in_schema=False)
    app.add_api_route("/login", login, methods=["POST"], include_in_schema=False)
    app.add_api_route("/logout", logout, methods=["POST"], include_in_schema=False)


NextQuery = Annotated[str | None, Query(alias="next", max_length=2000)]
LangQuery = Annotated[str | None, Query(max_length=5)]


def login_page(
    request: Request, web: WebDep, next_path: NextQuery = None, lang: LangQuery = None
) -> Response:
    """The sign-in form: paste an API token."""
    return _form(request, web, safe_next(next_path), lang, error=False)


def login(
    request: Request,
    services: ServicesDep,
    web: WebDep,
    token: Annotated[str, Form(max_length=200)],
    next_path: Annotated[str, Form(alias="next", max_length=2000)] = "/",
    lang: Annotated[str | None, Form(max_length=5)] = None,
) -> Response:
    """Check the token; on success set the session cookie and go to ``next``."""
    token = token.strip()
    if services.tokens.authenticate(token) is None:
        return _form(request, web, safe_next(next_path), lang, error=True)
    response = RedirectResponse(safe_next(next_path), status_code=303)
    response.set_cookie(
        COOKIE,
        token,
        max_age=web.session_max_age_s,
        httponly=True,
        samesite="strict",
        secure=web.secure_cookies,
        path="/",
    )
    return response


def logout(web: WebDep) -> Response:
    """Forget the session cookie."""
    response = RedirectResponse("/login", status_code=303)
    response.delete_cookie(
        COOKIE, httponly=True, samesite="strict", secure=web.secure_cookies, path="/"
    )
    return response


def _form(
    request: Request, web: WebContext, next_path: str, lang: str | None, *, error: bool
) -> Response:
    language = negotiate(lang, request.headers.get("accept-language"), "de")
    values = {"next": next_path, "error": error}
    return web.render(request, "login.html", language, values, 401 if error else 200)
