"""Single-use, short-lived download links (issue 15): a click downloads without a bearer
header, once, within a minute, as the account that asked, for the one path it named."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.auth.models import DownloadLink, UserAccount
from tests.support import Headers


def _link(client: TestClient, headers: dict[str, str], path: str) -> str:
    r = client.post("/api/v1/download-links", json={"path": path}, headers=headers)
    assert r.status_code == 201, r.text
    body = r.json()
    expires = datetime.fromisoformat(body["expires_at"])
    assert timedelta(seconds=50) < expires - datetime.now(UTC) <= timedelta(seconds=60)
    parts = urlsplit(body["url"])
    return f"{parts.path}?{parts.query}"


def test_link_downloads_once_without_a_token(client: TestClient, auth_headers: Headers) -> None:
    url = _link(client, auth_headers("office"), "/api/v1/compliance?year=2026&format=xlsx")
    assert "download_token=" in url
    first = client.get(url)
    assert first.status_code == 200, first.text
    assert first.headers["content-type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(first.content))
    assert workbook.active is not None and workbook.active.max_row > 1
    again = client.get(url)
    assert again.status_code == 410
    assert again.json()["code"] == "download_link_used"
    # Without a link the same path is refused, as before.
    assert client.get("/api/v1/compliance?year=2026&format=xlsx").status_code == 401


def test_link_is_bound_to_its_path_and_query(client: TestClient, auth_headers: Headers) -> None:
    url = _link(client, auth_headers("office"), "/api/v1/compliance?format=xlsx&year=2026")
    token = url.split("download_token=")[1]
    other = client.get(f"/api/v1/users?download_token={token}")
    assert other.status_code == 401
    assert other.json()["code"] == "download_link_wrong_path"
    year = client.get(f"/api/v1/compliance?year=2025&format=xlsx&download_token={token}")
    assert year.json()["code"] == "download_link_wrong_path"
    # Parameters in another order are the same query; the refused tries did not use it up.
    ok = client.get(f"/api/v1/compliance?download_token={token}&year=2026&format=xlsx")
    assert ok.status_code == 200


def test_expired_unknown_and_revoked_links(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    url = _link(client, auth_headers("office"), "/api/v1/users")
    db.execute(update(DownloadLink).values(expires_at=datetime.now(UTC) - timedelta(seconds=1)))
    expired = client.get(url)
    assert (expired.status_code, expired.json()["code"]) == (410, "download_link_expired")

    unknown = client.get("/api/v1/users?download_token=nope")
    assert (unknown.status_code, unknown.json()["code"]) == (401, "download_link_invalid")

    url = _link(client, auth_headers("office"), "/api/v1/users")
    office = db.scalar(select(UserAccount).where(UserAccount.username == "office"))
    assert office is not None
    office.token_version += 1  # a password reset or role change revokes links too
    db.flush()
    revoked = client.get(url)
    assert (revoked.status_code, revoked.json()["code"]) == (401, "not_authenticated")


def test_only_paths_the_caller_may_read(client: TestClient, auth_headers: Headers) -> None:
    chief = auth_headers("chief")
    refused = client.post("/api/v1/download-links", json={"path": "/api/v1/users"}, headers=chief)
    assert refused.status_code == 403
    assert refused.json()["code"] == "download_path_forbidden"
    raw = client.post(
        "/api/v1/download-links", json={"path": "/api/v1/patrols/1/raw"}, headers=chief
    )
    assert raw.status_code == 403
    for path in (
        "https://evil.example/api/v1/users",
        "//evil.example/api/v1/users",
        "/api/v1/../static/index.html",
        "/static/js/main.js",
        "/api/v1/download-links",  # POST only
        "/api/v1/auth/token",
        "/api/v1/users#x",
    ):
        r = client.post("/api/v1/download-links", json={"path": path}, headers=chief)
        assert r.status_code == 422, (path, r.text)
        assert r.json()["code"] == "download_path_invalid", path
    too_long = client.post(
        "/api/v1/download-links", json={"path": "/api/v1/problems?q=" + "x" * 3000}, headers=chief
    )
    assert too_long.status_code == 422
    anonymous = client.post("/api/v1/download-links", json={"path": "/api/v1/rivers"})
    assert anonymous.status_code == 401


def test_the_route_runs_as_the_account_with_its_scope(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    """The meishan viewer opens its own city's brief by a link; another city's brief is
    refused by the route's own scoping, link or not."""
    own = db.scalar(select(UserAccount.neighbor_code).where(UserAccount.username == "meishan"))
    viewer = auth_headers("meishan")
    page = client.get(_link(client, viewer, f"/api/v1/cross-boundary/{own}/brief"))
    assert page.status_code == 200, page.text
    assert page.headers["content-type"].startswith("text/html")
    assert "联席会议" in page.text
    other = client.get(_link(client, viewer, "/api/v1/cross-boundary/511500/brief"))
    assert other.status_code in (403, 404)
