"""create_app(): lifespan, routers, exception handlers — nothing else."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy import text

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
    errors.PayloadTooLarge: 413,
    errors.UnsupportedMedia: 415,
    errors.InvalidInput: 422,
    errors.TooManyRequests: 429,
}


def _status_for(exc: errors.DomainError) -> int:
    for cls in type(exc).__mro__:
        if cls in STATUS_BY_ERROR:
            return STATUS_BY_ERROR[cls]
    return 400


async def domain_error_handler(request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, errors.DomainError)
    status = _status_for(exc)
    headers = {"WWW-Authenticate": "Bearer"} if status == 401 else None
    if status == 429 and "retry_after" in exc.detail:
        headers = {"Retry-After": str(exc.detail["retry_after"])}
    return JSONResponse({"detail": exc.message, **exc.detail}, status_code=status, headers=headers)


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
