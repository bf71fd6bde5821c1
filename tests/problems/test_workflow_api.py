"""The whole problem workflow over HTTP, as the issue's table has it (409 before 403)."""

from __future__ import annotations

from datetime import timedelta

from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.officials.models import LiaisonUnit
from service.timeutil import today_local
from tests.problems.conftest import Report


def _due(days: int = 20) -> str:
    return (today_local() + timedelta(days=days)).isoformat()


def test_full_cycle_with_rejection_and_reopening(report: Report, act: Report) -> None:
    pid = report().json()["id"]
    # verify straight from reported: impossible whoever asks (409), with what is allowed.
    r = act(pid, "verify")
    assert r.status_code == 409
    assert r.json()["allowed_actions"] == ["assign", "close_not_fixed", "mark_duplicate"]
    assert act(pid, "verify", as_="county").status_code == 409
    # assign is possible but not for a county user (403), listing what the county may do.
    r = act(pid, "assign", as_="county", assignee_county="511111", due_date=_due())
    assert r.status_code == 403 and r.json()["allowed_actions"] == []
    # The county may not start before it is assigned: state first, so 409.
    assert act(pid, "start", as_="county").status_code == 409

    r = act(pid, "assign", note="请沙湾区限期清理", assignee_county="511111", due_date=_due())
    assert r.status_code == 200, r.text
    body = r.json()
    assert (body["state"], body["assignee_county"], body["due_date"]) == (
        "assigned",
        "511111",
        _due(),
    )
    # 市水务局 (the demo liaison) neither answers for 大渡河 nor is assigned: it cannot see it.
    assert act(pid, "start", as_="liaison").status_code == 404
    r = act(pid, "start", as_="county")
    assert r.status_code == 200 and r.json()["state"] == "rectifying"
    assert act(pid, "rectified", as_="county").status_code == 422  # evidence note required
    assert act(pid, "rectified", as_="county", note="已清理完毕").json()["state"] == "rectified"
    assert act(pid, "verify", as_="county").status_code == 403
    assert act(pid, "reject", note="").status_code == 422
    r = act(pid, "reject", note="现场仍有残留垃圾")
    assert r.status_code == 200 and r.json()["state"] == "rectifying"
    assert act(pid, "rectified", as_="county", note="二次清理").json()["state"] == "rectified"
    assert act(pid, "close").status_code == 409  # must be verified first
    assert act(pid, "verify").json()["state"] == "verified"
    assert act(pid, "close", as_="county").status_code == 403
    r = act(pid, "close", note="销号")
    assert r.status_code == 200 and r.json()["state"] == "closed"
    assert r.json()["allowed_actions"] == ["reopen"]
    assert act(pid, "reopen", as_="county").status_code == 403
    r = act(pid, "reopen", note="群众再次反映")
    body = r.json()
    assert body["state"] == "reopened" and body["assignee_county"] is None
    assert body["due_date"] is None
    # Reassigned after reopening without a due date: the default clock starts again.
    body = act(pid, "assign", assignee_county="511111").json()
    assert body["state"] == "assigned" and body["due_date"] == _due(30)

    history = body["history"]
    assert [(h["seq"], h["action"], h["from_state"], h["to_state"]) for h in history] == [
        (1, "report", None, "reported"),
        (2, "assign", "reported", "assigned"),
        (3, "start", "assigned", "rectifying"),
        (4, "rectified", "rectifying", "rectified"),
        (5, "reject", "rectified", "rectifying"),
        (6, "rectified", "rectifying", "rectified"),
        (7, "verify", "rectified", "verified"),
        (8, "close", "verified", "closed"),
        (9, "reopen", "closed", "reopened"),
        (10, "assign", "reopened", "assigned"),
    ]
    assert [h["actor_role"] for h in history] == [
        "patrol",
        "office",
        "county",
        "county",
        "office",
        "county",
        "office",
        "office",
        "office",
        "office",
    ]
    assert history[4]["note"] == "现场仍有残留垃圾"
    assert history[1]["assignee_county"] == "511111" and history[1]["due_date"] == _due()
    ats = [h["at"] for h in history]
    assert ats == sorted(ats)


def test_closed_not_fixed_from_any_open_state_then_reopen(report: Report, act: Report) -> None:
    pid = report().json()["id"]
    act(pid, "assign", assignee_county="511111", due_date=_due())
    act(pid, "start", as_="county")
    assert act(pid, "close_not_fixed").status_code == 422  # a reason is required
    assert act(pid, "close_not_fixed", as_="county", note="x").status_code == 403
    r = act(pid, "close_not_fixed", note="涉及历史遗留，无法整改")
    assert r.status_code == 200 and r.json()["state"] == "closed_not_fixed"
    assert act(pid, "close_not_fixed", note="again").status_code == 409
    assert act(pid, "reopen").json()["state"] == "reopened"
    assert act(pid, "mark_duplicate", duplicate_of=pid).status_code == 409  # reported only


