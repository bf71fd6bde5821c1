"""Class 5: who the client is — its address behind trusted proxies only, its Host, one
Authorization header, and links on the public base URL.

On the code issue 14 started from: ``riverchief serve`` ran uvicorn with proxy headers on,
which believes ``X-Forwarded-For`` from 127.0.0.1, so a local caller chose the address its
failed sign-ins were counted under (and the audit log wrote it down); a forged Host went
into the OGC links; two Authorization headers were answered (the read cache keyed on one,
the route authenticated with the other).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest
import uvicorn
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.engine import Engine

from service import cli
from service.main import create_app
from service.settings import Settings
from tests.hardening.conftest import Headers
from tests.support import live_app


@pytest.fixture
def served_as_in_production(monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """The app on uvicorn with the options ``riverchief serve`` passes (captured from it)."""
    captured: dict[str, Any] = {}
    monkeypatch.setattr(uvicorn, "run", lambda *args, **kwargs: captured.update(kwargs))
    cli.serve(host="127.0.0.1", port=1, workers=1)
    options = {k: v for k, v in captured.items() if k not in ("factory", "host", "port", "workers")}
    with live_app("/healthz", **options) as base:
        yield base


def test_forwarded_for_from_an_untrusted_peer_is_ignored(
    served_as_in_production: str,
    settings: Settings,
    monkeypatch: pytest.MonkeyPatch,
    engine: Engine,
    committed_cleanup: None,
) -> None:
    monkeypatch.setattr(settings, "login_ip_max_failures", 3)
    codes = []
    for n in range(4):
        r = httpx.post(
            f"{served_as_in_production}/api/v1/auth/token",
            data={"username": f"h14-nobody-{n}", "password": "x"},
            headers={"X-Forwarded-For": f"203.0.113.{n}"},
            timeout=30,
        )
        codes.append(r.status_code)
    assert codes == [401, 401, 401, 429]  # all counted against 127.0.0.1, the real peer
    nonce = httpx.get(
        f"{served_as_in_production}/api/v1/public/challenge",
        headers={"X-Forwarded-For": "203.0.113.77"},
        timeout=30,
    ).json()["nonce"]
    with engine.connect() as conn:
        ip = conn.execute(
            text("SELECT ip FROM audit_log WHERE table_name = 'pow_challenge' AND row_id = :n"),
            {"n": nonce},
        ).scalar_one()
    assert ip == "127.0.0.1"


def test_forwarded_for_from_a_trusted_proxy_names_the_client(
    settings: Settings, monkeypatch: pytest.MonkeyPatch, db: Any
) -> None:
    from service.db import get_session
    from service.security.clients import forwarded_client, trusted_networks

    monkeypatch.setattr(settings, "trusted_proxies", "10.0.0.0/8, 192.0.2.7", raising=False)
    monkeypatch.setattr(settings, "login_ip_max_failures", 2)
    app = create_app()
    app.dependency_overrides[get_session] = lambda: db
    proxy = TestClient(app, client=("10.1.2.3", 40000))

    def attempt(forwarded: str) -> int:
        return proxy.post(
            "/api/v1/auth/token",
            data={"username": f"h14-{forwarded}", "password": "x"},
            headers={"X-Forwarded-For": forwarded},
        ).status_code

    assert [attempt("198.51.100.1"), attempt("198.51.100.1")] == [401, 401]
    assert attempt("198.51.100.1") == 429
    assert attempt("198.51.100.2") == 401  # another client behind the same proxy
    # Spoofed hops to the left of the last untrusted one are not believed.
    assert attempt("198.51.100.9, 198.51.100.1") == 429
    proxy.get("/api/v1/public/challenge", headers={"X-Forwarded-For": "198.51.100.5"})
    row = db.execute(
        text("SELECT ip FROM audit_log WHERE table_name = 'pow_challenge' ORDER BY id DESC")
    ).first()
    assert row is not None and row.ip == "198.51.100.5"
    nets = trusted_networks(settings)
    assert forwarded_client("10.1.2.3", "1.1.1.1, 192.0.2.7", nets) == "1.1.1.1"
    assert forwarded_client("172.16.0.1", "1.1.1.1", nets) == "172.16.0.1"


def test_a_forged_host_is_refused_and_links_use_the_public_base_url(
    client: TestClient, settings: Settings, monkeypatch: pytest.MonkeyPatch
) -> None:
    r = client.get("/ogc", headers={"Host": "evil.example"})
    assert r.status_code == 400 and r.json()["code"] == "host_not_allowed"
    assert r.headers["X-Content-Type-Options"] == "nosniff"
    monkeypatch.setattr(
        settings, "public_base_url", "https://hezhang.example.gov.cn/", raising=False
    )
    landing = client.get("/ogc").json()
    assert all(
        link["href"].startswith("https://hezhang.example.gov.cn/") for link in landing["links"]
    )
    items = client.get("/ogc/collections/segments/items?limit=2").json()
    assert all(
        link["href"].startswith("https://hezhang.example.gov.cn/ogc/") for link in items["links"]
    )
    # The public host itself is allowed.
    assert client.get("/ogc", headers={"Host": "hezhang.example.gov.cn"}).status_code == 200


def test_two_authorization_headers_are_refused(client: TestClient, auth_headers: Headers) -> None:
    office = auth_headers("office")["Authorization"]
    county = auth_headers("county")["Authorization"]
    for path in ("/api/v1/problems.geojson", "/api/v1/auth/me", "/api/v1/rivers"):
        r = client.get(path, headers=[("Authorization", county), ("Authorization", office)])
        assert r.status_code == 400 and r.json()["code"] == "duplicate_header", (path, r.text)
