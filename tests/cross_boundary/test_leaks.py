"""Leak sweep: as the 眉山 neighbor_viewer, call every GET endpoint of the app (path
parameters filled with the ids of a real patrol and real problems) and look for anything
non-public: a problem's description, a covert problem, a patrol's notes or its fixes."""

from __future__ import annotations

import math
import re
from datetime import UTC, datetime
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.security.rolematrix import route_rules
from tests.cross_boundary.conftest import densify, gpx_along, river_ids
from tests.support import Headers

PARAM = re.compile(r"\{(\w+)(?::\w+)?\}")
SECRET_DESCRIPTION = "SECRET-DESCRIPTION-跨界测试"
SECRET_COVERT = "SECRET-COVERT-暗访测试"
SECRET_NOTES = "SECRET-PATROL-NOTES-巡河日志"
POINT = (103.7597, 29.7089)  # beside 岷江, 240 m inside Leshan from the 眉山 border


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    n = 2**z
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    return x, y


NUMBER_PAIR = re.compile(r"(-?\d{1,3}\.\d{4,})\s*,\s*(-?\d{1,3}\.\d{4,})")


def _fixes_in(body: str, fixes: list[list[float]]) -> int:
    """Inner fixes found as a coordinate pair (lon, lat or lat, lon) within 2e-4° (~20 m)."""
    pairs = {(round(float(a), 4), round(float(b), 4)) for a, b in NUMBER_PAIR.findall(body)}
    found = 0
    for lon, lat in fixes[2:-2]:
        for a, b in ((lon, lat), (lat, lon)):
            if any(abs(a - x) < 2e-4 and abs(b - y) < 2e-4 for x, y in pairs if abs(a - x) < 1e-3):
                found += 1
    return found


def test_neighbor_viewer_sees_nothing_private_anywhere(
    client: TestClient, app: Any, auth_headers: Headers, db: Session
) -> None:
    office = auth_headers("office")
    ids: dict[str, int] = {}
    for key, text, covert in (
        ("public", SECRET_DESCRIPTION, False),
        ("covert", SECRET_COVERT, True),
    ):
        response = client.post(
            "/api/v1/problems",
            headers=office,
            json={
                "lon": POINT[0],
                "lat": POINT[1],
                "category": "sewage_outfall",
                "description": text,
                "observed_at": "2025-06-01T10:00:00+08:00",
                "covert": covert,
            },
        )
        assert response.status_code == 201, response.text
        ids[key] = response.json()["id"]
    rid = river_ids(db)["岷江"]
    seg = min(
        client.get("/api/v1/segments.geojson", params={"river_id": rid}).json()["features"],
        key=lambda f: f["properties"]["order"],
    )
    fixes = [
        [lon + 0.00037, lat + 0.00041] for lon, lat in densify(seg["geometry"]["coordinates"])[:20]
    ]
    upload = client.post(
        "/api/v1/patrols",
        headers=auth_headers("chief"),
        files={"file": ("p.gpx", gpx_along(fixes, datetime(2025, 6, 1, 1, tzinfo=UTC)))},
        data={"notes": SECRET_NOTES},
    )
    assert upload.status_code == 201, upload.text
    x, y = _tile(*POINT, 12)
    samples = {
        "patrol_id": str(upload.json()["id"]),
        "problem_id": str(ids["public"]),
        "neighbor_code": "511400",
        "river_id": str(rid),
        "z": "12",
        "x": str(x),
        "y": str(y),
        "layer": "problems",
        "collection_id": "problems",
        "code": "511400",
        "year": "2025",
    }
    viewer = auth_headers("meishan")
    checked = []
    for rule in route_rules(app):
        if rule.method != "GET" or rule.path.startswith("/static"):
            continue
        names = PARAM.findall(rule.path)
        if any(n not in samples for n in names):
            continue
        url = PARAM.sub(lambda m: samples[m.group(1)], rule.path)
        params = {"from": "2025-01-01", "to": "2025-12-31"}
        response = client.get(url, params=params, headers=viewer)
        assert response.status_code < 500, (url, response.status_code)
        body = response.content.decode("utf-8", "replace")
        for secret in (SECRET_DESCRIPTION, SECRET_COVERT, SECRET_NOTES):
            assert secret not in body, (url, secret)
        assert _fixes_in(body, fixes) == 0, (url, "track fixes")
        checked.append(url)
    # The sweep reached the endpoints that could leak (more are checked as they exist).
    for must in (
        "/api/v1/cross-boundary/511400",
        "/api/v1/cross-boundary/511400/brief",
        f"/api/v1/patrols/{samples['patrol_id']}",
        "/api/v1/problems.geojson",
    ):
        assert must in checked
    # The detectors work: the chief sees the track and its notes, the office the descriptions.
    track = client.get(
        f"/api/v1/patrols/{samples['patrol_id']}/track.geojson", headers=auth_headers("chief")
    )
    assert _fixes_in(track.text, fixes) >= len(fixes) - 4
    # The office, by contrast, sees the description in the view (the sweep can fail).
    staff = client.get("/api/v1/cross-boundary/511400", params=params, headers=office)
    assert SECRET_DESCRIPTION in staff.text and SECRET_COVERT in staff.text
