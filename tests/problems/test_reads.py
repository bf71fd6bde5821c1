"""Lists, scope, the public map and the yearly summary (numbers worked out by hand below)."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.problems import service
from service.problems.schemas import ProblemIn, ProblemTransitionIn
from service.timeutil import LOCAL_TZ
from service.workflow import SystemActor
from tests.problems.conftest import BESIDE_DADU, OFF_RIVER, Report
from tests.support import Headers

BESIDE_MIN = (103.9750, 29.1620)  # 犍为县 511123, 52 m from 岷江
PUBLIC_KEYS = {"category", "category_label", "state", "state_label", "river_id", "river", "date"}


def _ids(r) -> list[int]:  # type: ignore[no-untyped-def]
    assert r.status_code == 200, r.text
    return [p["id"] for p in r.json()]


@pytest.fixture
def three(report: Report) -> dict[str, int]:
    """A 大渡河 problem in 沙湾区, a covert one there, a 岷江 one in 犍为县 (by the office)."""
    return {
        "dadu": report(observed_at="2026-03-02T10:00:00+08:00").json()["id"],
        "covert": report(
            as_="office",
            covert=True,
            category="sand_mining",
            observed_at="2026-04-02T10:00:00+08:00",
        ).json()["id"],
        "min": report(
            as_="office",
            point=BESIDE_MIN,
            category="sewage_outfall",
            observed_at="2026-05-02T10:00:00+08:00",
        ).json()["id"],
    }


def test_lists_are_scoped_by_role(
    client: TestClient, auth_headers: Headers, three: dict[str, int]
) -> None:
    def ids(user: str, **params: str) -> list[int]:
        r = client.get("/api/v1/problems", params=params, headers=auth_headers(user))
        return [i for i in _ids(r) if i in three.values()]

    assert ids("office") == [three["min"], three["covert"], three["dadu"]]  # newest first
    assert ids("county") == [three["covert"], three["dadu"]]  # 沙湾区 only
    assert ids("chief") == [three["min"]]  # 岷江's chief
    assert ids("liaison") == [three["min"]]  # 市水务局, 岷江's unit
    # The patrol account reported the 大渡河 one and records for 岷江's chief.
    assert ids("patrol") == [three["min"], three["dadu"]]
    public = client.get("/api/v1/problems", headers=auth_headers("meishan"))
    assert three["covert"] not in _ids(public)
    mine = [p for p in public.json() if p["id"] == three["dadu"]]
    assert set(mine[0]) == {
        "id",
        "category",
        "category_label",
        "state",
        "state_label",
        "river_id",
        "river_name",
        "date",
    }
    assert client.get("/api/v1/problems").status_code == 401
    # Detail follows the same scope.
    assert (
        client.get(f"/api/v1/problems/{three['min']}", headers=auth_headers("county")).status_code
        == 404
    )
    assert (
        client.get(
            f"/api/v1/problems/{three['covert']}", headers=auth_headers("meishan")
        ).status_code
        == 404
    )
    neighbour = client.get(f"/api/v1/problems/{three['dadu']}", headers=auth_headers("meishan"))
    assert "description" not in neighbour.json() and neighbour.json()["river_name"] == "大渡河"


def test_filters_and_pagination(
    client: TestClient, auth_headers: Headers, three: dict[str, int], act: Report
) -> None:
    office = auth_headers("office")

    def ids(**params: object) -> list[int]:
        r = client.get("/api/v1/problems", params=params, headers=office)
        return [i for i in _ids(r) if i in three.values()]

    act(three["dadu"], "close_not_fixed", note="误报")
    assert ids(state="closed_not_fixed") == [three["dadu"]]
    assert ids(state="reported,closed_not_fixed") == [three["min"], three["covert"], three["dadu"]]
    assert ids(county="511123") == [three["min"]]
    min_river = client.get(f"/api/v1/problems/{three['min']}", headers=office).json()
    assert ids(river_id=min_river["river_id"]) == [three["min"]]
    assert ids(**{"from": "2026-04-01", "to": "2026-04-30"}) == [three["covert"]]
    assert ids(**{"from": "2026-03-02", "to": "2026-03-02"}) == [three["dadu"]]
    assert ids(category="sewage_outfall") == [three["min"]]
    assert ids(overdue="true") == []  # due dates are 30 days ahead
    r = client.get("/api/v1/problems", params={"limit": 1, "state": "reported"}, headers=office)
    assert len(r.json()) == 1 and int(r.headers["X-Total-Count"]) >= 2
    assert (
        client.get("/api/v1/problems", params={"state": "open"}, headers=office).status_code == 422
    )
    assert (
        client.get(
            "/api/v1/problems", params={"from": "2026-05-01", "to": "2026-04-01"}, headers=office
        ).status_code
        == 422
    )


def test_overdue_filter(client: TestClient, auth_headers: Headers, db: Session) -> None:
    office = SystemActor(role="office")
    p = service.report_problem(
        db,
        ProblemIn(
            lon=BESIDE_DADU[0],
            lat=BESIDE_DADU[1],
            category="garbage",
            description="旧问题",
            observed_at=datetime(2026, 1, 5, 9, tzinfo=LOCAL_TZ),
        ),
        office,
        now=datetime(2026, 1, 5, 10, tzinfo=LOCAL_TZ),
    )
    db.flush()
    r = client.get("/api/v1/problems", params={"overdue": "true"}, headers=auth_headers("county"))
    overdue = [i for i in r.json() if i["id"] == p.id]
    assert overdue and overdue[0]["overdue"] is True and overdue[0]["due_date"] == "2026-02-04"
    r = client.get("/api/v1/problems", params={"overdue": "false"}, headers=auth_headers("county"))
    assert p.id not in [i["id"] for i in r.json()]


def test_geojson_public_fields_only_and_no_covert(
    client: TestClient, auth_headers: Headers, three: dict[str, int]
) -> None:
    public = client.get("/api/v1/problems.geojson")
    assert public.status_code == 200
    features = {f["id"]: f for f in public.json()["features"]}
    assert three["covert"] not in features
    dadu = features[three["dadu"]]
    assert set(dadu["properties"]) == PUBLIC_KEYS
    assert dadu["properties"]["river"] == "大渡河" and dadu["properties"]["date"] == "2026-03-02"
    assert dadu["geometry"]["coordinates"] == [BESIDE_DADU[0], BESIDE_DADU[1]]
    neighbour = client.get("/api/v1/problems.geojson", headers=auth_headers("meishan")).json()
    assert three["covert"] not in {f["id"] for f in neighbour["features"]}
    staff = client.get("/api/v1/problems.geojson", headers=auth_headers("office")).json()
    by_id = {f["id"]: f for f in staff["features"]}
    assert by_id[three["covert"]]["properties"]["covert"] is True
    assert "description" in by_id[three["dadu"]]["properties"]
    county = client.get("/api/v1/problems.geojson", headers=auth_headers("county")).json()
    assert three["min"] not in {f["id"] for f in county["features"]}
    bbox = client.get("/api/v1/problems.geojson", params={"bbox": "103.9,29.1,104.0,29.2"})
    assert [f["id"] for f in bbox.json()["features"] if f["id"] in three.values()] == [three["min"]]


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=LOCAL_TZ)


def test_summary_per_county_and_river(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    """Six problems of 2025, backdated through the service:

    A 沙湾区/大渡河: reported 03-01, due 03-31, rectified 03-20 (on time), closed 04-01: 31 d.
    B 沙湾区/大渡河: reported 05-01, due 05-31, rectified 06-10 (late), closed 06-11: 41 d.
    C 沙湾区/大渡河: reported 07-01, due 07-31, still rectifying: overdue, late.
    D 马边 off river: reported 08-01, closed not fixed 08-05: late, not overdue.
    E 沙湾区/大渡河: reported 03-02, a duplicate of A: not judged.
    F 犍为县/岷江: reported 09-01, never assigned, due 10-01 (report + 30 d): overdue, late.
    => 沙湾区: total 4, judged 3, on time 1 (rate 0.3333), overdue 1, median 36.0 d.
    """
    office, county = SystemActor(role="office"), SystemActor(role="county", county_code="511111")

    def new(day: date, point: tuple[float, float] = BESIDE_DADU):  # type: ignore[no-untyped-def]
        body = ProblemIn(
            lon=point[0], lat=point[1], category="garbage", description="x", observed_at=_at(day, 9)
        )
        return service.report_problem(db, body, office, now=_at(day))

    def go(p, action: str, day: date, actor=office, **kw):  # type: ignore[no-untyped-def]
        service.transition(db, p, ProblemTransitionIn(action=action, **kw), actor, at=_at(day))

    def cycle(
        p,
        assigned: date,
        due: date,
        rectified: date | None,  # type: ignore[no-untyped-def]
        closed: date | None,
    ) -> None:
        go(p, "assign", assigned, assignee_county="511111", due_date=due)
        go(p, "start", assigned, county)
        if rectified:
            go(p, "rectified", rectified, county, note="done")
        if closed:
            go(p, "verify", closed)
            go(p, "close", closed)

    a = new(date(2025, 3, 1))
    cycle(a, date(2025, 3, 2), date(2025, 3, 31), date(2025, 3, 20), date(2025, 4, 1))
    cycle(
        new(date(2025, 5, 1)),
        date(2025, 5, 2),
        date(2025, 5, 31),
        date(2025, 6, 10),
        date(2025, 6, 11),
    )
    cycle(new(date(2025, 7, 1)), date(2025, 7, 2), date(2025, 7, 31), None, None)
    go(new(date(2025, 8, 1), OFF_RIVER), "close_not_fixed", date(2025, 8, 5), note="无法整改")
    go(new(date(2025, 3, 2)), "mark_duplicate", date(2025, 3, 3), duplicate_of=a.id)
    new(date(2025, 9, 1), BESIDE_MIN)
    db.flush()

    r = client.get(
        "/api/v1/problems/summary", params={"year": 2025}, headers=auth_headers("county")
    )
    assert r.status_code == 200, r.text
    body = r.json()
    counties = {c["county_code"]: c for c in body["counties"]}
    assert len(counties) == 11
    shawan = counties["511111"]
    assert shawan["total"] == 4
    assert {k: v for k, v in shawan["counts"].items() if v} == {
        "closed": 2,
        "rectifying": 1,
        "duplicate": 1,
    }
    assert (shawan["judged"], shawan["on_time"], shawan["on_time_rate"]) == (3, 1, 0.3333)
    assert (shawan["overdue"], shawan["median_days_to_close"]) == (1, 36.0)
    mabian = counties["511133"]
    assert (mabian["total"], mabian["judged"], mabian["on_time_rate"], mabian["overdue"]) == (
        1,
        1,
        0.0,
        0,
    )
    assert (counties["511123"]["overdue"], counties["511123"]["counts"]["reported"]) == (1, 1)
    assert counties["511102"]["total"] == 0 and counties["511102"]["on_time_rate"] is None
    rivers = {r["river_name"]: r for r in body["rivers"]}
    assert rivers["大渡河"]["total"] == 4 and rivers["岷江"]["total"] == 1
    assert rivers["不在登记河流上"]["river_id"] is None
    total = body["total"]
    assert (total["total"], total["judged"], total["on_time"], total["overdue"]) == (6, 5, 1, 2)
    assert (
        client.get(
            "/api/v1/problems/summary", params={"year": 2024}, headers=auth_headers("office")
        ).json()["total"]["total"]
        == 0
    )
    assert (
        client.get(
            "/api/v1/problems/summary", params={"year": 2025}, headers=auth_headers("patrol")
        ).status_code
        == 403
    )
    assert client.get("/api/v1/problems/summary", params={"year": 2025}).status_code == 401
    assert client.get("/api/v1/problems/summary", headers=auth_headers("office")).status_code == 422


def test_categories_are_public(client: TestClient) -> None:
    r = client.get("/api/v1/problems/categories")
    assert r.status_code == 200
    assert {c["code"]: c["label"] for c in r.json()}["illegal_fishing"] == "非法捕捞"
    assert len(r.json()) == 7
