"""Class 9: what each caller may see, also through side doors.

On the code issue 14 started from: ``possible_duplicates`` listed covert and out-of-scope
problems to anyone reporting nearby; a refused patrol read named the official and the day;
a neighbour city's viewer saw every problem near its border, not only those on the rivers it
shares; ``buffer_km`` went to 50; and anonymous callers could read one day's coverage.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.timeutil import today_local
from tests.hardening.conftest import BESIDE_DADU, Headers
from tests.patrols.conftest import gpx, river_points
from tests.support import river_id


def test_possible_duplicates_show_only_problems_the_caller_may_see(
    report_problem: Callable[..., Any],
) -> None:
    covert = report_problem(as_="office", covert=True, point=BESIDE_DADU)
    assert covert.status_code == 201, covert.text
    covert_id = covert.json()["id"]
    mine = report_problem(as_="patrol", point=BESIDE_DADU)
    assert mine.status_code == 201
    assert covert_id not in [d["id"] for d in mine.json()["possible_duplicates"]]
    office = report_problem(as_="office", point=BESIDE_DADU)
    assert covert_id in [d["id"] for d in office.json()["possible_duplicates"]]


def test_a_refused_patrol_read_names_no_official_and_no_day(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    from service.officials.queries import municipal_chief

    chief = municipal_chief(db, river_id(db, "青衣江"), today_local())
    assert chief is not None
    start = datetime(2025, 9, 3, 1, 0, tzinfo=UTC)
    up = client.post(
        "/api/v1/patrols",
        files={"file": ("q.gpx", gpx([river_points(db, "青衣江", 0.3, 0.4, start=start)]))},
        data={"chief_id": str(chief.id)},
        headers=auth_headers("office"),
    )
    assert up.status_code == 201, up.text
    pid = up.json()["id"]
    for suffix in ("", "/track.geojson", "/track.gpx"):
        for who in ("chief", "patrol"):
            r = client.get(f"/api/v1/patrols/{pid}{suffix}", headers=auth_headers(who))
            assert r.status_code == 403, r.text
            detail = r.json()["detail"]
            assert str(chief.id) not in detail and "2025-09" not in detail, detail


def _near_meishan_not_on_shared_river(
    db: Session, client: TestClient, headers: dict[str, str]
) -> int:
    """Report problems near the 眉山 border until one is routed off the shared rivers."""
    shared = {
        r["river_id"]
        for n in client.get("/api/v1/cross-boundary").json()
        if n["neighbor_code"] == "511400"
        for r in n["rivers"]
    }
    points = db.execute(
        text(
            """
            WITH b AS (SELECT geom FROM shared_border WHERE neighbor_code = '511400'),
            c AS (SELECT geom FROM admin_area WHERE code = '511100'),
            pts AS (SELECT (ST_DumpPoints(ST_Segmentize(b.geom, 0.05))).geom AS p FROM b)
            SELECT ST_X(q) AS lon, ST_Y(q) AS lat FROM (
                SELECT ST_PointOnSurface(ST_Intersection(c.geom,
                    ST_Buffer(p::geography, 2500)::geometry)) AS q FROM pts, c
            ) s WHERE NOT ST_IsEmpty(q) LIMIT 60
            """
        )
    ).all()
    for lon, lat in points:
        r = client.post(
            "/api/v1/problems",
            json={
                "lon": lon,
                "lat": lat,
                "category": "other",
                "description": "界河附近的问题",
                "observed_at": (datetime.now(UTC) - timedelta(hours=1)).isoformat(),
            },
            headers=headers,
        )
        if r.status_code == 201 and r.json()["river_id"] not in shared:
            return int(r.json()["id"])
    raise AssertionError("no point near the 眉山 border off its shared rivers")


def test_a_neighbour_sees_problems_on_shared_rivers_only(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    pid = _near_meishan_not_on_shared_river(db, client, auth_headers("office"))
    office = client.get("/api/v1/cross-boundary/511400", headers=auth_headers("office"))
    assert pid in [p["id"] for p in office.json()["problems"]]
    meishan = client.get("/api/v1/cross-boundary/511400", headers=auth_headers("meishan"))
    assert meishan.status_code == 200
    assert pid not in [p["id"] for p in meishan.json()["problems"]]
    brief = client.get("/api/v1/cross-boundary/511400/brief", headers=auth_headers("meishan"))
    assert brief.status_code == 200


def test_buffer_km_is_bounded(client: TestClient, auth_headers: Headers) -> None:
    for buffer in ("25", "50", "nan", "inf"):
        r = client.get(
            "/api/v1/cross-boundary/511400",
            params={"buffer_km": buffer},
            headers=auth_headers("office"),
        )
        assert r.status_code == 422 and r.json()["field"] == "buffer_km", (buffer, r.text)
    ok = client.get(
        "/api/v1/cross-boundary/511400", params={"buffer_km": "20"}, headers=auth_headers("office")
    )
    assert ok.status_code == 200


def test_anonymous_coverage_periods_are_at_least_28_days(
    client: TestClient, auth_headers: Headers
) -> None:
    day = {"from": "2025-04-08", "to": "2025-04-08"}
    feb = {"from": "2025-02-01", "to": "2025-02-28"}
    for path in ("/api/v1/coverage", "/api/v1/coverage/segments.geojson"):
        r = client.get(path, params=day)
        assert r.status_code == 422 and r.json()["code"] == "period_too_short", r.text
        assert client.get(path, params=feb).status_code == 200
        assert client.get(path, params=day, headers=auth_headers("office")).status_code == 200
    tile = client.get("/tiles/segments/10/812/426.pbf", params=day)
    assert tile.status_code == 422
    assert client.get("/api/v1/coverage").status_code == 200  # the default: this year
