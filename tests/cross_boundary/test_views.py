"""The public summary, the neighbour view and its scoping, agreements and the rotation."""

from __future__ import annotations

from typing import Any

from fastapi.testclient import TestClient

from tests.support import Headers


def _by_code(body: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {n["neighbor_code"]: n for n in body}


def test_public_summary_has_exactly_the_issue_fields(client: TestClient) -> None:
    response = client.get("/api/v1/cross-boundary")
    assert response.status_code == 200
    body = _by_code(response.json())
    assert set(body) == {"511400", "513400", "510300", "511500", "511800"}
    for n in body.values():
        assert set(n) == {"neighbor_code", "neighbor_name", "shared_border_km", "rivers"}
        for r in n["rivers"]:
            assert set(r) == {
                "river_id",
                "name",
                "crossings",
                "along_border_km",
                "length_in_city_km",
                "upstream_city",
                "downstream_city",
            }
            for c in r["crossings"]:
                assert set(c) == {"lon", "lat", "direction", "neighbor_county"}
    meishan = body["511400"]
    assert meishan["neighbor_name"] == "眉山市"
    assert abs(meishan["shared_border_km"] - 332.0) < 0.5
    rivers = {r["name"]: r for r in meishan["rivers"]}
    assert set(rivers) == {"岷江", "青衣江"}
    assert rivers["岷江"]["crossings"] == [
        {
            "lon": rivers["岷江"]["crossings"][0]["lon"],
            "lat": rivers["岷江"]["crossings"][0]["lat"],
            "direction": "inflow",
            "neighbor_county": "青神县",
        }
    ]
    min_river = rivers["岷江"]
    assert (min_river["upstream_city"], min_river["downstream_city"]) == ("眉山市", "宜宾市")
    assert abs(rivers["岷江"]["length_in_city_km"] - 105.5) < 2
    assert rivers["青衣江"]["upstream_city"] == "眉山市"
    assert rivers["青衣江"]["downstream_city"] is None  # it ends in Leshan, in the Dadu
    yibin = {r["name"]: r for r in body["511500"]["rivers"]}
    assert set(yibin) == {"岷江"}
    assert [c["direction"] for c in yibin["岷江"]["crossings"]] == ["outflow"]
    assert yibin["岷江"]["crossings"][0]["neighbor_county"] == "叙州区"
    dadu_ls = {r["name"]: r for r in body["513400"]["rivers"]}["大渡河"]
    dadu_ya = {r["name"]: r for r in body["511800"]["rivers"]}["大渡河"]
    assert [c["direction"] for c in dadu_ya["crossings"]] == ["inflow", "along"]
    assert [c["direction"] for c in dadu_ls["crossings"]] == ["outflow", "along", "inflow"]
    assert {c["neighbor_county"] for c in dadu_ls["crossings"]} == {"甘洛县"}
    assert 5.0 < dadu_ls["along_border_km"] < 7.0 and 0.9 < dadu_ya["along_border_km"] < 1.7
    assert (dadu_ls["upstream_city"], dadu_ls["downstream_city"]) == ("雅安市", None)
    assert body["510300"]["rivers"] == []  # 自贡: a border, no river in the data


def test_meishan_viewer_sees_min_and_qingyi_only(client: TestClient, auth_headers: Headers) -> None:
    response = client.get(
        "/api/v1/cross-boundary/511400",
        params={"from": "2025-01-01", "to": "2025-12-31"},
        headers=auth_headers("meishan"),
    )
    assert response.status_code == 200, response.text
    view = response.json()
    names = {r["name"] for r in view["rivers"]}
    assert names == {"岷江", "青衣江"}
    assert {r["river_name"] for r in view["reaches"]} <= {"岷江", "青衣江"}
    assert view["reaches"], "both rivers enter within 5 km of the 眉山 border"
    assert "大渡河" not in response.text
    assert view["from"] == "2025-01-01" and view["buffer_km"] == 5.0


def test_viewer_of_meishan_gets_403_on_yibin(client: TestClient, auth_headers: Headers) -> None:
    for path in ("/api/v1/cross-boundary/511500", "/api/v1/cross-boundary/511500/brief"):
        response = client.get(path, headers=auth_headers("meishan"))
        assert response.status_code == 403, path
        assert "511400" in response.json()["detail"]


def test_view_needs_staff_or_the_neighbour(client: TestClient, auth_headers: Headers) -> None:
    assert client.get("/api/v1/cross-boundary/511400").status_code == 401
    assert (
        client.get("/api/v1/cross-boundary/511400", headers=auth_headers("patrol")).status_code
        == 403
    )
    for user in ("office", "chief", "liaison", "county"):
        assert (
            client.get("/api/v1/cross-boundary/511500", headers=auth_headers(user)).status_code
            == 200
        ), user


def test_unknown_code_and_bad_parameters(client: TestClient, auth_headers: Headers) -> None:
    office = auth_headers("office")
    unknown = client.get("/api/v1/cross-boundary/999999", headers=office)
    assert unknown.status_code == 404 and "999999" in unknown.json()["detail"]
    # Leshan itself and its counties are not neighbours.
    assert client.get("/api/v1/cross-boundary/511100", headers=office).status_code == 404
    assert client.get("/api/v1/cross-boundary/511102", headers=office).status_code == 404
    bad = [
        {"buffer_km": "0"},
        {"buffer_km": "-1"},
        {"buffer_km": "51"},
        {"buffer_km": "x"},
        {"from": "2025-02-30"},
        {"from": "2025-06-01", "to": "2025-01-01"},
    ]
    for params in bad:
        response = client.get("/api/v1/cross-boundary/511400", params=params, headers=office)
        assert response.status_code == 422, params


def test_buffer_widens_the_reaches(client: TestClient, auth_headers: Headers) -> None:
    office = auth_headers("office")

    def reach_km(buffer_km: float) -> float:
        view = client.get(
            "/api/v1/cross-boundary/511500", params={"buffer_km": buffer_km}, headers=office
        ).json()
        return float(view["reach_coverage"]["length_km"])

    small, large = reach_km(1), reach_km(10)
    # 岷江 leaves for 宜宾 roughly across the border: about 1 km of it within 1 km inside
    # Leshan, several km within 10 km (hand-checked against the segment geometry).
    assert 0.3 < small < 3.0
    assert large > 4 * small


def test_a_neighbour_without_shared_rivers_has_an_empty_view(
    client: TestClient, auth_headers: Headers
) -> None:
    view = client.get("/api/v1/cross-boundary/510300", headers=auth_headers("office")).json()
    assert view["neighbor_name"] == "自贡市" and abs(view["shared_border_km"] - 145.6) < 0.5
    assert view["rivers"] == [] and view["reaches"] == [] and view["crossings"] == []
    assert view["reach_coverage"] == {"length_km": 0.0, "covered_km": 0.0, "coverage": 0.0}
