"""Security headers on every response, and the Content-Security-Policy of the map page.

The map page loads only its own assets (``/static``, ES modules, no inline script or style
elements) plus tiles from the configured basemap host, so its policy is ``'self'`` plus that
host in ``img-src``. JSON responses get ``default-src 'none'``: nothing in them should ever run.
FastAPI's Swagger UI and ReDoc pages load their code from a CDN with an inline bootstrap
script, so ``/docs`` and ``/redoc`` get a policy that allows exactly that and nothing else.
A route that needs another policy (a folium export) sets its own header; it is kept.
"""

from __future__ import annotations

from starlette.datastructures import MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from service.security.asgi import send_error
from service.settings import Settings, get_settings

#: Tile hosts per ``RIVERCHIEF_BASEMAP`` (Tianditu serves from t0..t7.tianditu.gov.cn).
BASEMAP_ORIGINS: dict[str, tuple[str, ...]] = {
    "none": (),
    "osm": ("https://tile.openstreetmap.org",),
    "tianditu": ("https://*.tianditu.gov.cn",),
}
DOCS_CDN = "https://cdn.jsdelivr.net"
API_POLICY = "default-src 'none'; frame-ancestors 'none'"

COMMON_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "same-origin",
    "Cross-Origin-Opener-Policy": "same-origin",
    # The report page may ask for the phone's position and camera; nothing else may.
    "Permissions-Policy": "geolocation=(self), camera=(self), microphone=(), payment=(), usb=()",
}


def basemap_origins(settings: Settings) -> tuple[str, ...]:
    """Origins the map page may load basemap tiles from."""
    # ``auto`` and a keyless ``tianditu`` draw no basemap (service.web.config).
    return BASEMAP_ORIGINS.get(settings.basemap_used, ())


def page_policy(settings: Settings) -> str:
    """CSP for the HTML pages: own assets only, tiles from the configured basemap."""
    tiles = " ".join(basemap_origins(settings))
    img = f"img-src 'self' data: blob: {tiles}".rstrip()
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            img,
            "font-src 'self'",
            "connect-src 'self'",
            "worker-src 'self'",
            "manifest-src 'self'",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def docs_policy() -> str:
    """CSP for FastAPI's /docs and /redoc, whose HTML has an inline bootstrap script."""
    return (
        f"default-src 'self'; script-src 'self' 'unsafe-inline' {DOCS_CDN}; "
        f"style-src 'self' 'unsafe-inline' {DOCS_CDN}; img-src 'self' data: https:; "
        f"worker-src 'self' blob:; connect-src 'self'; object-src 'none'; "
        "frame-ancestors 'none'; base-uri 'self'"
    )


def policy_for(path: str, content_type: str, settings: Settings) -> str:
    if path in ("/docs", "/redoc", "/docs/oauth2-redirect"):
        return docs_policy()
    if content_type.startswith(("text/html", "application/javascript", "text/javascript")):
        return page_policy(settings)
    return API_POLICY


class SecurityHeadersMiddleware:
    """Adds the common headers and a CSP to every HTTP response (pure ASGI: no buffering)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        path = str(scope.get("path", ""))

        started = False

        async def send_with_headers(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
                headers = MutableHeaders(scope=message)
                for name, value in COMMON_HEADERS.items():
                    headers.setdefault(name, value)
                if "content-security-policy" not in headers:
                    content_type = headers.get("content-type", "")
                    headers["Content-Security-Policy"] = policy_for(path, content_type, settings)
            await send(message)

        try:
            await self.app(scope, receive, send_with_headers)
        except Exception:
            # Starlette's ServerErrorMiddleware, outside every middleware, would answer the
            # 500 without these headers: answer it here, then re-raise so it is logged.
            if not started:
                await send_error(send_with_headers, 500, "internal server error", "internal_error")
            raise