def test_mark_duplicate(report: Report, act: Report) -> None:
    first = report().json()["id"]
    second = report().json()["id"]
    assert act(second, "mark_duplicate").status_code == 422  # duplicate_of needed
    assert act(second, "mark_duplicate", duplicate_of=second).status_code == 422
    assert act(second, "mark_duplicate", duplicate_of=99999999).status_code == 422
    assert act(second, "mark_duplicate", as_="county", duplicate_of=first).status_code == 403
    r = act(second, "mark_duplicate", note="同一处垃圾", duplicate_of=first)
    assert r.status_code == 200
    assert (r.json()["state"], r.json()["duplicate_of"]) == ("duplicate", first)
    assert r.json()["history"][-1]["data"] == {"duplicate_of": first}
    assert r.json()["allowed_actions"] == []
    third = report().json()["id"]
    # Pointing at a duplicate is refused: mark against the original.
    assert act(third, "mark_duplicate", duplicate_of=second).status_code == 422
    assert act(second, "assign", assignee_county="511111").status_code == 409


def test_assignment_to_a_unit_lets_that_unit_act(report: Report, act: Report, db: Session) -> None:
    pid = report().json()["id"]
    water = db.scalar(select(LiaisonUnit).where(LiaisonUnit.name == "市水务局"))
    ecology = db.scalar(select(LiaisonUnit).where(LiaisonUnit.name == "市生态环境局"))
    assert water is not None and ecology is not None
    # The demo liaison account is 市水务局 (岷江's unit); this problem is on 大渡河
    # (市生态环境局): not its river, so it may not assign it.
    assert act(pid, "assign", as_="liaison", assignee_unit_id=water.id).status_code == 404
    r = act(pid, "assign", assignee_unit_id=water.id, assignee_county="511111")
    assert r.status_code == 422  # one assignee, not two
    assert act(pid, "assign", assignee_county="510321").status_code == 422  # not a Leshan county
    assert act(pid, "assign", assignee_unit_id=999999).status_code == 422
    r = act(pid, "assign", assignee_unit_id=water.id, due_date="2020-01-01")
    assert r.status_code == 422  # due date in the past
    r = act(pid, "assign", assignee_unit_id=water.id, due_date=_due())
    assert r.status_code == 200 and r.json()["assignee_unit_id"] == water.id
    # Now assigned to 市水务局, its liaison account sees and works it; the county does not.
    assert act(pid, "start", as_="county").status_code == 403
    assert act(pid, "start", as_="liaison").json()["state"] == "rectifying"


def test_unknown_action_and_unknown_problem(act: Report, report: Report) -> None:
    pid = report().json()["id"]
    r = act(pid, "approve")
    assert r.status_code == 422 and "unknown action" in r.json()["detail"]
    assert act(99999999, "assign", assignee_county="511111").status_code == 404


def test_liaison_unit_acts_on_its_own_rivers_problems(report: Report, act: Report) -> None:
    # (103.9750, 29.1620) lies in 犍为县 (511123), 52 m from 岷江, whose unit is 市水务局 —
    # the demo liaison account.
    body = report(point=(103.9750, 29.1620)).json()
    assert (body["river_name"], body["county_code"]) == ("岷江", "511123")
    assert body["responsible"]["liaison_unit"]["name"] == "市水务局"
    pid = body["id"]
    assert act(pid, "verify", as_="liaison").status_code == 409
    assert act(pid, "mark_duplicate", as_="liaison", duplicate_of=pid).status_code == 403
    r = act(pid, "assign", as_="liaison", assignee_county="511123", due_date=_due())
    assert r.status_code == 200 and r.json()["state"] == "assigned"
    assert act(pid, "start", as_="liaison").status_code == 403  # the county was assigned
    assert act(pid, "start", as_="county").status_code == 404  # 沙湾区 user: not its county
    act(pid, "start")
    act(pid, "rectified", note="已整改")
    assert act(pid, "verify", as_="liaison").json()["state"] == "verified"
    assert act(pid, "close", as_="liaison").status_code == 403


def test_every_role_on_transitions(report: Report, act: Report, client: TestClient) -> None:
    # On 岷江 (犍为县): visible to its chief and the patrol recorder as well.
    pid = report(point=(103.9750, 29.1620)).json()["id"]
    # Roles that may take no action at all still get 409 for an impossible one (state
    # first) and 403 for a possible one.
    for role in ("patrol", "chief", "meishan"):
        assert act(pid, "close", as_=role).status_code == 409, role
        r = act(pid, "assign", as_=role, assignee_county="511111")
        assert r.status_code == 403 and r.json()["allowed_actions"] == [], role
    anonymous = client.post(f"/api/v1/problems/{pid}/transitions", json={"action": "close"})
    assert anonymous.status_code == 401
    # A covert-check problem does not exist for the neighbouring city.
    covert = report(as_="office", covert=True).json()["id"]
    assert act(covert, "close", as_="meishan").status_code == 404
