"""GET /reaches and /responsibility on the demo (issue 18's Done-when), numbers from the data."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from tests.reaches.conftest import SHAWAN_DADU
from tests.support import Headers, river_id

FIELDS = {"id", "level", "admin_code", "code", "from_m", "to_m", "length_km", "chiefs"}


def test_reaches_of_a_river_with_their_chiefs(client: TestClient, db: Session) -> None:
    for name in ("岷江", "大渡河"):
        rid = river_id(db, name)
        r = client.get("/api/v1/reaches", params={"river_id": rid})
        assert r.status_code == 200, r.text
        reaches = r.json()
        assert reaches and all(set(x) >= FIELDS for x in reaches)
        levels = {x["level"] for x in reaches}
        assert levels == {"city", "county", "township", "village"}, name
        river = next(x for x in client.get("/api/v1/rivers").json() if x["id"] == rid)
        city = [x for x in reaches if x["level"] == "city"]
        counties = [x for x in reaches if x["level"] == "county"]
        # The city reach is the whole river in the city; county reaches are its pieces.
        assert len(city) == 1 and abs(city[0]["length_km"] - river["length_km"]) < 0.002
        assert abs(sum(c["length_km"] for c in counties) - river["length_km"]) < 0.01
        for x in reaches:
            assert x["to_m"] > x["from_m"] and len(x["code"]) == 12 and x["code"].isdigit()
            assert x["chiefs"], f"{x['name']} has no chief"
            assert all(set(c) >= {"id", "name", "level"} for c in x["chiefs"])
            assert all(c["level"] == x["level"] for c in x["chiefs"])
            prefix = x["admin_code"][:6]
            assert x["code"].startswith(prefix)  # county code (city: 511100) + 6 digits
            if x["level"] in ("township", "village"):
                assert len(x["admin_code"]) == 9
                parent = next(p for p in reaches if p["id"] == x["parent_id"])
                assert parent["from_m"] - 1 <= x["from_m"] and x["to_m"] <= parent["to_m"] + 1
        # The river's chiefs at every level are listed from the assignments to its reaches.
        chief_levels = {c["level"] for c in river["chiefs"]}
        assert chief_levels == {"city", "county", "township", "village"}


def test_responsibility_at_dadu_in_shawan(client: TestClient) -> None:
    lon, lat = SHAWAN_DADU
    r = client.get("/api/v1/responsibility", params={"lon": lon, "lat": lat})
    assert r.status_code == 200, r.text
    body = r.json()
    assert body["river"]["name"] == "大渡河" and body["river"]["distance_m"] < 40
    assert body["county_code"] == "511111"
    levels = body["levels"]
    assert [e["level"] for e in levels] == ["city", "county", "township", "village"]
    city, county, township, village = levels
    assert city["admin_code"] == "511100" and city["chiefs"][0]["name"] == "陈晓东"
    assert county["admin_code"] == "511111"
    assert len(township["admin_code"]) == 9 and township["admin_code"].startswith("511111")
    assert all(e["chiefs"] for e in levels)
    # The demo puts a left- and a right-bank village here: the point is on the right bank
    # (facing downstream), so only the right-bank village's chief answers for it.
    assert body["river"]["side"] == "right" and village["bank"] == "right"


def test_responsibility_far_from_rivers_and_outside_the_city(client: TestClient) -> None:
    far = client.get("/api/v1/responsibility", params={"lon": 103.50, "lat": 29.05})
    assert far.status_code == 200
    assert far.json()["river"] is None and far.json()["levels"] == []
    assert far.json()["county_code"] == "511133"  # 马边, 11 km from 马边河
    out = client.get("/api/v1/responsibility", params={"lon": 103.82583, "lat": 29.81763})
    assert out.status_code == 422 and out.json()["city_name"] == "眉山市"
    bad = client.get("/api/v1/responsibility", params={"lon": 200, "lat": 29})
    assert bad.status_code == 422


def test_responsibility_on_a_past_day_follows_the_history(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    lon, lat = SHAWAN_DADU
    before = client.get(
        "/api/v1/responsibility", params={"lon": lon, "lat": lat, "on": "2020-01-01"}
    ).json()
    # Reaches that follow the segments exist since 2016; the demo roster starts 2023-05-18
    # and its township and village reaches with it.
    assert [e["level"] for e in before["levels"]] == ["city", "county"]
    assert all(e["chiefs"] == [] for e in before["levels"])
    # A new township chief from 2026-01-01: the answer on 2026-02-01 names them.
    today = client.get("/api/v1/responsibility", params={"lon": lon, "lat": lat}).json()
    town = next(e for e in today["levels"] if e["level"] == "township")
    old = town["chiefs"][0]
    office = auth_headers("office")
    ended = client.post(
        f"/api/v1/assignments/{old['assignment_id']}/end",
        json={"valid_to": "2025-12-31"},
        headers=office,
    )
    assert ended.status_code == 200
    new = client.post("/api/v1/officials", json={"name": "新镇长", "title": "镇长"}, headers=office)
    made = client.post(
        "/api/v1/assignments",
        json={
            "reach_id": town["reach_id"],
            "official_id": new.json()["id"],
            "role": "river_chief",
            "level": "township",
            "valid_from": "2026-01-01",
        },
        headers=office,
    )
    assert made.status_code == 201, made.text
    assert made.json()["reach_id"] == town["reach_id"] and made.json()["county_code"] == "511111"
    on = {"lon": lon, "lat": lat}
    later = client.get("/api/v1/responsibility", params={**on, "on": "2026-02-01"}).json()
    earlier = client.get("/api/v1/responsibility", params={**on, "on": "2025-06-01"}).json()
    assert [c["name"] for c in later["levels"][2]["chiefs"]] == ["新镇长"]
    assert [c["name"] for c in earlier["levels"][2]["chiefs"]] == [old["name"]]


def test_assignments_to_reaches_are_checked(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    office = auth_headers("office")
    reaches = client.get("/api/v1/reaches", params={"river_id": river_id(db, "岷江")}).json()
    village = next(x for x in reaches if x["level"] == "village")
    official = client.post("/api/v1/officials", json={"name": "测试村长"}, headers=office).json()
    body = {
        "reach_id": village["id"],
        "official_id": official["id"],
        "role": "river_chief",
        "level": "township",
        "valid_from": "2026-01-01",
    }
    wrong_level = client.post("/api/v1/assignments", json=body, headers=office)
    assert wrong_level.status_code == 422 and "village reach" in wrong_level.json()["detail"]
    early = client.post(
        "/api/v1/assignments",
        json={**body, "level": "village", "valid_from": "2020-01-01"},
        headers=office,
    )
    assert early.status_code == 422 and "must lie within it" in early.json()["detail"]
    no_reach = client.post(
        "/api/v1/assignments",
        json={**body, "reach_id": None, "river_id": village["river_id"], "level": "village"},
        headers=office,
    )
    assert no_reach.status_code == 422 and "reach_id" in no_reach.json()["detail"]
    other_river = client.post(
        "/api/v1/assignments",
        json={**body, "level": "village", "river_id": river_id(db, "大渡河")},
        headers=office,
    )
    assert other_river.status_code == 422
    missing = client.post(
        "/api/v1/assignments", json={**body, "level": "village", "reach_id": 999999}, headers=office
    )
    assert missing.status_code == 404
    ok = client.post("/api/v1/assignments", json={**body, "level": "village"}, headers=office)
    assert ok.status_code == 201, ok.text
    listed = client.get("/api/v1/assignments", params={"reach_id": village["id"]}).json()
    assert ok.json()["id"] in [a["id"] for a in listed]
    again = client.get(f"/api/v1/reaches/{village['id']}").json()
    assert "测试村长" in [c["name"] for c in again["chiefs"]]
    assert client.post("/api/v1/assignments", json=body).status_code == 401


def test_reaches_geojson_by_zoom_and_townships(client: TestClient) -> None:
    far = client.get("/api/v1/reaches.geojson", params={"zoom": 8}).json()
    assert {f["properties"]["level"] for f in far["features"]} == {"city"}
    near = client.get("/api/v1/reaches.geojson", params={"zoom": 15}).json()
    assert {f["properties"]["level"] for f in near["features"]} == {"township", "village"}
    assert {f["geometry"]["type"] for f in near["features"]} <= {"MultiLineString", "LineString"}
    villages = client.get("/api/v1/reaches.geojson", params={"level": "village"}).json()
    assert all(f["properties"]["chiefs"] for f in villages["features"])
    towns = client.get("/api/v1/townships", params={"county": "511111"}).json()
    assert len(towns) == 9 and all(t["code"].startswith("511111") for t in towns)
    assert len(client.get("/api/v1/townships").json()) == 132
