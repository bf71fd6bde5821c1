"""The river registry on the real Leshan data: lengths, counties, chiefs, GeoJSON."""

from __future__ import annotations

from fastapi.testclient import TestClient

from tests.support import LESHAN_COUNTIES

EXPECTED_KM = {"岷江": 105.5, "大渡河": 149.5, "青衣江": 39.9}


def test_healthz_reports_postgis(client: TestClient) -> None:
    body = client.get("/healthz").json()
    assert body["status"] == "ok"
    assert body["postgis"].startswith("3.")


def test_rivers_have_leshan_lengths_chiefs_and_units(client: TestClient) -> None:
    response = client.get("/api/v1/rivers")
    assert response.status_code == 200
    rivers = {r["name"]: r for r in response.json()}
    # WDBII's three, and 马边河 and 官料河 from the 1:4M layer (issue 18).
    assert set(rivers) == {*EXPECTED_KM, "马边河", "官料河"}
    assert response.headers["X-Total-Count"] == "5"
    for name, km in EXPECTED_KM.items():
        river = rivers[name]
        assert abs(river["length_km"] - km) / km < 0.02, (name, river["length_km"])
        assert river["cross_boundary"] is True
        assert river["coarse_geometry"] is True
        assert river["patrol_tolerance_m"] == 500.0
        # Listed from the assignments to the river's reaches, city level first.
        levels = [c["level"] for c in river["chiefs"]]
        assert levels[0] == "city" and levels[1] == "county"
        order = ["city", "county", "township", "village"]
        assert levels == sorted(levels, key=order.index)
        assert len(river["liaison_units"]) == 1
        assert set(river["counties"]) <= LESHAN_COUNTIES


def test_all_adds_neighbour_region_rivers(client: TestClient) -> None:
    names = {r["name"] for r in client.get("/api/v1/rivers", params={"all": "true"}).json()}
    assert {"金沙江", "长江", "雅砻江"} <= names


def test_river_detail_lists_segments_in_order(client: TestClient) -> None:
    rivers = {r["name"]: r for r in client.get("/api/v1/rivers").json()}
    detail = client.get(f"/api/v1/rivers/{rivers['岷江']['id']}").json()
    segments = detail["segments"]
    assert [s["order"] for s in segments] == list(range(1, len(segments) + 1))
    # The Min enters from Meishan into 市中区 and leaves through 犍为县 to Yibin.
    assert segments[0]["county_code"] == "511102"
    assert segments[-1]["county_code"] == "511123"
    assert abs(sum(s["length_km"] for s in segments) - detail["length_km"]) < 0.01


def test_missing_river_is_404(client: TestClient) -> None:
    assert client.get("/api/v1/rivers/999999").status_code == 404


def test_chiefs_on_a_date_before_the_mechanism(client: TestClient) -> None:
    rivers = client.get("/api/v1/rivers", params={"on": "2020-01-01"}).json()
    assert all(r["chiefs"] == [] and r["liaison_units"] == [] for r in rivers)


def test_segments_geojson_filters(client: TestClient) -> None:
    fc = client.get("/api/v1/segments.geojson", params={"county": "511123"}).json()
    assert fc["type"] == "FeatureCollection"
    assert fc["features"] and all(
        f["properties"]["county_code"] == "511123" for f in fc["features"]
    )
    assert {"river_id", "county_code", "length_km"} <= set(fc["features"][0]["properties"])
    empty = client.get("/api/v1/segments.geojson", params={"bbox": "100,20,100.1,20.1"}).json()
    assert empty["features"] == []
    assert client.get("/api/v1/segments.geojson", params={"bbox": "1,2,3"}).status_code == 422


def test_areas_geojson_levels(client: TestClient) -> None:
    cities = client.get("/api/v1/areas.geojson", params={"level": "city"}).json()["features"]
    assert {f["properties"]["code"] for f in cities} == {
        "511100",
        "510300",
        "511400",
        "511500",
        "511800",
        "513400",
    }
    counties = client.get("/api/v1/areas.geojson", params={"level": "county"}).json()["features"]
    roles = {f["properties"]["role"] for f in counties}
    assert roles == {"focus_county", "neighbor_county"}
    assert client.get("/api/v1/areas.geojson", params={"level": "town"}).status_code == 422
