"""create_app(): lifespan, routers, exception handlers — nothing else."""

from __future__ import annotations

import math
from collections.abc import AsyncIterator, Mapping
from contextlib import asynccontextmanager
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from sqlalchemy import text
from starlette.exceptions import HTTPException

from service import __version__, errors
from service.db import SessionDep, get_engine, get_read_engine
from service.domains import compose
from service.security.middleware import install as install_security
from service.settings import get_settings
from service.web.read_cache import ReadCache

#: The one table from domain exceptions to HTTP status codes.
STATUS_BY_ERROR: dict[type[errors.DomainError], int] = {
    errors.BadRequest: 400,
    errors.NotAuthenticated: 401,
    errors.Forbidden: 403,
    errors.NotFound: 404,
    errors.Conflict: 409,
    errors.Gone: 410,
    errors.PayloadTooLarge: 413,
    errors.UnsupportedMedia: 415,
    errors.InvalidInput: 422,
    errors.TooManyRequests: 429,
    errors.ServiceBusy: 503,
}
#: ``code`` of Starlette's own errors (unknown path, wrong method, unparsable body).
HTTP_CODES = {400: "bad_request", 404: "not_found", 405: "method_not_allowed"}
#: Field errors listed in a validation error body (the first names ``field``).
MAX_LISTED_ERRORS = 20


def _status_for(exc: errors.DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


async def domain_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.DomainError)
    status = _status_for(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status in (429, 503) and "retry_after" in exc.detail:
        headers = {"Retry-After": str(exc.detail["retry_after"])}
    return JSONResponse(exc.body(), status_code=status, headers=headers)


def _text(value: object) -> str:
    """``value`` as text that always serialises (a lone surrogate becomes U+FFFD)."""
    return str(value).encode("utf-8", "replace").decode("utf-8")[:300]


_OMIT = object()


def _echo(value: object) -> object:
    """The offending input when it is a short scalar that serialises, else ``_OMIT``: NaN, a
    lone surrogate or a whole body never go back into the answer."""
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, int) and abs(value) < 2**63:
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    if isinstance(value, str) and len(value) <= 200:
        try:
            value.encode("utf-8")
        except UnicodeEncodeError:
            return _OMIT
        return value
    return _OMIT


def _listed(problem: Mapping[str, Any]) -> dict[str, Any]:
    entry: dict[str, Any] = {
        "loc": [_text(part) if isinstance(part, str) else part for part in problem.get("loc", ())],
        "msg": _text(problem.get("msg", "")),
        "type": _text(problem.get("type", "")),
    }
    shown = _echo(problem.get("input", _OMIT))
    if shown is not _OMIT:
        entry["input"] = shown
    return entry


async def validation_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """FastAPI's parse errors in the one error shape: a sentence, a code, the field.

    ``errors`` lists location, message and type of each problem, and the input only when it
    is a short scalar that serialises (FastAPI's default handler echoes any input, and NaN or
    a lone surrogate in it made the error itself a 500).
    """
    assert isinstance(exc, RequestValidationError)
    problems = list(exc.errors())
    listed = [_listed(p) for p in problems[:MAX_LISTED_ERRORS]]
    first = listed[0] if listed else {"loc": [], "msg": "invalid request", "type": ""}
    loc = [str(part) for part in first["loc"]]
    field = ".".join(loc[1:]) if len(loc) > 1 else (loc[0] if loc else None)
    where = f"{field}: " if field else ""
    more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
    body = errors.error_body(
        f"{where}{first['msg']}{more}",
        errors.VALIDATION_CODES.get(str(first["type"]), "invalid_value"),
        field,
        errors=listed,
    )
    return JSONResponse(body, status_code=422)


async def http_error_handler(request: Request, exc: Exception) -> Response:
    """Starlette's own errors (404 unknown path, 405, 400 unparsable body) with a code."""
    assert isinstance(exc, HTTPException)
    if exc.status_code < 400:
        return Response(status_code=exc.status_code, headers=exc.headers)
    body = errors.error_body(_text(exc.detail), HTTP_CODES.get(exc.status_code, "http_error"))
    return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)


@asynccontextmanager
async def lifespan(app: FastAPI) -> AsyncIterator[None]:
    get_settings()  # refuse to start with a placeholder secret outside development
    yield
    get_engine().dispose()
    get_read_engine().dispose()


def create_app() -> FastAPI:
    composition = compose()  # the domains of service/domains.py, as the CLI loads them
    app = FastAPI(
        title="riverchief",
        version=__version__,
        description="河湖长制 GIS service: river registry, patrol coverage, problems, "
        "cross-boundary coordination (Leshan 乐山市).",
        lifespan=lifespan,
    )
    app.state.composition = composition
    app.add_exception_handler(errors.DomainError, domain_error_handler)
    app.add_exception_handler(RequestValidationError, validation_error_handler)
    app.add_exception_handler(HTTPException, http_error_handler)
    # Inside the security middleware, so cached answers carry the same headers.
    app.add_middleware(ReadCache, cached_reads=composition.cached_reads)
    # security headers + CSP, audit request context, body-size limits
    install_security(app, composition.body_limits)

    @app.get("/healthz", tags=["health"], operation_id="healthz")
    def healthz(session: SessionDep) -> dict[str, str]:
        """Liveness and the PostGIS version."""
        version = session.execute(text("SELECT postgis_lib_version()")).scalar_one()
        return {"status": "ok", "postgis": str(version)}

    for router in composition.routers():  # in the order of DOMAINS; web last
        app.include_router(router)
    return app
