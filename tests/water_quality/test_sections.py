"""Registering sections: snapping, border crossings, counties, and where problems go."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.cross_boundary.models import Crossing
from service.problems.models import Problem
from service.rivers.models import River, Segment
from service.timeutil import today_local
from service.water_quality.models import Section
from service.water_quality.registry import resnap_after_recut
from service.water_quality.routing import reaches_around, responsible_reach
from tests.support import Headers, river_id
from tests.water_quality.conftest import (
    BESIDE_DADU,
    FAILING,
    Import,
    Register,
    crossing_point,
    month_ago,
    segment_of,
    xlsx,
)

OFF_RIVER = (103.50, 29.05)  # 马边, 19 km from the nearest registered river


def test_register_snaps_to_the_river_and_answers_where(
    client: TestClient, db: Session, register: Register, auth_headers: Headers
) -> None:
    got = register("T-SNAP", BESIDE_DADU)
    assert got.status_code == 201, got.text
    s = got.json()
    assert s["river_id"] == river_id(db, "大渡河") and s["river_name"] == "大渡河"
    # 56 m from the line (hand-checked: 0.000505 deg of latitude, 5.6 m of longitude).
    assert 50 <= s["snap_distance_m"] <= 60
    seg = segment_of(db, "大渡河", 11)
    # The snapped point lies on segment ord 11 and the measure within its range.
    point = func.ST_SetSRID(func.ST_MakePoint(s["snapped_lon"], s["snapped_lat"]), 4326)
    on_line = db.scalar(
        select(func.ST_Distance(func.Geography(Segment.geom), func.Geography(point))).where(
            Segment.id == seg.id
        )
    )
    assert on_line < 1.0
    assert s["measure_m"] > 0 and s["neighbor_code"] is None and s["direction"] is None
    assert s["upstream_county"] == s["downstream_county"] == {"code": "511111", "name": "沙湾区"}
    assert s["kind_label"] == "省控" and s["target_label"] == "Ⅲ类" and s["latest"] is None
    assert client.get("/api/v1/sections").status_code == 200  # public
    listed = client.get("/api/v1/sections", params={"river_id": s["river_id"]}).json()
    assert [x["code"] for x in listed] == ["T-SNAP"]


def test_register_refusals(register: Register) -> None:
    assert register("T-A", BESIDE_DADU, as_="county").status_code == 403
    assert register("T-A", BESIDE_DADU).status_code == 201
    dup = register("T-A", BESIDE_DADU)
    assert dup.status_code == 409 and dup.json()["code"] == "duplicate_code"
    far = register("T-FAR", OFF_RIVER)
    assert far.status_code == 422 and far.json()["code"] == "too_far_from_river"
    assert far.json()["distance_m"] > 1000
    not_border = register("T-NB", BESIDE_DADU, kind="border")
    assert not_border.status_code == 422 and not_border.json()["code"] == "not_at_border"
    assert register("T-CLS", BESIDE_DADU, target_class=6).status_code == 422
    assert register("bad code!", BESIDE_DADU).status_code == 422


def test_inflow_border_section_routes_to_the_first_reach_of_the_city(
    db: Session, register: Register, import_file: Import
) -> None:
    point = crossing_point(db, "岷江", "inflow", "511400")
    s = register("T-IN", point, kind="border", target_class=2).json()
    assert (s["neighbor_code"], s["neighbor_name"], s["direction"]) == (
        "511400",
        "眉山市",
        "inflow",
    )
    assert s["downstream_county"]["code"] == "511102"
    assert s["upstream_county"]["code"] != "511102"  # a county of 眉山 across the line
    got = import_file(xlsx([["T-IN", "", month_ago(1).isoformat(), *FAILING]]))
    assert got.status_code == 200, got.text
    problem = db.get(Problem, got.json()["exceedances"][0]["problem_id"])
    assert problem is not None
    first = segment_of(db, "岷江", 1)
    assert (problem.segment_id, problem.county_code) == (first.id, first.county_code)


def test_outflow_section_routes_to_the_last_reach_upstream(db: Session, register: Register) -> None:
    point = crossing_point(db, "岷江", "outflow", "511500")
    s = register("T-OUT", point, kind="national").json()
    assert (s["neighbor_code"], s["direction"]) == ("511500", "outflow")
    assert s["upstream_county"]["code"] == "511123"  # 犍为县, the last county of the city
    section = db.get(Section, s["id"])
    assert section is not None
    around = reaches_around(db, section.river_id, section.measure_m, today_local())
    reach = responsible_reach(around, section.direction)
    assert around.downstream is None  # below the city's last reach
    assert reach is not None and reach.segment_id == segment_of(db, "岷江", 4).id


def test_between_two_crossings_the_direction_decides(db: Session, register: Register) -> None:
    """大渡河 leaves for 凉山 (crossing seq 3) and comes back (seq 5): a section on the stretch
    outside the city takes the nearer crossing; leaving, the water was last in segment ord 1;
    coming back, the first reach it enters is segment ord 2."""
    rid = river_id(db, "大渡河")
    out_c, in_c = (
        db.scalar(select(Crossing).where(Crossing.river_id == rid, Crossing.seq == n))
        for n in (3, 5)
    )
    assert out_c is not None and in_c is not None
    assert (out_c.direction, in_c.direction) == ("outflow", "inflow")

    def on_river(t: float) -> tuple[float, float]:
        river = select(River.geom).where(River.id == rid).scalar_subquery()
        a = func.ST_LineLocatePoint(func.ST_LineMerge(river), out_c.geom)
        b = func.ST_LineLocatePoint(func.ST_LineMerge(river), in_c.geom)
        p = func.ST_LineInterpolatePoint(func.ST_LineMerge(river), a + (b - a) * t)
        lon, lat = db.execute(select(func.ST_X(p), func.ST_Y(p))).one()
        return float(lon), float(lat)

    first, second = segment_of(db, "大渡河", 1), segment_of(db, "大渡河", 2)
    for code, t, direction, seg in (
        ("T-W1", 0.2, "outflow", first),
        ("T-W2", 0.8, "inflow", second),
    ):
        s = register(code, on_river(t), kind="county").json()
        assert (s["neighbor_code"], s["direction"]) == ("513400", direction), s
        section = db.get(Section, s["id"])
        assert section is not None
        around = reaches_around(db, rid, section.measure_m, today_local())
        assert around.upstream is not None and around.upstream.segment_id == first.id
        assert around.downstream is not None and around.downstream.segment_id == second.id
        reach = responsible_reach(around, section.direction)
        assert reach is not None and reach.segment_id == seg.id


def test_resnap_after_recut_keeps_sections_placed(
    db: Session, register: Register, import_file: Import
) -> None:
    s = register("T-RE", BESIDE_DADU).json()
    got = import_file(xlsx([["T-RE", "", month_ago(1).isoformat(), *FAILING]]))
    problem_id = got.json()["exceedances"][0]["problem_id"]
    rid = s["river_id"]
    from service.domains import compose
    from service.rivers.geography import recut_segments

    recut_segments(db, [rid], compose().run_recut_hooks)
    section = db.get(Section, s["id"])
    assert section is not None
    db.refresh(section)
    assert abs(section.measure_m - s["measure_m"]) < 0.5  # the line did not change
    problem = db.get(Problem, problem_id)
    assert problem is not None
    db.refresh(problem)
    assert problem.segment_id == segment_of(db, "大渡河", 11).id  # a new id, the same reach
    assert resnap_after_recut(db, [rid]) == []  # nothing moved away from its line
