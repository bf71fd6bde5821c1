"""GET /api/v1/me/todo per role, with due dates from the compliance rules and workflows."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.officials.queries import municipal_chief
from service.problems.models import Problem
from service.rivers.models import River
from service.timeutil import today_local
from service.todo.items import patrols_owed
from tests.patrols.conftest import gpx, river_points

Headers = Callable[[str], dict[str, str]]
BESIDE_DADU = (103.6262, 29.3396)


def _todo(client: TestClient, headers: Headers, user: str) -> dict[str, Any]:
    r = client.get("/api/v1/me/todo", headers=headers(user))
    assert r.status_code == 200, r.text
    return dict(r.json())


def _upload_patrol(client: TestClient, headers: Headers, db: Session, start: datetime) -> None:
    track = river_points(db, "岷江", 0.30, 0.32, start=start, seed=7)  # ~2 km, ~25 min
    r = client.post(
        "/api/v1/patrols",
        files={"file": ("t.gpx", gpx([track]), "text/xml")},
        headers=headers("chief"),
    )
    assert r.status_code == 201 and r.json()["valid"], r.text


def _minjiang_chief(db: Session) -> int:
    river = db.scalar(select(River.id).where(River.name == "岷江"))
    assert river is not None
    chief = municipal_chief(db, river, today_local())
    assert chief is not None
    return chief.id


def test_chief_with_one_patrol_this_year_sees_the_patrols_still_owed(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    today = today_local()
    _upload_patrol(client, auth_headers, db, datetime.now(UTC) - timedelta(hours=3))
    body = _todo(client, auth_headers, "chief")
    assert body["role"] == "chief"
    patrols = [i for i in body["items"] if i["kind"].startswith("patrol")]
    # 3 a year, 1 done: 2 still owed by the last day of the year; the current half-year's
    # one is done.
    assert [(i["kind"], i["due_date"]) for i in patrols] == [("patrol_year", f"{today.year}-12-31")]
    assert "还需巡河 2 次" in patrols[0]["title"] and patrols[0]["overdue"] is False
    assert set(patrols[0]) >= {"kind", "title", "due_date", "link"}


def test_patrols_owed_per_half_year_hand_checked(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    """One patrol on 2026-03-10 (first half); seen on 2026-11-29: the second half's one is
    owed by 2026-12-31, and 2 of the 3 a year by the same day."""
    _upload_patrol(client, auth_headers, db, datetime(2026, 3, 10, 1, 0, tzinfo=UTC))
    items = patrols_owed(db, _minjiang_chief(db), date(2026, 11, 29))
    assert [(i["kind"], i["due_date"], i["overdue"]) for i in items] == [
        ("patrol_half", date(2026, 12, 31), False),
        ("patrol_year", date(2026, 12, 31), False),
    ]
    assert "下半年还需巡河 1 次" in items[0]["title"]
    assert "还需巡河 2 次" in items[1]["title"]
    # Seen in May the first half is covered: only the yearly 2 remain.
    items = patrols_owed(db, _minjiang_chief(db), date(2026, 5, 1))
    assert [(i["kind"], i["due_date"]) for i in items] == [("patrol_year", date(2026, 12, 31))]


def test_county_office_liaison_and_patrol_lists(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    today = today_local()
    made = client.post(
        "/api/v1/problems",
        json={
            "lon": BESIDE_DADU[0],
            "lat": BESIDE_DADU[1],
            "category": "garbage",
            "description": "垃圾",
            "observed_at": datetime.now(UTC).isoformat(),
        },
        headers=auth_headers("patrol"),
    )
    assert made.status_code == 201, made.text
    pid = made.json()["id"]
    due = today + timedelta(days=5)
    r = client.post(
        f"/api/v1/problems/{pid}/transitions",
        headers=auth_headers("office"),
        json={"action": "assign", "assignee_county": "511111", "due_date": due.isoformat()},
    )
    assert r.status_code == 200, r.text
    county = _todo(client, auth_headers, "county")["items"]
    assert {
        "kind": "problem_assigned",
        "due_date": due.isoformat(),
        "link": f"/#problem-{pid}",
    }.items() <= next(i for i in county if i["key"] == f"problem:{pid}:problem_assigned").items()
    patrol = _todo(client, auth_headers, "patrol")["items"]
    mine = next(i for i in patrol if i["key"] == f"problem:{pid}:problem_reported")
    assert "已交办" in mine["title"]
    # Past its due date it shows as overdue for the office (and for the county).
    problem = db.get(Problem, pid)
    assert problem is not None
    problem.due_date = today - timedelta(days=1)
    db.flush()
    office = _todo(client, auth_headers, "office")["items"]
    overdue = next(i for i in office if i["key"] == f"problem:{pid}:problem_overdue")
    assert overdue["overdue"] is True and overdue["due_date"] == problem.due_date.isoformat()
    # Rectified: the office and the responsible liaison unit (if any) re-check it.
    problem.due_date = today + timedelta(days=5)
    db.flush()
    for action, fields in (("start", {}), ("rectified", {"note": "已清理"})):
        r = client.post(
            f"/api/v1/problems/{pid}/transitions",
            headers=auth_headers("office"),
            json={"action": action, **fields},
        )
        assert r.status_code == 200, r.text
    office = _todo(client, auth_headers, "office")["items"]
    verify = next(i for i in office if i["key"] == f"problem:{pid}:problem_verify")
    assert verify["due_date"] == (today + timedelta(days=7)).isoformat()
    assert not any(
        i["key"] == f"problem:{pid}:problem_assigned"
        for i in _todo(client, auth_headers, "county")["items"]
    )


def test_liaison_organises_its_chiefs_patrols_and_neighbour_has_nothing(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    liaison = _todo(client, auth_headers, "liaison")["items"]
    organise = [i for i in liaison if i["kind"] == "patrol_organise"]
    chief = _minjiang_chief(db)
    assert any(i["key"] == f"organise:patrol:{chief}:{today_local().year}" for i in organise)
    assert all(i["title"].startswith("组织") for i in organise)
    assert _todo(client, auth_headers, "meishan")["items"] == []
    assert client.get("/api/v1/me/todo").status_code == 401
    user = db.scalar(select(UserAccount).where(UserAccount.username == "chief"))
    assert user is not None and user.official_id == chief


def test_chief_chairs_upcoming_meetings_and_approves_drafted_minutes(
    client: TestClient, auth_headers: Headers, db: Session
) -> None:
    today = today_local()
    chief = _minjiang_chief(db)
    unit = db.scalar(select(UserAccount.liaison_unit_id).where(UserAccount.username == "liaison"))
    ids = []
    for title, held_on in (
        ("岷江巡河现场会议（已开）", today - timedelta(days=2)),
        ("岷江流域专题会议（将开）", today + timedelta(days=10)),
    ):
        r = client.post(
            "/api/v1/meetings",
            headers=auth_headers("office"),
            json={
                "kind": "onsite",
                "title": title,
                "held_on": held_on.isoformat(),
                "chair_official_id": chief,
                "convener_unit_id": unit,
            },
        )
        assert r.status_code == 201, r.text
        ids.append(r.json()["id"])
    r = client.post(
        f"/api/v1/meetings/{ids[0]}/minutes",
        headers=auth_headers("office"),
        json={"body": "会议议定：一、……"},
    )
    assert r.status_code == 201, r.text
    items = {i["key"]: i for i in _todo(client, auth_headers, "chief")["items"]}
    upcoming = items[f"meeting:{ids[1]}"]
    assert upcoming["kind"] == "meeting_chair"
    assert upcoming["due_date"] == (today + timedelta(days=10)).isoformat()
    assert f"meeting:{ids[0]}" not in items  # held already: nothing to chair
    minutes = next(i for i in items.values() if i["kind"] == "minutes_approve")
    # No due date of its own: 7 days (minutes_approval_days) from the draft.
    assert minutes["due_date"] == (today + timedelta(days=7)).isoformat()
    assert minutes["link"] == f"/#meeting-{ids[0]}"
