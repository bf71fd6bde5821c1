"""OGC API - Features: landing, conformance, collections, items with filters and paging."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text
from sqlalchemy.orm import Session

COLLECTION_IDS = {"rivers", "segments", "areas", "crossings", "problems"}


def test_landing_and_conformance(client: TestClient) -> None:
    landing = client.get("/ogc").json()
    rels = {link["rel"] for link in landing["links"]}
    assert {"self", "service-desc", "conformance", "data"} <= rels
    conformance = client.get("/ogc/conformance").json()["conformsTo"]
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/core" in conformance
    assert "http://www.opengis.net/spec/ogcapi-features-1/1.0/conf/geojson" in conformance


def test_collections_list_with_extents(client: TestClient) -> None:
    body = client.get("/ogc/collections").json()
    by_id = {c["id"]: c for c in body["collections"]}
    assert set(by_id) == COLLECTION_IDS
    # Leshan's segments lie within 102.9-104.3E, 28.5-30.0N.
    ((x1, y1, x2, y2),) = by_id["segments"]["extent"]["spatial"]["bbox"]
    assert 102.5 < x1 < x2 < 104.5 and 28.0 < y1 < y2 < 30.5
    assert any(link["rel"] == "items" for link in by_id["segments"]["links"])
    assert client.get("/ogc/collections/segments").json()["id"] == "segments"
    missing = client.get("/ogc/collections/patrols")
    assert missing.status_code == 404 and "patrols" in missing.json()["detail"]


def test_items_paging_counts_and_links(client: TestClient, db: Session) -> None:
    total = db.execute(text("SELECT count(*) FROM segment")).scalar_one()
    first = client.get("/ogc/collections/segments/items?limit=5")
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("application/geo+json")
    page = first.json()
    assert page["numberMatched"] == total and page["numberReturned"] == 5
    ids = [f["id"] for f in page["features"]]
    assert ids == sorted(ids)
    nxt = next(link["href"] for link in page["links"] if link["rel"] == "next")
    second = client.get(nxt.replace("http://testserver", "")).json()
    assert second["features"][0]["id"] > ids[-1]
    last = client.get(f"/ogc/collections/segments/items?limit=5&offset={total - 2}").json()
    assert last["numberReturned"] == 2
    assert not any(link["rel"] == "next" for link in last["links"])
    feature = page["features"][0]
    assert feature["geometry"]["type"] == "LineString"
    assert {"river", "county_code", "length_m"} <= set(feature["properties"])


def test_bbox_filter(client: TestClient, db: Session) -> None:
    bbox = (103.711, 29.535, 104.0625, 29.8406)
    expected = db.execute(
        text(
            "SELECT count(*) FROM segment WHERE ST_Intersects(geom, ST_MakeEnvelope("
            ":a, :b, :c, :d, 4326))"
        ),
        dict(zip("abcd", bbox, strict=True)),
    ).scalar_one()
    body = client.get(
        "/ogc/collections/segments/items", params={"bbox": ",".join(map(str, bbox)), "limit": 100}
    ).json()
    assert (
        0
        < body["numberMatched"]
        == expected
        < db.execute(text("SELECT count(*) FROM segment")).scalar_one()
    )


def test_single_feature_and_404(client: TestClient, db: Session) -> None:
    seg_id = db.execute(text("SELECT min(id) FROM segment")).scalar_one()
    feature = client.get(f"/ogc/collections/segments/items/{seg_id}").json()
    assert feature["id"] == seg_id and feature["type"] == "Feature"
    area = client.get("/ogc/collections/areas/items/511111").json()
    assert area["properties"]["name"] == "沙湾区"
    assert client.get("/ogc/collections/segments/items/999999").status_code == 404
    assert client.get("/ogc/collections/segments/items/abc").status_code == 404


@pytest.mark.parametrize(
    "query",
    [
        "bbox=1,2,3",
        "bbox=a,b,c,d",
        "bbox=104,30,103,29",
        "limit=0",
        "limit=x",
        "offset=-1",
        "datetime=yesterday",
        "datetime=2026-05-01T08:00:00",
        "datetime=2026-06-01/2026-05-01",
        "colour=blue",
        "f=html",
    ],
)
def test_invalid_parameters_are_400(client: TestClient, query: str) -> None:
    response = client.get(f"/ogc/collections/segments/items?{query}")
    assert response.status_code == 400, response.text
    assert response.json()["detail"]


def test_limit_is_clamped_not_refused(client: TestClient) -> None:
    assert client.get("/ogc/collections/rivers/items?limit=1000000").status_code == 200


def _insert_problem(db: Session, *, covert: bool, observed: datetime, category: str) -> int:
    row = db.execute(
        text("""
            INSERT INTO problem (category, description, geom, input_lon, input_lat, datum,
                                 observed_at, river_id, county_code, off_river, covert,
                                 state, reporter_id, region_code)
            SELECT :category, 'secret description', ST_SetSRID(ST_MakePoint(103.76, 29.56), 4326),
                   103.76, 29.56, 'wgs84', :observed, r.id, '511102', false, :covert,
                   'reported', NULL, '511100'
            FROM river r WHERE r.name = '岷江'
            RETURNING id
        """),
        {"category": category, "observed": observed, "covert": covert},
    )
    return int(row.scalar_one())


def test_problems_public_fields_and_datetime(client: TestClient, db: Session) -> None:
    open_id = _insert_problem(
        db, covert=False, category="garbage", observed=datetime(2026, 3, 10, 2, 0, tzinfo=UTC)
    )
    covert_id = _insert_problem(
        db, covert=True, category="sand_mining", observed=datetime(2026, 3, 11, 2, 0, tzinfo=UTC)
    )
    body = client.get("/ogc/collections/problems/items?limit=1000").json()
    ids = {f["id"] for f in body["features"]}
    assert open_id in ids and covert_id not in ids
    props = next(f for f in body["features"] if f["id"] == open_id)["properties"]
    assert set(props) == {"id", "category", "state", "river_id", "river", "observed_on"}
    assert props["observed_on"] == "2026-03-10" and props["river"] == "岷江"
    assert client.get(f"/ogc/collections/problems/items/{covert_id}").status_code == 404
    in_march = client.get(
        "/ogc/collections/problems/items?datetime=2026-03-10/2026-03-10&limit=1000"
    ).json()
    assert open_id in {f["id"] for f in in_march["features"]}
    later = client.get("/ogc/collections/problems/items?datetime=2026-03-11T00:00:00Z/..").json()
    assert open_id not in {f["id"] for f in later["features"]}
