"""Who the client is: its address behind trusted proxies, its Host, its one credential.

``RequestGuardMiddleware`` runs before everything that looks at the request:

- **Address.** ``X-Forwarded-For`` is believed only when the peer is one of
  ``RIVERCHIEF_TRUSTED_PROXIES`` (addresses or CIDRs; default none). The client is then the
  right-most address in the header that is not itself a trusted proxy, and ``scope["client"]``
  is rewritten to it, so the rate limits (``service.security.ratelimit.client_ip``) and the
  audit log see the same address. Anyone else's header is ignored: a caller cannot pick the
  address it is counted under. (uvicorn's own proxy-header handling is off for the same
  reason: it trusts 127.0.0.1 by default.)
- **Host.** A ``Host`` that is not in ``RIVERCHIEF_ALLOWED_HOSTS`` (or the host of
  ``RIVERCHIEF_PUBLIC_BASE_URL``) is refused with 400, so a forged Host never reaches a link,
  a redirect or a cache key. Links use :func:`public_base_url`.
- **One credential.** Two ``Authorization`` headers are refused with 400: the read cache and
  the route would otherwise each pick one and could disagree about who is asking.
"""

from __future__ import annotations

import ipaddress
from functools import lru_cache
from urllib.parse import urlsplit

from starlette.requests import Request
from starlette.types import ASGIApp, Receive, Scope, Send

from service.security.asgi import send_error
from service.settings import Settings, get_settings

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


@lru_cache(maxsize=8)
def _networks(spec: str) -> tuple[Network, ...]:
    out = []
    for part in spec.split(","):
        if part.strip():
            out.append(ipaddress.ip_network(part.strip(), strict=False))
    return tuple(out)


def trusted_networks(settings: Settings) -> tuple[Network, ...]:
    """``RIVERCHIEF_TRUSTED_PROXIES`` parsed (a bad entry fails at the first request)."""
    return _networks(settings.trusted_proxies)


def _is_trusted(address: str, networks: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address.strip().strip("[]"))
    except ValueError:
        return False
    return any(ip in net for net in networks)


def forwarded_client(peer: str, forwarded_for: str | None, networks: tuple[Network, ...]) -> str:
    """The client's address: ``peer`` unless it is a trusted proxy that says who it forwards.

    Walks ``X-Forwarded-For`` from the right (the hop nearest to us), skipping trusted
    proxies; the first other address is the client. A malformed entry stops the walk there:
    the last trusted hop is then the best we know.
    """
    if not networks or not forwarded_for or not _is_trusted(peer, networks):
        return peer
    client = peer
    for hop in reversed([h.strip() for h in forwarded_for.split(",") if h.strip()]):
        try:
            ipaddress.ip_address(hop.strip("[]"))
        except ValueError:
            return client
        client = hop.strip("[]")
        if not _is_trusted(client, networks):
            return client
    return client


@lru_cache(maxsize=8)
def _hosts(spec: str, public_base_url: str) -> frozenset[str]:
    hosts = {h.strip().lower().strip("[]") for h in spec.split(",") if h.strip()}
    if public_base_url:
        name = urlsplit(public_base_url).hostname
        if name:
            hosts.add(name.lower())
    return frozenset(hosts)


def host_name(host_header: str) -> str:
    """``Host`` without its port (``[::1]:8000`` → ``::1``), lower case."""
    value = host_header.strip().lower()
    if value.startswith("["):
        return value[1:].partition("]")[0]
    if value.count(":") == 1:
        return value.partition(":")[0]
    return value


def host_allowed(host_header: str | None, settings: Settings) -> bool:
    """Whether ``Host`` is served. No Host at all (HTTP/1.0, a bare ASGI call) is allowed:
    nothing was forged, and the request's URL then names the server's own address."""
    if host_header is None:
        return True
    allowed = _hosts(settings.allowed_hosts, settings.public_base_url)
    return "*" in allowed or host_name(host_header) in allowed


def public_base_url(request: Request) -> str:
    """The service's address for links it writes: ``RIVERCHIEF_PUBLIC_BASE_URL``, else the
    request's own (its Host was checked against ``RIVERCHIEF_ALLOWED_HOSTS``). No trailing /."""
    configured = get_settings().public_base_url
    if configured:
        return configured.rstrip("/")
    return str(request.base_url).rstrip("/")


def public_url(request: Request) -> str:
    """The request's own URL (path and query) on :func:`public_base_url`."""
    query = request.url.query
    return public_base_url(request) + request.url.path + (f"?{query}" if query else "")


class RequestGuardMiddleware:
    """Client address, Host and a single Authorization header (see the module docstring)."""

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        settings = get_settings()
        raw = scope.get("headers", [])
        hosts = [v.decode("latin-1") for k, v in raw if k == b"host"]
        if len(hosts) > 1 or not host_allowed(hosts[0] if hosts else None, settings):
            shown = hosts[0][:100] if hosts else "none"
            await send_error(send, 400, f"host {shown!r} is not served here", "host_not_allowed")
            return
        if sum(1 for k, _ in raw if k == b"authorization") > 1:
            await send_error(
                send, 400, "send one Authorization header, not several", "duplicate_header"
            )
            return
        networks = trusted_networks(settings)
        client = scope.get("client")
        if networks and client:
            forwarded = b",".join(v for k, v in raw if k == b"x-forwarded-for")
            address = forwarded_client(
                str(client[0]), forwarded.decode("latin-1") or None, networks
            )
            if address != client[0]:
                scope = {**scope, "client": (address, 0)}
        await self.app(scope, receive, send)
