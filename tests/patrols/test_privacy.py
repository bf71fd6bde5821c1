"""Tracks and patrol details are private; coverage is public and shows no routes."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.patrols.conftest import gpx, river_points

START = datetime(2025, 10, 1, 1, 0, tzinfo=UTC)


@pytest.fixture
def two_patrols(db, upload, chief_of) -> tuple[int, int]:  # type: ignore[no-untyped-def]
    """A patrol of 岷江's chief (demo 'chief') and one of 青衣江's chief."""
    mine = upload(gpx([river_points(db, "岷江", 0.30, 0.33, start=START)]), as_user="chief")
    other = upload(
        gpx([river_points(db, "青衣江", 0.30, 0.40, start=START)]), chief_id=chief_of("青衣江")
    )
    assert mine.status_code == other.status_code == 201
    return mine.json()["id"], other.json()["id"]


@pytest.mark.parametrize("suffix", ["track.geojson", "track.gpx", ""])
def test_track_access(client, auth_headers, two_patrols, suffix: str) -> None:
    mine, other = two_patrols
    url = f"/api/v1/patrols/{mine}/{suffix}".rstrip("/")
    assert client.get(url).status_code == 401
    for user in ("office", "chief", "patrol", "liaison"):  # liaison 市水务局 serves 岷江
        assert client.get(url, headers=auth_headers(user)).status_code == 200, user
    for user in ("county", "meishan"):
        assert client.get(url, headers=auth_headers(user)).status_code == 403, user
    other_url = f"/api/v1/patrols/{other}/{suffix}".rstrip("/")
    for user in ("chief", "patrol", "liaison"):
        assert client.get(other_url, headers=auth_headers(user)).status_code == 403, user
    assert client.get(other_url, headers=auth_headers("office")).status_code == 200


def test_track_formats(client, auth_headers, two_patrols) -> None:
    mine, _ = two_patrols
    geo = client.get(f"/api/v1/patrols/{mine}/track.geojson", headers=auth_headers("chief"))
    assert geo.headers["content-type"].startswith("application/geo+json")
    feature = geo.json()
    coords = feature["geometry"]["coordinates"][0]
    assert len(coords) == len(feature["properties"]["coordTimes"][0]) > 100
    assert feature["properties"]["coordTimes"][0][0] == "2025-10-01T01:00:00Z"
    gpx_text = client.get(f"/api/v1/patrols/{mine}/track.gpx", headers=auth_headers("chief")).text
    assert gpx_text.count("<trkpt ") == len(coords)
    assert "<time>2025-10-01T01:00:00Z</time>" in gpx_text


def test_lists_are_scoped(client, auth_headers, two_patrols, river_id) -> None:
    mine, other = two_patrols

    def ids(user: str, **params: object) -> list[int]:
        r = client.get("/api/v1/patrols", params=params, headers=auth_headers(user))
        assert r.status_code == 200
        assert int(r.headers["X-Total-Count"]) == len(r.json())
        return [p["id"] for p in r.json()]

    assert set(ids("office")) >= {mine, other}
    assert ids("chief") == [mine]
    assert ids("liaison") == [mine]
    assert ids("office", river_id=river_id("青衣江")) == [other]
    assert ids("office", **{"from": "2025-10-02"}) == []
    assert client.get("/api/v1/patrols", headers=auth_headers("county")).status_code == 403
    assert client.get("/api/v1/patrols").status_code == 401


def test_coverage_is_public_and_has_no_routes(client, two_patrols) -> None:
    params = {"from": "2025-01-01", "to": "2025-12-31"}
    rows = client.get("/api/v1/coverage", params=params)
    assert rows.status_code == 200
    assert {"river_id", "name", "length_km", "covered_km", "coverage", "patrols"} <= set(
        rows.json()[0]
    )
    geo = client.get("/api/v1/coverage/segments.geojson", params=params)
    assert geo.status_code == 200
    features = geo.json()["features"]
    assert all("patrol_id" not in f["properties"] for f in features)
    covered = [f for f in features if f["properties"]["covered"]]
    assert covered and all(f["geometry"]["type"] == "LineString" for f in covered)
    # pieces of 青衣江 add up: covered pieces = covered_km, all pieces = its length
    qingyi = next(r for r in rows.json() if r["name"] == "青衣江")
    pieces = [f["properties"] for f in features if f["properties"]["river_name"] == "青衣江"]
    assert sum(p["length_km"] for p in pieces if p["covered"]) == pytest.approx(
        qingyi["covered_km"], abs=0.01
    )
    assert sum(p["length_km"] for p in pieces) == pytest.approx(qingyi["length_km"], abs=0.01)
    assert qingyi["coverage"] == pytest.approx(0.10, abs=0.01)


def test_raw_upload_is_kept_for_the_office(client, auth_headers, two_patrols) -> None:
    import hashlib

    mine, _ = two_patrols
    detail = client.get(f"/api/v1/patrols/{mine}", headers=auth_headers("office")).json()
    raw = client.get(f"/api/v1/patrols/{mine}/raw", headers=auth_headers("office"))
    assert raw.status_code == 200
    assert hashlib.sha256(raw.content).hexdigest() == detail["upload_sha256"]
    assert raw.content.startswith(b"<?xml")
    for user in ("chief", "liaison", "county"):
        assert (
            client.get(f"/api/v1/patrols/{mine}/raw", headers=auth_headers(user)).status_code == 403
        )
