"""Reporting: routing by geography (Done-when), datum, duplicates, refusals."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.geo.datum import wgs84_to_gcj02
from service.problems.models import Problem
from service.rivers.models import Segment
from service.timeutil import today_local
from service.workflow import WorkflowEvent
from tests.problems.conftest import BESIDE_DADU, IN_MEISHAN, OFF_RIVER, Report


def test_point_beside_dadu_in_shawan_is_routed_to_river_county_chief_and_unit(
    report: Report, db: Session
) -> None:
    r = report()
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["river_name"] == "大渡河"
    assert body["county_code"] == "511111" and body["county_name"] == "沙湾区"
    assert 50 < body["distance_m"] < 62  # hand-checked 56 m
    # The demo roster: 大渡河's municipal chief and liaison unit (service.demo.roster).
    assert body["responsible"]["chief"]["name"] == "陈晓东"
    assert body["responsible"]["liaison_unit"]["name"] == "市生态环境局"
    assert body["responsible"]["county"] == {"code": "511111", "name": "沙湾区"}
    assert body["state"] == "reported" and body["off_river"] is False
    # Default due date: the report day + problem_default_due_days (30).
    assert body["due_date"] == (today_local() + timedelta(days=30)).isoformat()
    assert body["possible_duplicates"] == []
    assert [(h["seq"], h["action"], h["from_state"], h["to_state"]) for h in body["history"]] == [
        (1, "report", None, "reported")
    ]
    segment = db.get(Segment, body["segment_id"])
    assert segment is not None and (segment.river_id, segment.ord) == (body["river_id"], 11)


def test_gcj02_input_is_converted_before_routing(report: Report) -> None:
    glon, glat = wgs84_to_gcj02(*BESIDE_DADU)
    body = report(point=(float(glon), float(glat)), datum="gcj02").json()
    # GCJ-02 is offset by ~300-600 m here; converted back it lands on the WGS84 point.
    assert abs(body["lon"] - BESIDE_DADU[0]) < 1e-6 and abs(body["lat"] - BESIDE_DADU[1]) < 1e-6
    assert body["input_lon"] == float(glon) and body["datum"] == "gcj02"
    assert body["river_name"] == "大渡河" and 50 < body["distance_m"] < 62


def test_point_in_meishan_is_refused_naming_the_city(report: Report, db: Session) -> None:
    before = db.scalar(select(func.count()).select_from(Problem))
    r = report(point=IN_MEISHAN)
    assert r.status_code == 422
    assert r.json()["detail"] == "the point lies in 眉山市, outside 乐山市"
    assert r.json()["city_code"] == "511400"
    far = report(point=(116.4, 39.9))  # Beijing: in no loaded city
    assert far.status_code == 422 and "outside 乐山市" in far.json()["detail"]
    assert db.scalar(select(func.count()).select_from(Problem)) == before


def test_far_from_any_river_is_accepted_off_river_with_its_county(report: Report) -> None:
    r = report(point=OFF_RIVER, category="sewage_outfall")
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["off_river"] is True and body["river_id"] is None and body["segment_id"] is None
    assert body["county_code"] == "511133"
    assert body["responsible"]["chief"] is None and body["responsible"]["liaison_unit"] is None
    assert body["distance_m"] > 1000  # to the nearest registered river, beyond the snap limit
    assert body["history"][0]["data"] == {"off_river": True}


def test_duplicates_are_open_same_category_within_radius(
    report: Report, act: Report, db: Session
) -> None:
    first = report().json()
    # 0.0003 deg of latitude north = 33.4 m: inside the 50 m radius.
    near = report(point=(BESIDE_DADU[0], BESIDE_DADU[1] + 0.0003)).json()
    assert [d["id"] for d in near["possible_duplicates"]] == [first["id"]]
    assert 33 < near["possible_duplicates"][0]["distance_m"] < 34
    # Another category, or farther than 50 m (0.0006 deg = 66.7 m), is not a duplicate.
    other = report(category="sand_mining").json()
    assert other["possible_duplicates"] == []
    far = report(point=(BESIDE_DADU[0], BESIDE_DADU[1] - 0.0006)).json()
    assert far["possible_duplicates"] == []
    # Closed problems are not open: no longer suggested.
    assert act(first["id"], "close_not_fixed", note="误报").status_code == 200
    again = report(point=(BESIDE_DADU[0], BESIDE_DADU[1] + 0.0001)).json()
    assert [d["id"] for d in again["possible_duplicates"]] == [near["id"]]


def test_bad_reports_are_refused_and_leave_nothing(report: Report, db: Session) -> None:
    before = db.scalar(select(func.count()).select_from(WorkflowEvent))
    assert report(category="fly_tipping").status_code == 422
    assert report(observed_at="2999-01-01T00:00:00+08:00").status_code == 422
    assert report(point=(200.0, 29.0)).status_code == 422
    assert report(datum="bd09").status_code == 422
    assert report(patrol_id=987654).status_code == 422
    assert report(description="").status_code == 422
    assert db.scalar(select(func.count()).select_from(WorkflowEvent)) == before


def test_who_may_report(
    client: TestClient, report: Report, auth_headers: Callable[[str], dict[str, str]]
) -> None:
    for role in ("office", "chief", "liaison", "county", "patrol"):
        assert report(as_=role).status_code == 201, role
    assert report(as_="meishan").status_code == 403
    anonymous = client.post("/api/v1/problems", json={"lon": 103.6, "lat": 29.3})
    assert anonymous.status_code == 401


def test_problems_follow_their_segment_when_the_river_is_recut(report: Report, db: Session) -> None:
    from service.domains import compose
    from service.rivers.geography import recut_segments

    body = report().json()
    old_segment = body["segment_id"]
    recut_segments(db, [body["river_id"]], compose().run_recut_hooks)
    db.expire_all()
    problem = db.get(Problem, body["id"])
    assert problem is not None and problem.segment_id is not None
    assert problem.segment_id != old_segment  # the old segment row is gone
    segment = db.get(Segment, problem.segment_id)
    assert segment is not None and (segment.river_id, segment.ord) == (body["river_id"], 11)
