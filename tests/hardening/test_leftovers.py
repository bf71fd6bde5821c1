"""Class 11: leftovers of the penetration test.

On the code issue 14 started from: a 500 carried none of the security headers (Starlette
answers it outside every middleware); ``chief_id=²`` passed ``isdigit()`` and broke
``int()`` (500), as did an OGC feature id ``²``; ``/static/%00`` raised on the NUL byte
(500); a track whose times run backwards, or that lies wholly outside the city, was stored
as a patrol (201).
"""

from __future__ import annotations

from datetime import UTC, datetime

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.db import get_session
from service.main import create_app
from tests.hardening.conftest import Headers, count
from tests.patrols.conftest import gpx, river_points

SECURITY_HEADERS = ("X-Content-Type-Options", "X-Frame-Options", "Content-Security-Policy")


def test_a_500_carries_the_security_headers(db: Session) -> None:
    app = create_app()
    app.dependency_overrides[get_session] = lambda: db

    @app.get("/h14-boom")
    def boom() -> None:
        raise RuntimeError("a bug")

    r = TestClient(app, raise_server_exceptions=False).get("/h14-boom")
    assert r.status_code == 500
    assert all(name in r.headers for name in SECURITY_HEADERS), r.headers
    assert r.json()["code"] == "internal_error" and "a bug" not in r.text


def test_unicode_digits_are_not_ids(client: TestClient, auth_headers: Headers) -> None:
    r = client.post(
        "/api/v1/patrols",
        files={"file": ("t.gpx", b"<gpx/>", "application/gpx+xml")},
        data={"chief_id": "²"},
        headers=auth_headers("office"),
    )
    assert r.status_code == 422 and r.json()["field"] == "chief_id", r.text
    assert client.get("/ogc/collections/segments/items/²").status_code == 404
    assert client.get("/ogc/collections/segments/items/99999999999").status_code == 404


def test_hostile_static_paths_are_404(client: TestClient) -> None:
    for path in ("/static/%00", "/static/a%00.js", "/static/" + "a" * 5000 + ".js"):
        r = client.get(path)
        assert r.status_code == 404, (path, r.status_code)
        assert r.headers["X-Content-Type-Options"] == "nosniff"


def test_tracks_running_backwards_or_outside_the_city_are_refused(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    start = datetime(2025, 9, 4, 1, 0, tzinfo=UTC)
    points = river_points(db, "岷江", 0.30, 0.34, start=start)
    times = [p[2] for p in points]
    backwards = [(lon, lat, t) for (lon, lat, _), t in zip(points, reversed(times), strict=True)]
    outside = river_points(db, "岷江", 0.30, 0.34, start=start, offset_m=(0, -400_000))
    before = count(db, "patrol")
    for track, code in ((backwards, "track_times_backwards"), (outside, "outside_city")):
        r = client.post(
            "/api/v1/patrols",
            files={"file": ("t.gpx", gpx([track]), "application/gpx+xml")},
            headers=auth_headers("chief"),
        )
        assert r.status_code == 422 and r.json()["code"] == code, r.text
        assert r.json()["field"] == "file"
    assert count(db, "patrol") == before
    forwards = client.post(
        "/api/v1/patrols",
        files={"file": ("f.gpx", gpx([points]), "application/gpx+xml")},
        headers=auth_headers("chief"),
    )
    assert forwards.status_code == 201, forwards.text
