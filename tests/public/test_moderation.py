"""Moderation (accept → routed problem, merge, reject), public status following the problem,
privacy of every public endpoint, and the public statistics (hand-checked counts)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.public.models import PublicReport
from service.rivers.models import River
from service.workflow import WorkflowEvent
from tests.public.conftest import Submit, png

Headers = Callable[[str], dict[str, str]]
MODERATION = "/api/v1/public/moderation/reports"


def _track(client: TestClient, code: str) -> dict[str, Any]:
    r = client.get(f"/api/v1/public/reports/{code}")
    assert r.status_code == 200, r.text
    return dict(r.json())


def _report_id(db: Session, code: str) -> int:
    rid = db.scalar(select(PublicReport.id).where(PublicReport.code == code))
    assert rid is not None
    return rid


def _act(client: TestClient, headers: Headers, pid: int, action: str, **fields: Any) -> None:
    r = client.post(
        f"/api/v1/problems/{pid}/transitions",
        json={"action": action, **fields},
        headers=headers("office"),
    )
    assert r.status_code == 200, r.text


def test_accept_makes_a_routed_problem_and_the_public_status_follows_it(
    client: TestClient, submit: Submit, db: Session, auth_headers: Headers
) -> None:
    code = submit(photos=[png((5, 6, 7))], contact="13900139000").json()["code"]
    rid = _report_id(db, code)
    queue = client.get(MODERATION, headers=auth_headers("office"))
    assert queue.status_code == 200 and rid in [i["id"] for i in queue.json()]
    item = next(i for i in queue.json() if i["id"] == rid)
    assert item["contact"] == "13900139000" and len(item["photo_ids"]) == 1
    r = client.post(
        f"{MODERATION}/{rid}/accept", json={"note": "属实"}, headers=auth_headers("office")
    )
    assert r.status_code == 200, r.text
    pid = r.json()["problem_id"]
    problem = client.get(f"/api/v1/problems/{pid}", headers=auth_headers("office")).json()
    dadu = db.scalar(select(River.id).where(River.name == "大渡河"))
    # Routed by geography: 56 m from 大渡河, in 沙湾区; the photo went with it.
    assert problem["river_id"] == dadu and problem["county_code"] == "511111"
    assert problem["state"] == "reported" and code in problem["description"]
    photos = client.get(f"/api/v1/problems/{pid}/photos", headers=auth_headers("office"))
    assert len(photos.json()) == 1
    first = db.scalar(
        select(WorkflowEvent).where(
            WorkflowEvent.entity_type == "problem",
            WorkflowEvent.entity_id == pid,
            WorkflowEvent.seq == 1,
        )
    )
    assert first is not None and first.data["public_report_code"] == code
    assert _track(client, code)["status_label"] == "受理"
    # Moderating twice is a conflict, whatever the action.
    again = client.post(
        f"{MODERATION}/{rid}/reject", json={"reason": "x"}, headers=auth_headers("office")
    )
    assert again.status_code == 409
    steps = [
        ("assign", {"assignee_county": "511111"}, "已交办"),
        ("start", {}, "整改中"),
        ("rectified", {"note": "已清理"}, "整改中"),
        ("verify", {}, "整改中"),
        ("close", {}, "已办结"),
    ]
    for action, fields, label in steps:
        _act(client, auth_headers, pid, action, **fields)
        assert _track(client, code)["status_label"] == label, action


def test_merge_follows_the_existing_problem_and_reject_needs_a_public_reason(
    client: TestClient, submit: Submit, db: Session, auth_headers: Headers
) -> None:
    a = submit().json()["code"]
    b = submit(category="sewage_outfall").json()["code"]
    made = client.post(
        f"{MODERATION}/{_report_id(db, a)}/accept", headers=auth_headers("office")
    ).json()
    pid = made["problem_id"]
    rid_b = _report_id(db, b)
    # The second report lies at the same place: the queue names the open problem.
    item = client.get(f"{MODERATION}/{rid_b}", headers=auth_headers("office")).json()
    assert pid in [p["id"] for p in item["duplicates"]["problems"]]
    assert item["reports_from_same_source"] >= 2
    r = client.post(
        f"{MODERATION}/{rid_b}/merge", json={"problem_id": 999999}, headers=auth_headers("office")
    )
    assert r.status_code == 422
    r = client.post(
        f"{MODERATION}/{rid_b}/merge", json={"problem_id": pid}, headers=auth_headers("office")
    )
    assert r.status_code == 200 and r.json()["problem_id"] == pid
    _act(client, auth_headers, pid, "assign", assignee_county="511111")
    assert _track(client, b)["status_label"] == "已交办"

    c = submit(category="other").json()["code"]
    rid_c = _report_id(db, c)
    r = client.post(
        f"{MODERATION}/{rid_c}/reject", json={"reason": "  "}, headers=auth_headers("office")
    )
    assert r.status_code == 422
    assert _track(client, c)["status"] == "pending"
    r = client.post(
        f"{MODERATION}/{rid_c}/reject",
        json={"reason": "经核实为正常施工"},
        headers=auth_headers("office"),
    )
    assert r.status_code == 200
    t = _track(client, c)
    assert t["status_label"] == "未采纳" and t["reason"] == "经核实为正常施工"
    r = client.post(
        f"{MODERATION}/{rid_c}/replies",
        json={"body": "感谢您的监督"},
        headers=auth_headers("office"),
    )
    assert r.status_code == 201
    assert [x["body"] for x in _track(client, c)["replies"]] == ["感谢您的监督"]


def test_only_the_office_moderates(
    client: TestClient, submit: Submit, db: Session, auth_headers: Headers
) -> None:
    rid = _report_id(db, submit().json()["code"])
    assert client.get(MODERATION).status_code == 401
    assert client.get(MODERATION, headers=auth_headers("chief")).status_code == 403
    r = client.post(f"{MODERATION}/{rid}/accept", headers=auth_headers("county"))
    assert r.status_code == 403


def test_nothing_private_on_any_public_endpoint(
    client: TestClient, submit: Submit, db: Session, auth_headers: Headers
) -> None:
    phone, email = "13712345678", "whistle@example.org"
    code1 = submit(contact=phone, photos=[png((9, 9, 9))]).json()["code"]
    code2 = submit(contact=email, description="排污口在夜里排放").json()["code"]
    row = db.scalar(select(PublicReport).where(PublicReport.code == code1))
    assert row is not None
    secrets = [phone, email, row.source_hash, "testclient", "source", "contact"]
    pid = client.post(f"{MODERATION}/{row.id}/accept", headers=auth_headers("office")).json()[
        "problem_id"
    ]
    public_urls = [
        f"/api/v1/public/reports/{code1}",
        f"/api/v1/public/reports/{code2}",
        "/api/v1/public/stats",
        "/api/v1/public/challenge",
        "/api/v1/problems.geojson",
    ]
    # A neighbouring city's account gets the public view of problems.
    neighbour = [f"/api/v1/problems/{pid}", "/api/v1/problems"]
    for url in public_urls + neighbour:
        r = client.get(url, headers=auth_headers("meishan") if url in neighbour else {})
        assert r.status_code == 200, (url, r.text)
        text = r.text
        for secret in secrets:
            assert secret not in text, (url, secret)
    # The submitter's own response carries no more than the tracking view.
    assert set(_track(client, code2)) == {
        "code",
        "status",
        "status_label",
        "reason",
        "category",
        "category_label",
        "county_name",
        "submitted_on",
        "replies",
    }


def test_public_statistics_hand_checked(
    client: TestClient, submit: Submit, db: Session, auth_headers: Headers
) -> None:
    codes = [submit(category=c).json()["code"] for c in ("garbage", "other", "water_quality")]
    ids = [_report_id(db, c) for c in codes]
    # Report 0 was sent 4 days ago and is closed now: 4.0 days to close.
    r0 = db.get(PublicReport, ids[0])
    assert r0 is not None
    r0.submitted_at = r0.submitted_at - timedelta(days=4)
    db.flush()
    pid = client.post(f"{MODERATION}/{ids[0]}/accept", headers=auth_headers("office")).json()[
        "problem_id"
    ]
    for action, fields in (
        ("assign", {"assignee_county": "511111"}),
        ("start", {}),
        ("rectified", {"note": "ok"}),
        ("verify", {}),
        ("close", {}),
    ):
        _act(client, auth_headers, pid, action, **fields)
    client.post(
        f"{MODERATION}/{ids[1]}/reject", json={"reason": "重复"}, headers=auth_headers("office")
    )
    s = client.get("/api/v1/public/stats").json()
    assert (s["received"], s["accepted"], s["rejected"], s["pending"], s["closed"]) == (
        3,
        1,
        1,
        1,
        1,
    )
    assert abs(s["median_days"] - 4.0) < 0.05
    assert [(c["code"], c["received"], c["closed"]) for c in s["counties"]] == [("511111", 3, 1)]
    assert client.get("/api/v1/public/stats", params={"from": "2030-01-01"}).json()["received"] == 0
    page = client.get("/report")
    assert page.status_code == 200 and "text/html" in page.headers["content-type"]


def test_a_report_whose_problem_is_marked_duplicate_follows_the_original(
    client: TestClient, submit: Submit, db: Session, auth_headers: Headers
) -> None:
    first = submit().json()["code"]
    second = submit(category="other").json()["code"]
    original = client.post(
        f"{MODERATION}/{_report_id(db, first)}/accept", headers=auth_headers("office")
    ).json()["problem_id"]
    copy = client.post(
        f"{MODERATION}/{_report_id(db, second)}/accept", headers=auth_headers("office")
    ).json()["problem_id"]
    _act(client, auth_headers, copy, "mark_duplicate", duplicate_of=original)
    _act(client, auth_headers, original, "assign", assignee_county="511111")
    assert _track(client, second)["status_label"] == "已交办"
    for action, fields in (
        ("start", {}),
        ("rectified", {"note": "ok"}),
        ("verify", {}),
        ("close", {}),
    ):
        _act(client, auth_headers, original, action, **fields)
    assert _track(client, second)["status_label"] == "已办结"
    assert client.get("/api/v1/public/stats").json()["closed"] == 2
