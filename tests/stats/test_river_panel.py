"""The river panel in one request: each part equals the endpoint it replaces."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.patrols.demo import generate
from service.problems.demo import load_demo_problems

Headers = Callable[[str], dict[str, str]]
OPEN = "reported,assigned,rectifying,rectified,verified,reopened"


def test_river_panel_matches_the_endpoints_it_replaces(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    year = date.today().year - 1
    generate(db, year, 12, None, seed=5)
    load_demo_problems(db)
    db.flush()
    office = auth_headers("office")
    rivers = client.get("/api/v1/rivers").json()
    minjiang = next(r for r in rivers if r["name"] == "岷江")
    rid = minjiang["id"]
    period = {"from": f"{year}-01-01", "to": f"{year}-12-31"}
    res = client.get(f"/api/v1/stats/rivers/{rid}", params=period, headers=office)
    assert res.status_code == 200, res.text
    panel = res.json()
    assert panel["river"]["name"] == "岷江" and panel["river"]["segments"]
    assert panel["river"]["chiefs"] == client.get(f"/api/v1/rivers/{rid}").json()["chiefs"]
    (row,) = client.get("/api/v1/coverage", params={**period, "river_id": rid}).json()
    assert panel["coverage"] == row
    assert [m["label"] for m in panel["months"]] == [str(m) for m in range(1, 13)]
    for m in panel["months"]:
        (month,) = client.get(
            "/api/v1/coverage", params={"from": m["from"], "to": m["to"], "river_id": rid}
        ).json()
        assert m["coverage"] == month
    assert sum(m["coverage"]["patrols"] for m in panel["months"]) >= row["patrols"] > 0
    city = {c["id"] for c in panel["river"]["chiefs"] if c["level"] == "city"}
    duty = [
        r
        for r in client.get("/api/v1/compliance", params={"year": year}, headers=office).json()
        if r["official_id"] in city
    ]
    assert panel["compliance"] == duty and duty
    listed = client.get(
        "/api/v1/problems.geojson", params={"river_id": rid, "state": OPEN}, headers=office
    ).json()
    assert [f["id"] for f in panel["problems"]["features"]] == [f["id"] for f in listed["features"]]
    assert listed["features"]


def test_river_panel_for_the_public(client: TestClient) -> None:
    rid = next(r["id"] for r in client.get("/api/v1/rivers").json() if r["name"] == "岷江")
    short = client.get(
        f"/api/v1/stats/rivers/{rid}", params={"from": "2025-03-01", "to": "2025-03-10"}
    )
    assert short.status_code == 200
    body = short.json()
    assert body["coverage"] is None and body["compliance"] is None  # too short; not staff
    assert [m["label"] for m in body["months"]] == ["3"]  # a whole month is public
    assert client.get("/api/v1/stats/rivers/999999").status_code == 404
