"""Minutes from draft to issued and a decided item from assignment to reported, in order."""

from __future__ import annotations

import re
from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.auth.service import create_user
from service.timeutil import today_local
from tests.support import Headers, river_id


def _chief_id(db: Session) -> int:
    user = db.scalar(select(UserAccount).where(UserAccount.username == "chief"))
    assert user is not None and user.official_id is not None
    return user.official_id


def _onsite_meeting(client: TestClient, db: Session, auth_headers: Headers) -> dict:
    body = {
        "kind": "onsite",
        "title": "岷江巡河现场会议",
        "held_on": "2026-03-05",
        "place": "五通桥区",
        "chair_official_id": _chief_id(db),
        "river_ids": [river_id(db, "岷江")],
        "attendees": ["市水务局", "五通桥区人民政府"],
    }
    response = client.post("/api/v1/meetings", json=body, headers=auth_headers("liaison"))
    assert response.status_code == 201, response.text
    return response.json()


def test_minutes_go_drafted_approved_issued_and_refuse_other_orders(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    meeting = _onsite_meeting(client, db, auth_headers)
    assert meeting["convener"] == "市水务局"  # the liaison unit organises onsite meetings (§8)
    url = f"/api/v1/meetings/{meeting['id']}/minutes"
    # Only the organiser (or the office) drafts; the county may not.
    assert client.post(url, json={"body": "x"}, headers=auth_headers("county")).status_code == 403
    drafted = client.post(
        url, json={"body": "会议议定：……", "on": "2026-03-06"}, headers=auth_headers("liaison")
    )
    assert drafted.status_code == 201, drafted.text
    assert drafted.json()["state"] == "drafted"

    steps = url + "/transitions"
    revised = client.post(
        steps,
        json={"action": "revise", "body": "会议议定：一、……"},
        headers=auth_headers("liaison"),
    )
    assert revised.status_code == 200 and revised.json()["body"] == "会议议定：一、……"
    early = client.post(steps, json={"action": "issue"}, headers=auth_headers("office"))
    assert early.status_code == 409
    assert early.json()["possible_actions"] == ["revise", "approve"]
    wrong_role = client.post(steps, json={"action": "approve"}, headers=auth_headers("liaison"))
    assert wrong_role.status_code == 403

    # A chief who did not chair may not approve.
    other = create_user(db, "dadu-chief", "riverchief-demo", "chief", official_id=_other_chief(db))
    from service.auth.tokens import issue_token

    other_headers = {"Authorization": f"Bearer {issue_token(other.id, other.token_version)}"}
    assert client.post(steps, json={"action": "approve"}, headers=other_headers).status_code == 403

    approved = client.post(
        steps, json={"action": "approve", "on": "2026-03-08"}, headers=auth_headers("chief")
    )
    assert approved.status_code == 200, approved.text
    assert approved.json()["approved_by_official_id"] == _chief_id(db)
    issued = client.post(
        steps, json={"action": "issue", "on": "2026-03-09"}, headers=auth_headers("office")
    )
    assert issued.status_code == 200
    minutes = issued.json()
    assert minutes["state"] == "issued"
    assert re.fullmatch(r"乐总河长办发〔2026〕\d+号", minutes["document_number"])
    assert [(e["action"], e["from_state"], e["to_state"]) for e in minutes["history"]] == [
        ("draft", None, "drafted"),
        ("revise", "drafted", "drafted"),
        ("approve", "drafted", "approved"),
        ("issue", "approved", "issued"),
    ]
    assert (
        client.post(steps, json={"action": "approve"}, headers=auth_headers("chief")).status_code
        == 409
    )
    got = client.get(f"/api/v1/meetings/{meeting['id']}", headers=auth_headers("county")).json()
    assert got["minutes_state"] == "issued" and got["document_number"] == minutes["document_number"]


def test_document_numbers_count_up_within_a_year(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    numbers = []
    for _ in range(2):
        meeting = _onsite_meeting(client, db, auth_headers)
        url = f"/api/v1/meetings/{meeting['id']}/minutes"
        client.post(url, json={"body": "纪要"}, headers=auth_headers("liaison"))
        client.post(url + "/transitions", json={"action": "approve"}, headers=auth_headers("chief"))
        done = client.post(
            url + "/transitions", json={"action": "issue"}, headers=auth_headers("office")
        )
        numbers.append(int(re.search(r"〕(\d+)号", done.json()["document_number"]).group(1)))
    assert numbers[1] == numbers[0] + 1


def _other_chief(db: Session) -> int:
    from service.officials.queries import municipal_chief

    chief = municipal_chief(db, river_id(db, "大渡河"), today_local())
    assert chief is not None
    return chief.id


def test_decided_item_from_assignment_to_reported(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    meeting = _onsite_meeting(client, db, auth_headers)
    due = (today_local() + timedelta(days=30)).isoformat()
    created = client.post(
        f"/api/v1/meetings/{meeting['id']}/action-items",
        json={
            "title": "清理沙湾段违规堆砂",
            "assignee_county": "511111",
            "due_date": due,
            "river_id": river_id(db, "岷江"),
        },
        headers=auth_headers("liaison"),
    )
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["state"] == "assigned" and item["assignee_name"] == "沙湾区"
    assert item["report_to_official_id"] == _chief_id(db)
    url = f"/api/v1/action-items/{item['id']}/transitions"

    def step(action: str, who: str, note: str | None = "进展") -> int:
        return client.post(
            url, json={"action": action, "note": note}, headers=auth_headers(who)
        ).status_code

    assert step("verify", "liaison") == 409  # not done yet: out of order whoever asks
    assert step("report", "office") == 409
    assert step("supervise", "county") == 403  # the assignee does not supervise itself
    assert step("supervise", "liaison") == 200
    assert step("progress", "county") == 200
    assert step("progress", "county") == 200  # progress updates repeat
    assert step("done", "county", note=None) == 422  # done needs a note (what was done)
    assert step("done", "county", note="已清理完毕") == 200
    assert step("verify", "county") == 403
    assert step("reject", "liaison", note="现场仍有堆砂") == 200
    assert step("done", "county", note="复清完毕") == 200
    assert step("verify", "liaison") == 200
    assert step("report", "liaison") == 200
    final = client.get(f"/api/v1/action-items/{item['id']}", headers=auth_headers("office")).json()
    assert final["state"] == "reported" and final["done_on"] is not None
    assert [e["action"] for e in final["history"]] == [
        "assign",
        "supervise",
        "progress",
        "progress",
        "done",
        "reject",
        "done",
        "verify",
        "report",
    ]


def test_overdue_items_are_flagged(client: TestClient, db: Session, auth_headers: Headers) -> None:
    meeting = _onsite_meeting(client, db, auth_headers)
    body = {
        "title": "逾期事项",
        "assignee_county": "511102",
        "due_date": "2026-03-20",
        "on": "2026-03-06",
    }
    item = client.post(
        f"/api/v1/meetings/{meeting['id']}/action-items", json=body, headers=auth_headers("liaison")
    ).json()
    overdue_ids = [
        i["id"]
        for i in client.get(
            "/api/v1/action-items", params={"overdue": "true"}, headers=auth_headers("county")
        ).json()
    ]
    assert (item["id"] in overdue_ids) == (today_local().isoformat() > "2026-03-20")
    assert item["overdue"] == (today_local().isoformat() > "2026-03-20")


def test_general_meetings_are_the_offices(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    body = {
        "kind": "general",
        "title": "2026年市总河长会议",
        "held_on": "2026-02-01",
        "chair_official_id": _chief_id(db),
    }
    assert (
        client.post("/api/v1/meetings", json=body, headers=auth_headers("liaison")).status_code
        == 403
    )
    assert (
        client.post("/api/v1/meetings", json=body, headers=auth_headers("office")).status_code
        == 201
    )
    joint_fields = {**body, "convener_code": "511400"}
    bad = client.post("/api/v1/meetings", json=joint_fields, headers=auth_headers("office"))
    assert bad.status_code == 422
    assert client.get("/api/v1/meetings").status_code == 401


def test_joint_meeting_convener_is_a_party_of_its_agreement(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    from datetime import date

    from service.governance.agreements.service import create_agreement

    agreement = create_agreement(
        db,
        title="岷江跨界联防联控合作协议（测试）",
        signed_on=date(2024, 6, 1),
        rotation=["511100", "511400"],
        river_ids=[river_id(db, "岷江")],
    )
    body = {
        "kind": "joint",
        "title": "联席会议",
        "held_on": "2025-06-01",
        "chair_official_id": _chief_id(db),
        "agreement_id": agreement.id,
        "convener_code": "511500",
    }
    office = auth_headers("office")
    wrong = client.post("/api/v1/meetings", json=body, headers=office)
    assert wrong.status_code == 422 and "宜宾" in wrong.json()["detail"]
    ok = client.post("/api/v1/meetings", json={**body, "convener_code": "511400"}, headers=office)
    assert ok.status_code == 201, ok.text
    listed = client.get(
        "/api/v1/meetings", params={"agreement_id": agreement.id}, headers=office
    ).json()
    assert [m["id"] for m in listed] == [ok.json()["id"]]


def test_items_decided_on_a_patrol(client: TestClient, db: Session, auth_headers: Headers) -> None:
    from datetime import UTC, datetime

    from tests.patrols.conftest import gpx, river_points

    points = river_points(db, "岷江", 0.3, 0.4, start=datetime(2026, 3, 2, 1, tzinfo=UTC))
    patrol = client.post(
        "/api/v1/patrols",
        files={"file": ("p.gpx", gpx([points]), "application/octet-stream")},
        headers=auth_headers("chief"),
    )
    assert patrol.status_code == 201, patrol.text
    body = {
        "patrol_id": patrol.json()["id"],
        "title": "清理岸边垃圾",
        "assignee_county": "511102",
        "due_date": "2026-12-31",
        "on": "2026-03-03",
    }
    created = client.post("/api/v1/action-items", json=body, headers=auth_headers("liaison"))
    assert created.status_code == 201, created.text
    item = created.json()
    assert item["patrol_id"] == patrol.json()["id"] and item["meeting_id"] is None
    assert item["report_to_official_id"] == _chief_id(db)
    assert item["supervisor_unit_id"] is not None  # the chief's liaison unit supervises
    early = {**body, "on": "2026-03-01"}
    assert (
        client.post("/api/v1/action-items", json=early, headers=auth_headers("office")).status_code
        == 422
    )
    assert (
        client.post("/api/v1/action-items", json=body, headers=auth_headers("county")).status_code
        == 403
    )
    missing = {**body, "patrol_id": 987654}
    assert (
        client.post(
            "/api/v1/action-items", json=missing, headers=auth_headers("office")
        ).status_code
        == 404
    )


def test_chair_returns_minutes_and_issue_cannot_predate_approval(
    client: TestClient, db: Session, auth_headers: Headers
) -> None:
    meeting = _onsite_meeting(client, db, auth_headers)
    url = f"/api/v1/meetings/{meeting['id']}/minutes"
    client.post(url, json={"body": "初稿", "on": "2026-03-06"}, headers=auth_headers("liaison"))
    steps = url + "/transitions"
    chief = auth_headers("chief")
    client.post(steps, json={"action": "approve", "on": "2026-03-08"}, headers=chief)
    assert client.post(steps, json={"action": "return"}, headers=chief).status_code == 422
    back = client.post(steps, json={"action": "return", "note": "请补充议定事项"}, headers=chief)
    assert back.status_code == 200
    assert back.json()["state"] == "drafted" and back.json()["approved_by_official_id"] is None
    client.post(steps, json={"action": "approve", "on": "2026-03-10"}, headers=chief)
    early = client.post(
        steps, json={"action": "issue", "on": "2026-03-09"}, headers=auth_headers("office")
    )
    assert early.status_code == 422 and "2026-03-10" in early.json()["detail"]
    assert [e["action"] for e in client.get(url, headers=chief).json()["history"]] == [
        "draft",
        "approve",
        "return",
        "approve",
    ]
