"""Scoped roles see only their scope, on top of the role matrix: a neighbor_viewer only its
own city, a chief only their own patrols, a liaison unit only the chiefs it serves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.models import UserAccount
from service.officials.models import Assignment
from tests.support import Headers


def _gpx(seed: int) -> bytes:
    start = datetime(2026, 3, 1, 1, 0, tzinfo=UTC) + timedelta(minutes=seed)
    points = "".join(
        f'<trkpt lat="{29.62 - i * 0.0003:.6f}" lon="{103.765 + seed * 1e-5:.6f}">'
        f"<time>{(start + timedelta(seconds=30 * i)).strftime('%Y-%m-%dT%H:%M:%SZ')}</time>"
        "</trkpt>"
        for i in range(60)
    )
    return (
        '<gpx version="1.1" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>'
        f"{points}</trkseg></trk></gpx>"
    ).encode()


def test_neighbor_viewer_sees_only_its_city(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    own = db.scalar(select(UserAccount.neighbor_code).where(UserAccount.username == "meishan"))
    others = db.scalars(
        select(AdminArea.code).where(AdminArea.role == "neighbor_city", AdminArea.code != own)
    ).all()
    assert own and others
    viewer = auth_headers("meishan")
    assert client.get(f"/api/v1/cross-boundary/{own}", headers=viewer).status_code == 200
    for code in others:
        r = client.get(f"/api/v1/cross-boundary/{code}", headers=viewer)
        assert r.status_code in (403, 404), (code, r.status_code)
    agreements = client.get("/api/v1/cooperation-agreements", headers=viewer)
    assert agreements.status_code == 200
    for item in agreements.json():
        assert own in str(item), item
    # Staff see any neighbour.
    assert client.get(
        f"/api/v1/cross-boundary/{others[0]}", headers=auth_headers("office")
    ).is_success


def test_chief_sees_only_own_patrols(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    chief_official = db.scalar(
        select(UserAccount.official_id).where(UserAccount.username == "chief")
    )
    other = db.scalar(
        select(Assignment.official_id).where(
            Assignment.role == "river_chief",
            Assignment.official_id.is_not(None),
            Assignment.official_id != chief_official,
        )
    )
    assert chief_official and other
    own = client.post(
        "/api/v1/patrols",
        files={"file": ("a.gpx", _gpx(1), "application/gpx+xml")},
        headers=auth_headers("chief"),
    )
    theirs = client.post(
        "/api/v1/patrols",
        files={"file": ("b.gpx", _gpx(2), "application/gpx+xml")},
        data={"chief_id": str(other)},
        headers=auth_headers("office"),
    )
    assert own.status_code == 201 and theirs.status_code == 201, (own.text, theirs.text)
    listed = client.get("/api/v1/patrols", headers=auth_headers("chief")).json()
    assert {p["chief_id"] for p in listed} == {chief_official}
    their_id = theirs.json()["id"]
    for path in (f"/api/v1/patrols/{their_id}", f"/api/v1/patrols/{their_id}/track.geojson"):
        r = client.get(path, headers=auth_headers("chief"))
        assert r.status_code in (403, 404), (path, r.status_code)
    # A chief cannot upload in another chief's name.
    forged = client.post(
        "/api/v1/patrols",
        files={"file": ("c.gpx", _gpx(3), "application/gpx+xml")},
        data={"chief_id": str(other)},
        headers=auth_headers("chief"),
    )
    assert forged.status_code == 403
    office_sees = client.get("/api/v1/patrols", headers=auth_headers("office")).json()
    assert {own.json()["id"], their_id} <= {p["id"] for p in office_sees}
