"""Vector tiles: content, validation, coverage attribute, ETag/304 and invalidation."""

from __future__ import annotations

import math
from datetime import date

import mapbox_vector_tile
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

from service.coverage import sync
from service.settings import get_settings
from service.tiles.routes import MVT_MEDIA_TYPE, get_tile_cache

LESHAN_Z10 = "/tiles/segments/10/807/423.pbf"


@pytest.fixture(autouse=True)
def _empty_cache(monkeypatch: pytest.MonkeyPatch) -> None:
    get_tile_cache().clear()
    # Read versions through the test's session: its changes are never committed, so the
    # in-memory poller (tested against a live server in test_live.py) would not see them.
    monkeypatch.setattr(get_settings(), "tile_version_poll_s", 0.0)


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
    db.execute(text("UPDATE river SET name = name || '（改）' WHERE name = :name"), {"name": river})
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


def _add_patrol(db: Session, segment_id: int, day: str, start: float, end: float) -> int:
    """A valid patrol covering ``start``..``end`` of one segment (fractions), on ``day``."""
    db.execute(
        text(
            "INSERT INTO patrol_upload (sha256, size_bytes, data, region_code) "
            "VALUES (md5(:day) || md5(:day), 1, 'x', '511100') ON CONFLICT DO NOTHING"
        ),
        {"day": day},
    )
    # the chief and the track read first: Citus plans no correlated subquery over a
    # reference table inside an INSERT into a distributed one
    chief = db.execute(text("SELECT min(id) FROM official")).scalar_one()
    track = db.execute(
        text("SELECT ST_AsEWKB(ST_Force3DM(ST_Multi(geom))) FROM segment WHERE id = :seg"),
        {"seg": segment_id},
    ).scalar_one()
    patrol_id = db.execute(
        text("""
        INSERT INTO patrol (chief_id, upload_sha256, format, datum, patrol_date, has_times,
                            length_m, points, warnings, cleaning, valid, invalid_reasons, geom,
                            region_code)
        VALUES (:chief, md5(:day) || md5(:day), 'gpx', 'wgs84', CAST(:day AS date), true, 1000,
                2, '{}', '{}', true, '{}', ST_GeomFromEWKB(:track), '511100')
        RETURNING id"""),
        {"day": day, "chief": chief, "track": track},
    ).scalar_one()
    db.execute(
        text(
            "INSERT INTO patrol_coverage "
            "(patrol_id, segment_id, start_frac, end_frac, region_code) "
            "VALUES (:p, :s, :a, :b, '511100')"
        ),
        {"p": patrol_id, "s": segment_id, "a": start, "b": end},
    )
    sync.note_patrols(db, [patrol_id])  # as the matcher does (a no-op where triggers keep it)
    return int(patrol_id)


def _coverage(client: TestClient, segment_id: int, query: str = "") -> float:
    layer = _decode(client.get(LESHAN_Z10 + query).content)["segments"]
    return next(f for f in layer["features"] if f["id"] == segment_id)["properties"]["coverage"]


def test_coverage_attribute_follows_patrols_and_period(client: TestClient, db: Session) -> None:
    seg = int(
        db.execute(
            text(
                "SELECT s.id FROM segment s JOIN river r ON r.id = s.river_id "
                "WHERE r.name = '岷江' AND ST_Intersects(s.geom, "
                "ST_Transform(ST_TileEnvelope(10, 807, 423), 4326)) ORDER BY s.id LIMIT 1"
            )
        ).scalar_one()
    )
    period = "?from=2025-01-01&to=2025-12-31"
    before = client.get(LESHAN_Z10 + period)
    assert _coverage(client, seg, period) == 0.0
    # Two overlapping patrols: 0.10-0.50 and 0.40-0.60 merge to 0.10-0.60, i.e. half.
    _add_patrol(db, seg, "2025-03-01", 0.10, 0.50)
    _add_patrol(db, seg, "2025-09-01", 0.40, 0.60)
    after = client.get(LESHAN_Z10 + period)
    assert after.headers["etag"] != before.headers["etag"]
    assert _coverage(client, seg, period) == pytest.approx(0.50, abs=1e-4)
    # Only the March patrol falls in the first half-year.
    assert _coverage(client, seg, "?from=2025-01-01&to=2025-06-30") == pytest.approx(0.40, abs=1e-4)
    assert _coverage(client, seg, "?from=2024-01-01&to=2024-12-31") == 0.0


def test_problems_tile_hides_covert_and_private_fields(client: TestClient, db: Session) -> None:
    def add(covert: bool) -> int:
        return int(
            db.execute(
                text("""
            INSERT INTO problem (category, description, geom, input_lon, input_lat, datum,
                                 observed_at, river_id, county_code, off_river, covert, state,
                                 region_code)
            SELECT 'garbage', 'who reported it', ST_SetSRID(ST_MakePoint(103.76, 29.56), 4326),
                   103.76, 29.56, 'wgs84', '2026-03-10T02:00:00Z', r.id, '511102', false,
                   :covert, 'reported', '511100'
            FROM river r WHERE r.name = '岷江' RETURNING id"""),
                {"covert": covert},
            ).scalar_one()
        )

    before = client.get("/tiles/problems/10/807/423.pbf").headers["etag"]
    public_id, covert_id = add(False), add(True)
    response = client.get("/tiles/problems/10/807/423.pbf")
    assert response.headers["etag"] != before
    features = _decode(response.content)["problems"]["features"]
    ids = {f["id"] for f in features}
    assert public_id in ids and covert_id not in ids
    props = next(f for f in features if f["id"] == public_id)["properties"]
    assert set(props) == {"category", "state", "river_id", "river", "observed_on"}
    assert props["observed_on"] == "2026-03-10"


def test_crossings_tile(client: TestClient, db: Session) -> None:
    row = db.execute(
        text("SELECT c.id, ST_X(c.geom), ST_Y(c.geom) FROM crossing c ORDER BY c.id LIMIT 1")
    ).first()
    if row is None:
        pytest.skip("no crossings computed in this database")
    crossing_id, lon, lat = row
    # the z8 tile holding the point
    n = 2**8
    x = int((lon + 180) / 360 * n)
    y = int((1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n)
    layer = _decode(client.get(f"/tiles/crossings/8/{x}/{y}.pbf").content)["crossings"]
    feature = next(f for f in layer["features"] if f["id"] == crossing_id)
    assert feature["properties"]["direction"] in ("inflow", "outflow", "along")
