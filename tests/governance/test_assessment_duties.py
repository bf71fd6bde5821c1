"""The annual assessment ranks the 11 counties with evidence; the duties list the seed's."""

from __future__ import annotations

import io
from datetime import UTC, date, datetime
from typing import Any

from fastapi.testclient import TestClient
from openpyxl import load_workbook
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.governance.common import DEMO_OFFICE, Actor
from service.governance.lists.schemas import AnnualListsIn
from service.governance.lists.service import save_lists, step_lists
from service.problems.schemas import ProblemIn
from service.problems.service import report_problem
from service.workflow import SystemActor
from tests.support import LESHAN_COUNTIES, Headers, river_id


def _items(county: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {i["evidence"]["code"]: i for i in county["items"]}


def test_assessment_2025_ranks_counties_with_evidence(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    office = auth_headers("office")
    # Deductions: 2 circulars (2 each) + 1 reminder (1) against 五通桥区 = -5.
    for kind in ("circular", "circular", "reminder"):
        client.post(
            "/api/v1/accountability",
            headers=office,
            json={
                "kind": kind,
                "issued_on": "2025-05-01",
                "county_code": "511112",
                "reason": "滞后",
            },
        )
    client.post(
        "/api/v1/commendations",
        headers=office,
        json={
            "kind": "commendation",
            "awarded_on": "2025-12-01",
            "county_code": "511181",
            "reason": "成效明显",
        },
    )
    assert (
        client.put(
            "/api/v1/assessments/2025/manual-scores/511102/plans_and_lists",
            json={"points": 8, "note": "资料齐全"},
            headers=office,
        ).status_code
        == 200
    )
    assert (
        client.put(
            "/api/v1/assessments/2025/manual-scores/511102/plans_and_lists",
            json={"points": 11},
            headers=office,
        ).status_code
        == 422
    )  # max 10
    assert (
        client.put(
            "/api/v1/assessments/2025/manual-scores/511102/deductions",
            json={"points": 1},
            headers=office,
        ).status_code
        == 422
    )  # not manual
    # Two decided items for 沙湾区 due in 2025: one done on time, one never done -> 15 * 1/2.
    meeting = client.post(
        "/api/v1/meetings",
        headers=office,
        json={
            "kind": "general",
            "title": "2025年总河长会议",
            "held_on": "2025-02-10",
            "chair_official_id": 1,
        },
    ).json()
    done = client.post(
        f"/api/v1/meetings/{meeting['id']}/action-items",
        headers=office,
        json={
            "title": "甲",
            "assignee_county": "511111",
            "due_date": "2025-06-30",
            "on": "2025-02-11",
        },
    ).json()
    late = client.post(
        f"/api/v1/meetings/{meeting['id']}/action-items",
        headers=office,
        json={
            "title": "乙",
            "assignee_county": "511111",
            "due_date": "2025-05-01",
            "on": "2025-02-11",
        },
    ).json()
    county = auth_headers("county")  # 沙湾区's account
    url = f"/api/v1/action-items/{done['id']}/transitions"
    client.post(url, json={"action": "supervise", "on": "2025-02-12"}, headers=office)
    assert (
        client.post(
            url, json={"action": "done", "note": "完成", "on": "2025-06-20"}, headers=county
        ).status_code
        == 200
    )
    # One problem beside 大渡河 in 沙湾区, reported 2025-03-01, never rectified: overdue.
    problem = report_problem(
        db,
        ProblemIn(
            lon=103.5497,
            lat=29.4136,
            datum="wgs84",
            category="garbage",
            description="垃圾",
            observed_at=datetime(2025, 3, 1, 2, tzinfo=UTC),
            covert=False,
        ),
        SystemActor(),
        now=datetime(2025, 3, 1, 2, tzinfo=UTC),
    )
    db.flush()

    response = client.get("/api/v1/assessments/2025", headers=auth_headers("county"))
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"year", "counties"} and body["year"] == 2025
    counties = body["counties"]
    assert {c["county_code"] for c in counties} == LESHAN_COUNTIES
    scores = [c["score"] for c in counties]
    assert scores == sorted(scores, reverse=True)
    for i, c in enumerate(counties):
        assert set(c) == {"county_code", "county_name", "score", "rank", "items"}
        assert c["rank"] == (
            counties[i - 1]["rank"] if i and scores[i - 1] == c["score"] else i + 1
        )
        assert abs(sum(it["points"] for it in c["items"]) - c["score"]) < 0.01
        for it in c["items"]:
            assert set(it) == {"item", "points", "max", "evidence"}
            assert it["evidence"]["rule"]
    by = {c["county_code"]: _items(c) for c in counties}
    wutong = by["511112"]["deductions"]
    assert wutong["points"] == -5
    assert wutong["evidence"]["counts"] == {"reminder": 1, "circular": 2, "admonition": 0}
    assert len(wutong["evidence"]["accountability_record_ids"]["circular"]) == 2
    assert by["511181"]["commendations"]["points"] == 2
    assert by["511102"]["plans_and_lists"]["points"] == 8
    shawan = by["511111"]
    assert shawan["action_items_done"]["points"] == 7.5
    assert shawan["action_items_done"]["evidence"]["action_item_ids_on_time"] == [done["id"]]
    assert shawan["action_items_done"]["evidence"]["action_item_ids_late_or_open"] == [late["id"]]
    assert shawan["overdue_problems"]["points"] == 13
    assert shawan["overdue_problems"]["evidence"]["problem_ids"] == [problem.id]
    assert shawan["rectification_on_time"]["points"] == 0
    assert shawan["rectification_on_time"]["evidence"]["judged"] == 1
    # 沙湾区 has county, township and village chiefs (大渡河) and no patrols in the test
    # database: 0 of 20, each judged by their level's rule (issue 18).
    patrols = shawan["patrol_compliance"]
    assert patrols["points"] == 0 and patrols["evidence"]["chiefs_judged"] >= 3
    judged = patrols["evidence"]["chiefs"]
    assert {c["level"] for c in judged} == {"county", "township", "village"}
    assert all(p["owed"] for ch in judged for p in ch["periods"])  # 2025 has ended

    xlsx = client.get("/api/v1/assessments/2025.xlsx", headers=office)
    assert xlsx.status_code == 200
    wb = load_workbook(io.BytesIO(xlsx.content))
    assert wb.sheetnames == ["考核排名", "计分依据"]
    assert wb["考核排名"]["B3"].value == counties[0]["county_name"]
    assert client.get("/api/v1/assessments/2025").status_code == 401
    assert client.get("/api/v1/assessments/2025", headers=auth_headers("patrol")).status_code == 403


def _codes(rows: list[dict[str, Any]]) -> dict[str, list[dict[str, Any]]]:
    out: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        out.setdefault(r["code"], []).append(r)
    return out


def test_duties_2025_list_the_seeds_duties_with_status(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    office = auth_headers("office")
    before = _codes(client.get("/api/v1/duties", params={"year": 2025}, headers=office).json())
    assert {
        "general_chief_patrol",
        "general_chief_meeting",
        "municipal_chief_patrols",
        "annual_assessment",
        "annual_lists_issued",
        "river_plan_in_force",
        "minutes_issued",
        "action_items_followed_up",
        "office_inspection",
        "health_assessment",
        "admonition_follow_up",
    } <= set(before)
    # No patrols, meetings or lists in the test database, and 2025 is over: missed.
    assert before["general_chief_patrol"][0]["status"] == "missed"
    assert len(before["municipal_chief_patrols"]) == 3
    assert {r["subject"]["name"] for r in before["annual_lists_issued"]} == {
        "岷江",
        "大渡河",
        "青衣江",
    }
    assert before["general_chief_meeting"][0]["status"] == "missed"
    assert before["annual_assessment"][0]["status"] == "missed"

    meeting = client.post(
        "/api/v1/meetings",
        headers=office,
        json={
            "kind": "general",
            "title": "2025年总河长会议",
            "held_on": "2025-02-10",
            "chair_official_id": 1,
        },
    ).json()
    rid = river_id(db, "岷江")
    lists = f"/api/v1/rivers/{rid}/annual-lists/2025"
    # 2025's history, back-dated as the demo writes it: the API dates a step no earlier than
    # the draft and never in the future (issue 14), so it cannot write last year's steps.
    chief = db.scalar(select(UserAccount).where(UserAccount.username == "chief"))
    assert chief is not None
    made = save_lists(
        db,
        rid,
        2025,
        AnnualListsIn.model_validate({"targets": [{"content": "水质稳定"}]}),
        DEMO_OFFICE,
        on=date(2025, 2, 20),
    )
    step_lists(db, made, "approve", Actor.of(chief), date(2025, 3, 1), backdate=True)
    step_lists(db, made, "issue", DEMO_OFFICE, date(2025, 3, 5), backdate=True)
    db.flush()
    assert client.get(lists, headers=office).json()["state"] == "issued"
    issued = client.post(
        "/api/v1/assessments/2025/issue", headers=office, json={"issued_on": "2026-02-20"}
    )
    assert issued.status_code == 200, issued.text
    assert (
        client.post(
            "/api/v1/assessments/2025/issue", headers=office, json={"issued_on": "2026-02-21"}
        ).status_code
        == 409
    )

    after = _codes(
        client.get("/api/v1/duties", params={"year": 2025}, headers=auth_headers("county")).json()
    )
    meeting_duty = after["general_chief_meeting"][0]
    assert meeting_duty["status"] == "met" and meeting_duty["evidence"]["meeting_ids"] == [
        meeting["id"]
    ]
    by_river = {r["subject"]["name"]: r for r in after["annual_lists_issued"]}
    assert by_river["岷江"]["status"] == "met"
    assert by_river["岷江"]["evidence"]["document_number"].startswith("乐总河长办发〔2025〕")
    assert by_river["大渡河"]["status"] == "missed"
    assert after["annual_assessment"][0]["status"] == "met"
    assert after["minutes_issued"][0]["status"] == "missed"  # the meeting has no minutes
    assert (
        client.get(
            "/api/v1/duties", params={"year": 2025}, headers=auth_headers("patrol")
        ).status_code
        == 403
    )
    assert client.get("/api/v1/duties", headers=office).status_code == 422
