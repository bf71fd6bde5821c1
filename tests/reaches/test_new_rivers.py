"""马边河 and 官料河 from the national 1:4M layer: length in the city, direction, tolerance."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

#: Where 马边河 meets 岷江 at 犍为, and 官料河 meets 大渡河 at 峨边 (the lines' first points).
MOUTHS = {"马边河": (103.987, 29.1379), "官料河": (103.2033, 29.2390)}


def test_mabian_and_guanliao_are_registered_oriented_downstream(
    client: TestClient, db: Session
) -> None:
    rivers = {r["name"]: r for r in client.get("/api/v1/rivers").json()}
    mabian = rivers["马边河"]
    # 154.1 km in the packager's clip of the city; ours, cut by our county polygons: ±5 %.
    assert abs(mabian["length_km"] - 154.1) <= 154.1 * 0.05
    assert abs(rivers["官料河"]["length_km"] - 77.7) <= 77.7 * 0.05
    for name in MOUTHS:
        river = rivers[name]
        assert river["positional_accuracy_m"] == 1500 and river["patrol_tolerance_m"] == 1500
        assert river["coarse_geometry"] is True
        # Downstream: the line ends at the mouth and starts far from it.
        ends = db.execute(
            text(
                "SELECT ST_Distance(ST_StartPoint(ST_GeometryN(geom, 1))::geography, m::geography),"
                " ST_Distance(ST_EndPoint(ST_GeometryN(geom, ST_NumGeometries(geom)))::geography,"
                " m::geography) FROM river, ST_SetSRID(ST_MakePoint(:x, :y), 4326) AS m"
                " WHERE name = :n"
            ),
            {"x": MOUTHS[name][0], "y": MOUTHS[name][1], "n": name},
        ).one()
        assert ends[1] < 50 and ends[0] > 40_000, name
    assert set(mabian["counties"]) == {"511123", "511129", "511133"}  # 犍为, 沐川, 马边
    # It touches the 凉山 border: in from 美姑县, out to 雷波县 and back (the 1:4M line is
    # clipped to the city, so its ends at the border count as crossings).
    crossings = db.execute(
        text(
            "SELECT direction, neighbor_code, neighbor_county_code FROM crossing c"
            " JOIN river r ON r.id = c.river_id WHERE r.name = '马边河' ORDER BY seq"
        )
    ).all()
    assert [tuple(c) for c in crossings] == [
        ("inflow", "513400", "513436"),
        ("outflow", "513400", "513437"),
        ("inflow", "513400", "513437"),
    ]
