"""River health (hand-computed RHI and classes), accountability records, inspections."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session

from service.governance.health.config import GUIDELINE_2020, compute
from tests.support import Headers, river_id

#: basin (80+90)/2 = 85; water (90+100+80)/3 = 90; biota 60; social (85+95)/2 = 90
#: RHI = 0.2*85 + 0.3*90 + 0.2*60 + 0.3*90 = 17 + 27 + 12 + 27 = 83 -> 健康
SCORES = {
    "shoreline_naturalness": 80,
    "illegal_shoreline_use": 90,
    "ecological_flow": 90,
    "water_quality": 100,
    "self_purification": 80,
    "fish_retention": 60,
    "public_satisfaction": 85,
    "flood_control": 95,
}


def test_rhi_is_the_weighted_sum_of_criteria() -> None:
    rhi, criteria = compute(GUIDELINE_2020, SCORES)
    assert criteria == {"basin": 85.0, "water": 90.0, "biota": 60.0, "social": 90.0}
    assert rhi == 83.0


@pytest.mark.parametrize(
    ("score", "cls"),
    [
        (100, "very_healthy"),
        (90, "very_healthy"),
        (89.99, "healthy"),
        (75, "healthy"),
        (74.99, "sub_healthy"),
        (60, "sub_healthy"),
        (59.99, "unhealthy"),
        (40, "unhealthy"),
        (39.99, "poor"),
        (0, "poor"),
    ],
)
def test_class_thresholds_follow_the_guideline(score: float, cls: str) -> None:
    assert GUIDELINE_2020.classify(score) == cls


def test_record_health_and_map_layer(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    rid = river_id(db, "岷江")
    body = {
        "river_id": rid,
        "year": 2025,
        "assessed_on": "2025-11-20",
        "scores": SCORES,
        "measured": {"water_quality": "Ⅱ类"},
    }
    assert (
        client.post(
            "/api/v1/health-assessments", json=body, headers=auth_headers("county")
        ).status_code
        == 403
    )
    created = client.post("/api/v1/health-assessments", json=body, headers=auth_headers("liaison"))
    assert created.status_code == 201, created.text
    got = created.json()
    assert got["score"] == 83.0 and got["health_class"] == "healthy"
    assert got["health_label"] == "健康"
    again = client.post("/api/v1/health-assessments", json=body, headers=auth_headers("office"))
    assert again.status_code == 409
    missing = {**body, "scores": {"water_quality": 90}}
    bad = client.post("/api/v1/health-assessments", json=missing, headers=auth_headers("office"))
    assert bad.status_code == 422 and "fish_retention" in bad.json()["detail"]
    out_of_range = {**body, "year": 2024, "scores": {**SCORES, "fish_retention": 120}}
    assert (
        client.post(
            "/api/v1/health-assessments", json=out_of_range, headers=auth_headers("office")
        ).status_code
        == 422
    )

    approve = f"/api/v1/health-assessments/{got['id']}/approve"
    assert client.post(approve, headers=auth_headers("liaison")).status_code == 403
    approved = client.post(approve, headers=auth_headers("chief"))  # 岷江's municipal chief
    assert approved.status_code == 200 and approved.json()["approved_by_official_id"]
    assert client.post(approve, headers=auth_headers("chief")).status_code == 409
    gone = client.delete(f"/api/v1/health-assessments/{got['id']}", headers=auth_headers("office"))
    assert gone.status_code == 409

    layer = client.get("/api/v1/health/map.geojson", params={"year": 2025})  # public
    assert layer.status_code == 200
    features = [f for f in layer.json()["features"] if f["properties"]["river_id"] == rid]
    assert len(features) == 1
    assert features[0]["properties"]["health_class"] == "healthy"
    assert features[0]["geometry"]["type"] in ("LineString", "MultiLineString")
    assert client.get("/api/v1/health/map.geojson", params={"year": 2019}).json()["features"] == []


def test_accountability_records_and_commendations(
    client: TestClient, auth_headers: Headers
) -> None:
    office = auth_headers("office")
    body = {
        "kind": "circular",
        "issued_on": "2025-06-10",
        "county_code": "511112",
        "reason": "问题整改滞后",
    }
    assert (
        client.post(
            "/api/v1/accountability", json=body, headers=auth_headers("liaison")
        ).status_code
        == 403
    )
    created = client.post("/api/v1/accountability", json=body, headers=office)
    assert created.status_code == 201, created.text
    assert re.fullmatch(r"乐总河长办发〔2025〕\d+号", created.json()["document_number"])
    assert created.json()["target_name"] == "五通桥区"
    two_targets = {**body, "liaison_unit_id": 1}
    assert (
        client.post("/api/v1/accountability", json=two_targets, headers=office).status_code == 422
    )
    no_county = {**body, "county_code": "510104"}
    assert client.post("/api/v1/accountability", json=no_county, headers=office).status_code == 422
    talk = client.post(
        "/api/v1/accountability",
        headers=office,
        json={
            "kind": "admonition",
            "issued_on": "2025-07-01",
            "county_code": "511112",
            "issued_by": "市总河长",
            "person": "某副区长",
            "reason": "约谈",
        },
    ).json()
    follow = client.post(
        f"/api/v1/accountability/{talk['id']}/follow-up",
        headers=office,
        json={"follow_up_on": "2025-09-01", "follow_up_note": "已整改"},
    )
    assert follow.status_code == 200 and follow.json()["follow_up_on"] == "2025-09-01"
    praise = client.post(
        "/api/v1/commendations",
        headers=office,
        json={
            "kind": "incentive",
            "awarded_on": "2025-12-20",
            "county_code": "511181",
            "reason": "考核排名靠前",
        },
    )
    assert praise.status_code == 201
    listed = client.get(
        "/api/v1/accountability",
        params={"year": 2025, "county": "511112"},
        headers=auth_headers("county"),
    ).json()
    assert {r["kind"] for r in listed} >= {"circular", "admonition"}


def test_inspection_findings_become_problems_assigned_to_the_county(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    # A point beside 大渡河 in 沙湾区 (the problems issue's own example area).
    finding = {
        "lon": 103.5497,
        "lat": 29.4136,
        "category": "sand_mining",
        "description": "河道内堆砂",
        "due_date": "2026-12-31",
    }
    body = {
        "inspected_on": "2026-03-10",
        "title": "2026年一季度督查",
        "county_code": "511111",
        "findings": [finding],
    }
    created = client.post("/api/v1/inspections", json=body, headers=auth_headers("office"))
    assert created.status_code == 201, created.text
    f = created.json()["findings"][0]
    assert f["handed_to_county"] == "511111" and f["problem_state"] == "assigned"
    problem = client.get(f"/api/v1/problems/{f['problem_id']}", headers=auth_headers("office"))
    assert problem.status_code == 200
    assert problem.json()["assignee_county"] == "511111"
    # A finding in another county than the one inspected: refused, nothing written.
    wrong = {**body, "county_code": "511102"}
    bad = client.post("/api/v1/inspections", json=wrong, headers=auth_headers("office"))
    assert bad.status_code == 422 and "511111" in bad.json()["detail"]
    # The liaison unit inspects only its own river.
    liaison = {**body, "river_id": river_id(db, "大渡河")}
    assert (
        client.post(
            "/api/v1/inspections", json=liaison, headers=auth_headers("liaison")
        ).status_code
        == 403
    )


def test_segment_assessment_survives_a_recut(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    from sqlalchemy import select

    from service.domains import compose
    from service.governance.health.models import HealthAssessment
    from service.rivers.geography import recut_segments
    from service.rivers.models import Segment

    rid = river_id(db, "青衣江")
    segment = db.scalars(
        select(Segment).where(Segment.river_id == rid).order_by(Segment.ord)
    ).first()
    assert segment is not None
    body = {
        "river_id": rid,
        "segment_id": segment.id,
        "year": 2025,
        "assessed_on": "2025-11-20",
        "scores": SCORES,
    }
    created = client.post("/api/v1/health-assessments", json=body, headers=auth_headers("office"))
    assert created.status_code == 201 and created.json()["county_code"] == segment.county_code
    recut_segments(db, [rid], compose().run_recut_hooks)
    db.expire_all()
    row = db.get(HealthAssessment, created.json()["id"])
    assert row is not None and row.segment_id is not None and row.segment_id != segment.id
    new_segment = db.get(Segment, row.segment_id)
    assert new_segment is not None and new_segment.county_code == segment.county_code
