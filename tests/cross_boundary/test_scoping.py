"""The neighbor_viewer (眉山, 511400) sees public geography, its own view with public problem
fields, and nothing of patrols: tested on every endpoint that could leak."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.cross_boundary.conftest import densify, gpx_along, river_ids
from tests.support import Headers

PUBLIC_PROBLEM_FIELDS = {
    "id",
    "category",
    "category_label",
    "state",
    "state_label",
    "river_id",
    "river",
    "date",
    "lon",
    "lat",
}
#: Points inside Leshan: beside 岷江 240 m from the 眉山 border; beside 岷江 near the 宜宾
#: border; beside 大渡河 in 沙湾区, 60 km from any neighbour.
NEAR_MEISHAN = (103.7597, 29.7089)
NEAR_YIBIN = (104.1425, 29.0600)
FAR = (103.6215, 29.3396)
YEAR = {"from": "2025-01-01", "to": "2025-12-31"}


def _report(
    client: TestClient, headers: dict[str, str], point: tuple[float, float], covert: bool = False
) -> int:
    body = {
        "lon": point[0],
        "lat": point[1],
        "datum": "wgs84",
        "category": "garbage",
        "description": "测试：岸边垃圾（内部描述）",
        "observed_at": "2025-06-01T10:00:00+08:00",
        "covert": covert,
    }
    response = client.post("/api/v1/problems", json=body, headers=headers)
    assert response.status_code == 201, response.text
    return int(response.json()["id"])


@pytest.fixture
def problems(client: TestClient, auth_headers: Headers) -> dict[str, int]:
    office = auth_headers("office")
    return {
        "near": _report(client, office, NEAR_MEISHAN),
        "covert": _report(client, office, NEAR_MEISHAN, covert=True),
        "yibin": _report(client, office, NEAR_YIBIN),
        "far": _report(client, office, FAR),
    }


@pytest.fixture
def patrol(client: TestClient, auth_headers: Headers, db: Session) -> dict[str, Any]:
    """A valid patrol of 岷江's first ~3 km inside Leshan (from the 眉山 border), 50 m off the
    line so its fixes are not the river's vertices; returns the id, the fixes and the km."""
    rid = river_ids(db)["岷江"]
    segs = client.get("/api/v1/segments.geojson", params={"river_id": rid}).json()["features"]
    first = min(segs, key=lambda f: f["properties"]["order"])
    coords = densify(first["geometry"]["coordinates"])[:26]
    fixes = [[lon, lat + 0.00045] for lon, lat in coords]
    gpx = gpx_along(fixes, datetime(2025, 6, 1, 1, 0, tzinfo=UTC))
    response = client.post(
        "/api/v1/patrols",
        files={"file": ("min-border.gpx", gpx, "application/gpx+xml")},
        headers=auth_headers("chief"),
    )
    assert response.status_code == 201, response.text
    body = response.json()
    assert body["valid"], body["invalid_reasons"]
    covered = {r["name"]: r["covered_km"] for r in body["rivers"]}["岷江"]
    return {"id": body["id"], "fixes": fixes, "covered_km": covered}


def test_viewer_gets_public_problem_fields_near_its_border_only(
    client: TestClient, auth_headers: Headers, problems: dict[str, int]
) -> None:
    view = client.get(
        "/api/v1/cross-boundary/511400", params=YEAR, headers=auth_headers("meishan")
    ).json()
    assert [p["id"] for p in view["problems"]] == [problems["near"]]
    assert set(view["problems"][0]) == PUBLIC_PROBLEM_FIELDS
    assert view["problems_by_state"] == {"reported": 1}
    assert "内部描述" not in json.dumps(view, ensure_ascii=False)
    office = client.get(
        "/api/v1/cross-boundary/511400", params=YEAR, headers=auth_headers("office")
    ).json()
    assert {p["id"] for p in office["problems"]} == {problems["near"], problems["covert"]}
    assert all(p["description"] for p in office["problems"])
    # Outside the period: nothing.
    later = client.get(
        "/api/v1/cross-boundary/511400",
        params={"from": "2025-07-01", "to": "2025-12-31"},
        headers=auth_headers("office"),
    ).json()
    assert later["problems"] == []


def test_viewer_problem_endpoints_leak_nothing_private(
    client: TestClient, auth_headers: Headers, problems: dict[str, int]
) -> None:
    viewer = auth_headers("meishan")
    fc = client.get("/api/v1/problems.geojson", headers=viewer).json()
    ids = {f["id"] for f in fc["features"]}
    assert problems["covert"] not in ids and problems["near"] in ids
    for f in fc["features"]:
        assert not {"description", "reporter_id", "covert", "responsible"} & set(f["properties"])
    listed = client.get("/api/v1/problems", headers=viewer)
    if listed.status_code == 200:
        assert problems["covert"] not in {p["id"] for p in listed.json()}
        assert "内部描述" not in listed.text
    else:
        assert listed.status_code == 403
    detail = client.get(f"/api/v1/problems/{problems['near']}", headers=viewer)
    assert detail.status_code in (200, 403)
    assert "内部描述" not in detail.text and "reporter" not in detail.text
    assert client.get(f"/api/v1/problems/{problems['covert']}", headers=viewer).status_code in (
        403,
        404,
    )


def test_viewer_gets_no_patrol_list_detail_or_track(
    client: TestClient, auth_headers: Headers, patrol: dict[str, Any]
) -> None:
    viewer = auth_headers("meishan")
    pid = patrol["id"]
    listed = client.get("/api/v1/patrols", headers=viewer)
    assert listed.status_code == 403 or listed.json() == []
    for path in (
        f"/api/v1/patrols/{pid}",
        f"/api/v1/patrols/{pid}/track.geojson",
        f"/api/v1/patrols/{pid}/track.gpx",
    ):
        assert client.get(path, headers=viewer).status_code == 403, path
    assert client.get("/api/v1/compliance", headers=viewer).status_code == 403


def test_boundary_reach_coverage_without_the_route(
    client: TestClient, auth_headers: Headers, patrol: dict[str, Any]
) -> None:
    viewer = auth_headers("meishan")
    response = client.get("/api/v1/cross-boundary/511400", params=YEAR, headers=viewer)
    view = response.json()
    min_reach = [r for r in view["reaches"] if r["river_name"] == "岷江"]
    covered = sum(r["covered_km"] for r in min_reach)
    # The whole patrol lies within 5 km of the border: the reach gets all it covered.
    assert abs(covered - patrol["covered_km"]) < 0.05, (covered, patrol["covered_km"])
    assert 2.0 < covered < 4.5
    brief = client.get("/api/v1/cross-boundary/511400/brief", params=YEAR, headers=viewer)
    assert brief.status_code == 200
    assert "2025-06-01" in brief.text  # the day, as an aggregate row
    for body in (response.text, brief.text):
        for lon, lat in patrol["fixes"][1:-1]:
            assert f"{lat:.5f}" not in body or f"{lon:.5f}" not in body
    # Nothing in a period without patrols.
    empty = client.get(
        "/api/v1/cross-boundary/511400",
        params={"from": "2024-01-01", "to": "2024-12-31"},
        headers=viewer,
    ).json()
    assert sum(r["covered_km"] for r in empty["reaches"]) == 0
