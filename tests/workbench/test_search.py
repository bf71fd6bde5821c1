"""One search box (issue 15): rivers, counties, officials and problems by id or tracking
code, each with a point or a box for the map, problems only as the caller may see them."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.officials.models import Official
from tests.support import Headers
from tests.workbench.conftest import BESIDE_DADU, Seeded


def _hits(client: TestClient, q: str, headers: dict[str, str] | None = None) -> list[dict]:  # type: ignore[type-arg]
    r = client.get("/api/v1/search", params={"q": q, "limit": 50}, headers=headers or {})
    assert r.status_code == 200, r.text
    return r.json()["items"]


def test_places_and_rivers_with_their_extent(client: TestClient) -> None:
    county = [h for h in _hits(client, "沙湾") if h["kind"] == "county"]
    assert [(h["id"], h["label"]) for h in county] == [("511111", "沙湾区")]
    w, s, e, n = county[0]["bbox"]
    assert w < BESIDE_DADU[0] < e and s < BESIDE_DADU[1] < n  # the point lies in 沙湾区
    rivers = [h for h in _hits(client, "岷江") if h["kind"] == "river"]
    assert rivers[0]["label"] == "岷江"
    w, s, e, n = rivers[0]["bbox"]
    # 岷江 runs through 乐山 from the north (眉山) to the south (宜宾).
    assert 103.5 < w < e < 104.3 and 28.8 < s < n < 30.0
    assert _hits(client, "%") == []  # wildcards are characters


def test_officials_by_name(client: TestClient, db: Session) -> None:
    name = db.scalars(select(Official.name).order_by(Official.id)).first()
    assert name is not None
    hits = [h for h in _hits(client, name) if h["kind"] == "official"]
    assert hits and hits[0]["label"].startswith(name)


def test_problems_by_id_and_code_as_the_caller_may_see_them(
    client: TestClient, auth_headers: Headers, seeded: Seeded
) -> None:
    pid = seeded.problems[3]
    office = [h for h in _hits(client, str(pid), auth_headers("office")) if h["kind"] == "problem"]
    assert [h["id"] for h in office] == [str(pid)]
    lon, lat = office[0]["point"]
    assert abs(lon - (BESIDE_DADU[0] + 3e-5)) < 1e-3 and abs(lat - BESIDE_DADU[1]) < 1e-3
    assert "工作台测试问题" in office[0]["label"]
    coded = _hits(client, seeded.code.lower(), auth_headers("office"))
    assert [h["id"] for h in coded if h["kind"] == "problem"] == [str(seeded.coded_problem)]
    # A neighbour city finds it without its description; a chief of another river not at all;
    # anonymous callers search places only.
    viewer = [h for h in _hits(client, str(pid), auth_headers("meishan")) if h["kind"] == "problem"]
    assert viewer and "工作台" not in viewer[0]["label"]
    chief = _hits(client, str(pid), auth_headers("chief"))
    assert [h for h in chief if h["kind"] == "problem"] == []
    assert [h for h in _hits(client, str(pid)) if h["kind"] == "problem"] == []


def test_search_bounds(client: TestClient) -> None:
    assert client.get("/api/v1/search?q=").status_code == 422
    assert client.get("/api/v1/search", params={"q": "x" * 101}).status_code == 422
    assert client.get("/api/v1/search?q=江&limit=51").status_code == 422
    limited = client.get("/api/v1/search?q=江&limit=3").json()["items"]
    assert len(limited) == 3
