"""ASGI middleware of the security layer, installed by ``service.main`` with ``install``.

Order, outermost first: security headers (so even a 413 or a 500 carries them), the request
guard (client address behind trusted proxies, Host, one Authorization header), the audit
request context, the body-size limits, the strict JSON check. ``install`` also maps
``sqlalchemy.exc.DataError`` to 422 and completes the OpenAPI document
(``service.security.openapi``).
"""

from __future__ import annotations

from collections.abc import Sequence

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse
from sqlalchemy.exc import DataError, OperationalError
from starlette.types import ASGIApp, Receive, Scope, Send

from service.errors import error_body
from service.security.audit import request_context, writes_committed
from service.security.clients import RequestGuardMiddleware
from service.security.headers import SecurityHeadersMiddleware
from service.security.openapi import install_openapi
from service.security.strictjson import StrictJsonMiddleware
from service.security.uploads import BodyLimitMiddleware, LimitRule


class AuditContextMiddleware:
    """Makes the request line and client address available to audit rows."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        client = scope.get("client")
        ip = str(client[0])[:64] if client else None
        with request_context(f"{scope['method']} {scope['path']}", ip):
            await self.app(scope, receive, send)


async def data_error_handler(request: Request, exc: Exception) -> JSONResponse:
    """A value PostgreSQL cannot take (an id past int4, a malformed literal) is the caller's
    error, not a crash: 422 instead of 500. The request session is discarded afterwards.

    Unless this request already committed a write: then the caller's change *was* kept and
    a 4xx would tell it otherwise, so that is a server error (a value got past the checks
    and cannot be read back).
    """
    if writes_committed():
        return JSONResponse(
            error_body(
                "the change was saved but cannot be read back; report this to the office",
                "unreadable_after_write",
            ),
            status_code=500,
        )
    return JSONResponse(
        error_body("a parameter is out of range or malformed", "out_of_range"),
        status_code=422,
    )


async def database_down_handler(request: Request, exc: Exception) -> JSONResponse:
    """PostGIS unreachable (restarting, failing over): 503 with Retry-After, so clients retry
    (with the same ``client_id`` for uploads) instead of treating it as a server bug."""
    return JSONResponse(
        error_body("the database is unavailable; retry shortly", "database_unavailable"),
        status_code=503,
        headers={"Retry-After": "2"},
    )


def install(app: FastAPI, body_limits: Sequence[LimitRule]) -> None:
    """Add the middleware (``add_middleware`` wraps: the last added runs first), the
    DataError handler and the completed OpenAPI document."""
    app.add_exception_handler(DataError, data_error_handler)
    app.add_exception_handler(OperationalError, database_down_handler)
    install_openapi(app)
    app.add_middleware(StrictJsonMiddleware)
    app.add_middleware(BodyLimitMiddleware, rules=body_limits)
    app.add_middleware(AuditContextMiddleware)
    app.add_middleware(RequestGuardMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
