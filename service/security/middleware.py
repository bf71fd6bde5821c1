"""ASGI middleware of the security layer, installed by ``service.main`` with ``install``.

Order, outermost first: security headers (so even a 413 carries them), the audit request
context, the body-size limits.
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.types import ASGIApp, Receive, Scope, Send

from service.security.audit import request_context
from service.security.headers import SecurityHeadersMiddleware
from service.security.uploads import BodyLimitMiddleware


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


def install(app: FastAPI) -> None:
    """Add the middleware (``add_middleware`` wraps: the last added runs first)."""
    app.add_middleware(BodyLimitMiddleware)
    app.add_middleware(AuditContextMiddleware)
    app.add_middleware(SecurityHeadersMiddleware)
