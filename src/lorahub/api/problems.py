"""The HTTP errors the API answers with, and handlers turning library exceptions into them."""

from __future__ import annotations

from fastapi import FastAPI, HTTPException, Request, status
from fastapi.encoders import jsonable_encoder
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse

from lorahub.adapters.registry_sql import WrongSite
from lorahub.adapters.tenants_sql import Conflict

_PYDANTIC_PREFIXES = ("Value error, ", "Assertion failed, ")


def unauthorized(reason: str) -> HTTPException:
    """401 asking for a bearer token."""
    return HTTPException(
        status.HTTP_401_UNAUTHORIZED, detail=reason, headers={"WWW-Authenticate": "Bearer"}
    )


def not_found(kind: str, ident: str) -> HTTPException:
    """404 for something absent or outside the caller's tenants (the two look the same)."""
    return HTTPException(status.HTTP_404_NOT_FOUND, detail=f"{kind} {ident!r} not found")


def forbidden(reason: str) -> HTTPException:
    """403 for a role that may see a tenant but not change it."""
    return HTTPException(status.HTTP_403_FORBIDDEN, detail=reason)


def unprocessable(location: tuple[str, ...], message: str) -> HTTPException:
    """422 in the same shape as FastAPI's validation errors, for checks made in a route."""
    return HTTPException(
        status.HTTP_422_UNPROCESSABLE_CONTENT,
        detail=[{"loc": list(location), "msg": message, "type": "value_error"}],
    )


def install_handlers(app: FastAPI) -> None:
    """Register the handlers for conflicts and validation errors on ``app``."""
    app.add_exception_handler(WrongSite, _wrong_site)
    app.add_exception_handler(Conflict, _conflict)
    app.add_exception_handler(RequestValidationError, _invalid)


async def _conflict(_request: Request, exc: Exception) -> JSONResponse:
    return JSONResponse({"detail": str(exc)}, status_code=status.HTTP_409_CONFLICT)


async def _wrong_site(_request: Request, exc: Exception) -> JSONResponse:
    # The caller named a site that is not one of the device's tenant: bad input, not a clash.
    return JSONResponse(
        {"detail": [{"loc": ["body", "site"], "msg": str(exc), "type": "value_error"}]},
        status_code=status.HTTP_422_UNPROCESSABLE_CONTENT,
    )


async def _invalid(_request: Request, exc: Exception) -> JSONResponse:
    """Like FastAPI's own handler, minus the echoed input and pydantic's message prefixes."""
    assert isinstance(exc, RequestValidationError)  # noqa: S101 - registered for this type only
    errors = [
        {"loc": list(error["loc"]), "msg": plain_message(str(error["msg"])), "type": error["type"]}
        for error in exc.errors()
    ]
    return JSONResponse(
        jsonable_encoder({"detail": errors}), status_code=status.HTTP_422_UNPROCESSABLE_CONTENT
    )


def plain_message(message: str) -> str:
    """A pydantic error message without its ``Value error, `` prefix."""
    for prefix in _PYDANTIC_PREFIXES:
        if message.startswith(prefix):
            return message[len(prefix) :]
    return message
