"""Cutting township and village reaches by measure or by two map points; ending them."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.reaches.models import Reach
from tests.reaches.conftest import reaches_of
from tests.support import Headers


def _cut(client: TestClient, headers: Headers, **body: Any) -> Any:
    return client.post("/api/v1/reaches", json=body, headers=headers("office"))


def _free_stretch(db: Session, river: str) -> tuple[Reach, float, float]:
    """A township reach of ``river`` and a 1.2 km stretch of it no village reach touches."""
    villages = reaches_of(db, river, "village")
    for town in reaches_of(db, river, "township"):
        if town.to_m - town.from_m < 3000:
            continue
        lo = town.from_m + 100.0
        taken = [v for v in villages if v.parent_id == town.id]
        if all(v.from_m >= lo + 1300 or v.to_m <= lo for v in taken):
            return town, lo, lo + 1200.0
    raise AssertionError(f"no free stretch on {river}")


def test_cut_a_village_reach_by_measure(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    town, lo, hi = _free_stretch(db, "岷江")
    body = {
        "river_id": town.river_id,
        "level": "village",
        "admin_code": town.admin_code,
        "village_name": "测试村",
        "bank": "left",
        "from_m": lo,
        "to_m": hi,
        "valid_from": "2026-01-01",
    }
    r = _cut(client, auth_headers, **body)
    assert r.status_code == 201, r.text
    made = r.json()
    assert made["level"] == "village" and made["parent_id"] == town.id
    assert made["code"].startswith(town.admin_code[:6]) and made["village_name"] == "测试村"
    assert (made["from_m"], made["to_m"]) == (round(lo, 1), round(hi, 1))
    # Geodesic length of the line within 1.2 km of planar measure: CGCS2000 / GK CM 105E
    # scale is within 0.1% over Leshan.
    assert abs(made["length_km"] - 1.2) < 0.0015
    assert made["chiefs"] == [] and made["valid_from"] == "2026-01-01"
    # The same stretch, same bank, same period: 409; the other bank is another village.
    clash = _cut(client, auth_headers, **{**body, "village_name": "别村"})
    assert clash.status_code == 409 and made["code"] in clash.json()["detail"]
    right = _cut(client, auth_headers, **{**body, "village_name": "对岸村", "bank": "right"})
    assert right.status_code == 201, right.text
    # Before the stretch's period starts, the stretch is free.
    early = _cut(
        client, auth_headers, **{**body, "valid_from": "2024-01-01", "valid_to": "2025-12-31"}
    )
    assert early.status_code == 201, early.text


OFF_LINE = text(
    """
    SELECT ST_X(p) AS x, ST_Y(p) AS y
    FROM (SELECT ST_Project(ST_LineInterpolatePoint(s.geom, (:m - s.from_m) / (s.to_m - s.from_m))
                            ::geography, 120, radians(45))::geometry AS p
          FROM segment s WHERE s.river_id = :r AND :m BETWEEN s.from_m AND s.to_m) q
    """
)


def test_cut_by_two_points_snaps_them_to_the_river(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    town, lo, _hi = _free_stretch(db, "大渡河")
    rid = town.river_id
    at = (lo + 200.0, lo + 1000.0)
    # Two clicks 120 m off the line (to the north-east) at two measures.
    points = [list(db.execute(OFF_LINE, {"r": rid, "m": m}).one()) for m in at]
    snap = client.get(
        "/api/v1/reaches/snap", params={"river_id": rid, "lon": points[0][0], "lat": points[0][1]}
    )
    assert snap.status_code == 200 and 100 < snap.json()["distance_m"] <= 121
    body = {
        "river_id": rid,
        "level": "village",
        "admin_code": town.admin_code,
        "village_name": "点选村",
        "points": points[::-1],  # the order of the clicks does not matter
        "valid_from": "2026-01-01",
    }
    r = _cut(client, auth_headers, **body)
    assert r.status_code == 201, r.text
    made = r.json()
    # Snapped within 120 m of where the points were made (the line bends).
    assert abs(made["from_m"] - at[0]) < 120 and abs(made["to_m"] - at[1]) < 120
    assert made["parent_id"] == town.id
    assert abs(made["start"][0] - points[0][0]) < 0.002  # stored where it was cut, on the line
    far = _cut(client, auth_headers, **{**body, "points": [points[0], [103.5, 29.05]]})
    assert far.status_code == 422 and far.json()["code"] == "point_off_river"
    off = client.get("/api/v1/reaches/snap", params={"river_id": rid, "lon": 103.5, "lat": 29.05})
    assert off.status_code == 422


def test_cut_is_checked_before_anything_is_written(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    town, lo, hi = _free_stretch(db, "岷江")
    base = {
        "river_id": town.river_id,
        "level": "township",
        "admin_code": town.admin_code,
        "from_m": lo,
        "to_m": hi,
        "valid_from": "2026-01-01",
    }
    before = db.query(Reach).count()
    cases = {
        "overlaps its own township's reach": (base, 409),
        "a village without a name": ({**base, "level": "village"}, 422),
        "unknown township": ({**base, "admin_code": "511111999"}, 422),
        "township of another county": ({**base, "admin_code": "511111100"}, 422),
        "measures reversed": ({**base, "from_m": hi, "to_m": lo}, 422),
        "both measures and points": ({**base, "points": [[103.7, 29.5], [103.8, 29.5]]}, 422),
        "a city reach": ({**base, "level": "city"}, 422),
        "too short": ({**base, "to_m": lo + 5}, 422),
        "a 2-digit code": ({**base, "admin_code": "51"}, 422),
        "unknown river": ({**base, "river_id": 999999}, 404),
    }
    for name, (body, status) in cases.items():
        r = _cut(client, auth_headers, **body)
        assert r.status_code == status, (name, r.status_code, r.text)
    assert db.query(Reach).count() == before
    for user in ("county", "township", "chief"):
        r = client.post("/api/v1/reaches", json=base, headers=auth_headers(user))
        assert r.status_code == 403, user
    assert client.post("/api/v1/reaches", json=base).status_code == 401


def test_end_a_township_reach_ends_its_villages_and_assignments(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    villages = reaches_of(db, "大渡河", "village")
    town_id = villages[0].parent_id
    office = auth_headers("office")
    r = client.post(
        f"/api/v1/reaches/{town_id}/end", json={"valid_to": "2026-06-30"}, headers=office
    )
    assert r.status_code == 200, r.text
    assert r.json()["valid_to"] == "2026-06-30"
    kids = client.get(
        "/api/v1/reaches",
        params={"river_id": villages[0].river_id, "level": "village", "include_ended": True},
    ).json()
    mine = [k for k in kids if k["parent_id"] == town_id]
    assert mine and all(k["valid_to"] == "2026-06-30" for k in mine)
    chiefs = client.get("/api/v1/assignments", params={"reach_id": town_id}).json()
    assert chiefs and all(a["valid_to"] == "2026-06-30" for a in chiefs)
    # Still listed for a day in June, gone in July.
    june = client.get(
        "/api/v1/reaches", params={"river_id": villages[0].river_id, "on": "2026-06-15"}
    ).json()
    july = client.get(
        "/api/v1/reaches", params={"river_id": villages[0].river_id, "on": "2026-07-01"}
    ).json()
    assert town_id in [x["id"] for x in june] and town_id not in [x["id"] for x in july]
    again = client.post(
        f"/api/v1/reaches/{town_id}/end", json={"valid_to": "2026-07-31"}, headers=office
    )
    assert again.status_code == 409
    county = reaches_of(db, "大渡河", "county")[0]
    refused = client.post(
        f"/api/v1/reaches/{county.id}/end", json={"valid_to": "2026-07-31"}, headers=office
    )
    assert refused.status_code == 422
