"""Vector tiles: content, validation, coverage attribute, ETag/304 and invalidation."""

from __future__ import annotations

from datetime import date

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.tiles.routes import MVT_MEDIA_TYPE, get_tile_cache

LESHAN_Z10 = "/tiles/segments/10/807/423.pbf"


@pytest.fixture(autouse=True)
def _empty_cache() -> None:
    get_tile_cache().clear()


def _decode(body: bytes) -> dict:  # type: ignore[type-arg]
    return mapbox_vector_tile.decode(body) if body else {}


def test_z10_segments_tile_over_leshan_has_features(client: TestClient, db: Session) -> None:
    response = client.get(LESHAN_Z10)
    assert response.status_code == 200
    assert response.headers["content-type"] == MVT_MEDIA_TYPE
    layer = _decode(response.content)["segments"]
    ids = {f["id"] for f in layer["features"]}
    # The tile 10/807/423 spans 103.711-104.063E, 29.535-29.841N: the city centre, where
    # 岷江, 大渡河 and 青衣江 meet. Every segment whose line meets that box must be there.
    expected = set(
        db.scalars(
            text(
                "SELECT id FROM segment WHERE ST_Intersects(geom, "
                "ST_Transform(ST_TileEnvelope(10, 807, 423), 4326))"
            )
        )
    )
    assert expected and expected <= ids
    rivers = {f["properties"]["river"] for f in layer["features"]}
    assert {"岷江", "大渡河", "青衣江"} <= rivers
    props = layer["features"][0]["properties"]
    assert set(props) >= {"river_id", "river", "county", "ord", "length_m", "coverage"}
    assert layer["extent"] == 4096


def test_tile_far_from_leshan_is_empty(client: TestClient) -> None:
    # z10 tile over Beijing (116.4E, 39.9N): no segment there.
    response = client.get("/tiles/segments/10/843/387.pbf")
    assert response.status_code == 200
    assert response.content == b""


def test_areas_tile_has_the_city_and_counties(client: TestClient) -> None:
    layer = _decode(client.get("/tiles/areas/8/201/105.pbf").content)["areas"]
    codes = {f["properties"]["code"] for f in layer["features"]}
    assert "511100" in codes and "511102" in codes
    assert layer["features"][0]["type"] in (3, "Polygon", "MultiPolygon") or layer["features"]


@pytest.mark.parametrize(
    ("path", "status", "needle"),
    [
        ("/tiles/segments/23/0/0.pbf", 422, "zoom"),
        ("/tiles/segments/-1/0/0.pbf", 422, "zoom"),
        ("/tiles/segments/10/1024/423.pbf", 404, "outside the grid"),
        ("/tiles/segments/10/807/-1.pbf", 404, "outside the grid"),
        ("/tiles/rivers/10/807/423.pbf", 404, "no tile layer"),
        ("/tiles/segments/ten/807/423.pbf", 422, ""),
        ("/tiles/segments/10/807/423.pbf?from=2026-05-01&to=2026-04-01", 422, "'from'"),
        ("/tiles/segments/10/807/423.pbf?from=yesterday", 422, ""),
    ],
)
def test_bad_tile_requests(client: TestClient, path: str, status: int, needle: str) -> None:
    response = client.get(path)
    assert response.status_code == status, response.text
    assert needle in response.text


def test_etag_and_304(client: TestClient) -> None:
    first = client.get(LESHAN_Z10)
    etag = first.headers["etag"]
    assert first.headers["cache-control"].startswith("public, max-age=")
    assert first.headers["x-tile-cache"] == "miss"
    again = client.get(LESHAN_Z10)
    assert again.headers["x-tile-cache"] == "hit" and again.content == first.content
    not_modified = client.get(LESHAN_Z10, headers={"If-None-Match": etag})
    assert not_modified.status_code == 304 and not_modified.content == b""
    assert not_modified.headers["etag"] == etag
    other = client.get(LESHAN_Z10, headers={"If-None-Match": '"segments-v0"'})
    assert other.status_code == 200


def test_period_is_part_of_the_etag(client: TestClient) -> None:
    year = date.today().year
    default = client.get(LESHAN_Z10).headers["etag"]
    explicit = client.get(f"{LESHAN_Z10}?from={year}-01-01&to={year}-12-31").headers["etag"]
    other = client.get(f"{LESHAN_Z10}?from=2025-01-01&to=2025-12-31").headers["etag"]
    assert default == explicit != other


def test_change_invalidates_tile(client: TestClient, db: Session) -> None:
    first = client.get(LESHAN_Z10)
    river = _decode(first.content)["segments"]["features"][0]["properties"]["river"]
    db.execute(
        text("UPDATE river SET name = name || '（改）' WHERE name = :name"), {"name": river}
    )
    second = client.get(LESHAN_Z10, headers={"If-None-Match": first.headers["etag"]})
    assert second.status_code == 200
    assert second.headers["etag"] != first.headers["etag"]
    assert second.headers["x-tile-cache"] == "miss"
    names = {f["properties"]["river"] for f in _decode(second.content)["segments"]["features"]}
    assert f"{river}（改）" in names and river not in names


def test_area_change_bumps_only_its_layers(client: TestClient, db: Session) -> None:
    segments_before = client.get(LESHAN_Z10).headers["etag"]
    areas_before = client.get("/tiles/areas/10/807/423.pbf").headers["etag"]
    db.execute(text("UPDATE admin_area SET name = name WHERE code = '511102'"))
    assert client.get("/tiles/areas/10/807/423.pbf").headers["etag"] != areas_before
    assert client.get(LESHAN_Z10).headers["etag"] == segments_before
