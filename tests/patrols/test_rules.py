"""Rules with hand-checked numbers: overlaps, invalid and voided patrols, GCJ-02, boundaries."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
import pytest
from sqlalchemy import text

from service.geo.datum import wgs84_to_gcj02
from tests.patrols.conftest import gpx, river_points

START = datetime(2025, 4, 8, 1, 0, tzinfo=UTC)
YEAR_2025 = {"from": "2025-01-01", "to": "2025-12-31"}


def _coverage(client, name: str, params=YEAR_2025) -> dict:  # type: ignore[no-untyped-def]
    # As office staff: periods shorter than 28 days are not public (issue 14).
    from service.auth.models import UserAccount
    from service.auth.tokens import issue_token

    app = client.app
    session = app.dependency_overrides[next(iter(app.dependency_overrides))]()
    office = session.query(UserAccount).filter_by(username="office").one()
    headers = {"Authorization": f"Bearer {issue_token(office.id, office.token_version)}"}
    return next(
        r
        for r in client.get("/api/v1/coverage", params=params, headers=headers).json()
        if r["name"] == name
    )


def test_overlapping_patrols_do_not_double_count(db, upload, client, chief_of) -> None:
    """25%-60% and 40%-75% of 青衣江: the union is 50%, not 35% + 35% = 70%."""
    chief = chief_of("青衣江")
    a = upload(
        gpx([river_points(db, "青衣江", 0.25, 0.60, start=START, speed_kmh=15)]), chief_id=chief
    )
    b = upload(
        gpx(
            [
                river_points(
                    db, "青衣江", 0.40, 0.75, start=START + timedelta(days=3), speed_kmh=15, seed=7
                )
            ]
        ),
        chief_id=chief,
    )
    assert a.json()["rivers"][0]["coverage"] == pytest.approx(0.35, abs=0.01)
    assert b.json()["rivers"][0]["coverage"] == pytest.approx(0.35, abs=0.01)
    row = _coverage(client, "青衣江")
    assert row["coverage"] == pytest.approx(0.50, abs=0.01)
    assert row["patrols"] == 2
    # a period holding only the first
    first_week = {"from": "2025-04-01", "to": "2025-04-09"}
    assert _coverage(client, "青衣江", first_week)["coverage"] == pytest.approx(0.35, abs=0.01)


def test_back_and_forth_counts_once(db, upload, client, chief_of) -> None:
    """Out along 30%-50% and back on the same bank: one patrol, 20% covered."""
    out = river_points(db, "青衣江", 0.30, 0.50, start=START, speed_kmh=10)
    back = [(lon, lat, out[-1][2] + (out[-1][2] - t)) for lon, lat, t in reversed(out)]
    body = upload(gpx([out + back[1:]]), chief_id=chief_of("青衣江")).json()
    assert body["rivers"][0]["coverage"] == pytest.approx(0.20, abs=0.01)
    assert body["length_km"] == pytest.approx(2 * 0.20 * 39.9, rel=0.05)


def test_gap_breaks_coverage(db, upload, chief_of) -> None:
    """A 2 km jump (no fixes, beyond patrol_gap_m = 500 m) is not counted as covered."""
    pts = river_points(db, "青衣江", 0.30, 0.50, start=START, speed_kmh=10, step_m=25)
    # drop the fixes between 40% and 45% of the river: ~2 km with no point
    n = len(pts)
    cut_from, cut_to = int(n * 0.50), int(n * 0.75)
    body = upload(gpx([pts[:cut_from] + pts[cut_to:]]), chief_id=chief_of("青衣江")).json()
    assert body["rivers"][0]["coverage"] == pytest.approx(0.15, abs=0.01)
    assert len(body["segments"][0]["intervals"]) == 2


def test_invalid_patrols_count_for_nothing(db, upload, client, chief_of) -> None:
    """Driven along half of 青衣江 in 6 minutes (200 km/h): too_short_duration, not counted."""
    track = river_points(db, "青衣江", 0.25, 0.75, start=START, speed_kmh=200, step_m=100)
    body = upload(gpx([track]), chief_id=chief_of("青衣江")).json()
    assert body["duration_min"] == pytest.approx(6.0, abs=0.5)
    assert body["valid"] is False and body["invalid_reasons"] == ["too_short_duration"]
    assert body["rivers"][0]["coverage"] == pytest.approx(0.50, abs=0.01)  # matched anyway
    row = _coverage(client, "青衣江")
    assert row["coverage"] == 0.0 and row["patrols"] == 0


def test_short_track_and_other_river(db, upload, chief_of) -> None:
    """0.5 km along 岷江 for 岷江's chief: too short; 2 km of 大渡河: not the chief's river."""
    short = river_points(db, "岷江", 0.500, 0.505, start=START, speed_kmh=2)
    body = upload(gpx([short]), as_user="chief").json()
    assert body["length_km"] == pytest.approx(0.53, abs=0.1)
    assert body["invalid_reasons"] == ["too_short_length", "no_coverage_of_own_river"]
    other = river_points(db, "大渡河", 0.30, 0.315, start=START, speed_kmh=5)
    body = upload(gpx([other]), as_user="chief").json()
    assert body["rivers"][0]["name"] == "大渡河" and body["rivers"][0]["covered_km"] > 2.0
    assert body["invalid_reasons"] == ["no_coverage_of_own_river"]


def test_void_keeps_the_patrol_but_stops_counting_it(
    db, upload, client, chief_of, auth_headers
) -> None:
    body = upload(
        gpx([river_points(db, "青衣江", 0.25, 0.75, start=START, speed_kmh=20)]),
        chief_id=chief_of("青衣江"),
    ).json()
    assert _coverage(client, "青衣江")["coverage"] == pytest.approx(0.50, abs=0.01)
    url = f"/api/v1/patrols/{body['id']}/void"
    assert (
        client.post(url, json={"reason": "wrong chief"}, headers=auth_headers("chief")).status_code
        == 403
    )
    assert client.post(url, json={"reason": ""}, headers=auth_headers("office")).status_code == 422
    voided = client.post(url, json={"reason": "轨迹为测试数据"}, headers=auth_headers("office"))
    assert voided.status_code == 200
    assert voided.json()["void_reason"] == "轨迹为测试数据" and voided.json()["counted"] is False
    assert voided.json()["valid"] is True  # its verdict is kept for audit
    assert _coverage(client, "青衣江")["coverage"] == 0.0
    again = client.post(url, json={"reason": "again"}, headers=auth_headers("office"))
    assert again.status_code == 409


def test_gcj02_track_comes_back_onto_the_river(db, upload, client, chief_of, auth_headers) -> None:
    """A track shifted by the forward GCJ-02 formula, uploaded with datum=gcj02."""
    true_pts = river_points(db, "青衣江", 0.25, 0.75, start=START, speed_kmh=20)
    lon, lat = wgs84_to_gcj02([p[0] for p in true_pts], [p[1] for p in true_pts])
    shifted = [(float(x), float(y), p[2]) for x, y, p in zip(lon, lat, true_pts, strict=True)]
    body = upload(gpx([shifted]), chief_id=chief_of("青衣江"), datum="gcj02").json()
    assert body["datum"] == "gcj02"
    assert body["rivers"][0]["coverage"] == pytest.approx(0.50, abs=0.01)
    track = client.get(
        f"/api/v1/patrols/{body['id']}/track.geojson", headers=auth_headers("office")
    ).json()
    stored = np.array(track["geometry"]["coordinates"][0])
    original = np.array([(p[0], p[1]) for p in true_pts])
    # back on the WGS84 positions to within 1e-6 degrees (~0.1 m); the shift was ~300-600 m
    assert np.abs(stored - original).max() < 1e-6
    assert np.abs(np.array([lon, lat]).T - original).max() > 2e-3


def test_outside_leshan_is_refused(db, upload, client, chief_of) -> None:
    """The 岷江 path moved 60 km east, out of Leshan: 422, and nothing is covered."""
    track = river_points(db, "岷江", 0.2, 0.3, start=START, speed_kmh=20, offset_m=(60_000, 0))
    inside = db.execute(
        text(
            "SELECT count(*) FROM admin_area a, unnest(CAST(:xs AS float8[]), "
            "CAST(:ys AS float8[])) AS p(x, y) WHERE a.role = 'focus_city' "
            "AND ST_Intersects(a.geom, ST_SetSRID(ST_MakePoint(p.x, p.y), 4326))"
        ),
        {"xs": [p[0] for p in track], "ys": [p[1] for p in track]},
    ).scalar_one()
    assert inside == 0
    # Wholly outside the city: refused, not stored as a patrol covering nothing (issue 14).
    refused = upload(gpx([track]), as_user="chief")
    assert refused.status_code == 422 and refused.json()["code"] == "outside_city"
    assert _coverage(client, "岷江")["covered_km"] == 0.0
