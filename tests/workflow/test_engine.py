"""The workflow engine: 409 before 403 before 422, the allowed actions, history rows.

The pure checks use a stand-in entity (the engine only reads ``state`` and the assignee);
``apply`` and ``history`` run against the real ``workflow_event`` table with a problem row.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from types import SimpleNamespace
from typing import Any

import pytest
from geoalchemy2.elements import WKTElement
from sqlalchemy.orm import Session

from service.errors import Conflict, Forbidden, InvalidInput
from service.problems.models import Problem
from service.problems.workflow import PROBLEM_FLOW
from service.workflow import NOTE, SystemActor, Transition, Workflow, is_assignee

OFFICE = SystemActor(role="office")
COUNTY_511111 = SystemActor(role="county", county_code="511111", id=None)
COUNTY_511102 = SystemActor(role="county", county_code="511102")
LIAISON_7 = SystemActor(role="liaison", liaison_unit_id=7)


def entity(state: str, **kw: Any) -> SimpleNamespace:
    base = {
        "state": state,
        "assignee_county": None,
        "assignee_unit_id": None,
        "liaison_unit_id": None,
        "due_date": None,
        "id": 1,
    }
    base.update(kw)
    return SimpleNamespace(**base)


def test_impossible_action_is_conflict_whoever_asks() -> None:
    for actor in (OFFICE, COUNTY_511111, LIAISON_7):
        with pytest.raises(Conflict) as err:
            PROBLEM_FLOW.check(entity("reported"), "verify", actor)
        assert err.value.detail["state"] == "reported"
        assert err.value.detail["possible_actions"] == [
            "assign",
            "close_not_fixed",
            "mark_duplicate",
        ]
    with pytest.raises(Conflict) as err:
        PROBLEM_FLOW.check(entity("reported"), "verify", OFFICE)
    assert err.value.detail["allowed_actions"] == ["assign", "close_not_fixed", "mark_duplicate"]


def test_possible_but_not_for_this_role_is_forbidden_with_allowed_actions() -> None:
    with pytest.raises(Forbidden) as err:
        PROBLEM_FLOW.check(entity("reported"), "assign", COUNTY_511111)
    assert err.value.detail["allowed_actions"] == []
    assert "assign" in err.value.detail["possible_actions"]
    # The assignee may start; a county it was not assigned to may not.
    assigned = entity("assigned", assignee_county="511111")
    assert PROBLEM_FLOW.check(assigned, "start", COUNTY_511111).target == "rectifying"
    with pytest.raises(Forbidden):
        PROBLEM_FLOW.check(assigned, "start", COUNTY_511102)
    # A liaison unit acts on its own river's problems only.
    own = entity("reported", liaison_unit_id=7)
    assert PROBLEM_FLOW.allowed_actions(own, LIAISON_7) == ["assign"]
    with pytest.raises(Forbidden):
        PROBLEM_FLOW.check(entity("reported", liaison_unit_id=8), "assign", LIAISON_7)


def test_missing_fields_come_after_state_and_role() -> None:
    with pytest.raises(InvalidInput) as err:
        PROBLEM_FLOW.check(entity("reported"), "assign", OFFICE)
    assert err.value.detail["missing"] == ["assignee"]
    with pytest.raises(InvalidInput):
        PROBLEM_FLOW.check(entity("rectified"), "reject", OFFICE, note="   ")
    with pytest.raises(InvalidInput) as err:
        PROBLEM_FLOW.check(entity("reported"), "mark_duplicate", OFFICE)
    assert err.value.detail["missing"] == ["duplicate_of"]
    assert (
        PROBLEM_FLOW.check(
            entity("reported"), "mark_duplicate", OFFICE, data={"duplicate_of": 3}
        ).target
        == "duplicate"
    )
    with pytest.raises(InvalidInput, match="unknown action"):
        PROBLEM_FLOW.check(entity("reported"), "approve", OFFICE)


def test_overdue_is_past_due_and_not_done() -> None:
    today = date(2026, 3, 10)
    assert PROBLEM_FLOW.is_overdue(entity("rectifying", due_date=date(2026, 3, 9)), today)
    assert not PROBLEM_FLOW.is_overdue(entity("rectifying", due_date=date(2026, 3, 10)), today)
    assert not PROBLEM_FLOW.is_overdue(entity("rectified", due_date=date(2026, 1, 1)), today)
    assert not PROBLEM_FLOW.is_overdue(entity("reported", due_date=None), today)


def test_a_second_workflow_declares_its_own_machine() -> None:
    flow = Workflow(
        entity_type="action_item",
        states=("assigned", "in_progress", "done"),
        initial="assigned",
        open_states=frozenset({"assigned", "in_progress"}),
        done_states=frozenset({"done"}),
        transitions=(
            Transition(
                "start",
                frozenset({"assigned"}),
                "in_progress",
                roles=frozenset({"office"}),
                guards=(is_assignee,),
            ),
            Transition(
                "done",
                frozenset({"in_progress"}),
                "done",
                guards=(is_assignee,),
                requires=frozenset({NOTE}),
            ),
        ),
    )
    unit = SystemActor(role="liaison", liaison_unit_id=3)
    item = entity("in_progress", assignee_unit_id=3)
    assert flow.allowed_actions(item, unit) == ["done"]
    with pytest.raises(Forbidden):
        flow.check(item, "done", OFFICE, note="x")
    with pytest.raises(AssertionError):
        Workflow(
            entity_type="x",
            states=("a",),
            initial="b",
            transitions=(),
            open_states=frozenset(),
            done_states=frozenset(),
        )


def _problem(db: Session) -> Problem:
    p = Problem(
        category="garbage",
        description="测试",
        geom=WKTElement("POINT(103.55 29.41)", 4326),
        input_lon=103.55,
        input_lat=29.41,
        datum="wgs84",
        observed_at=datetime(2026, 3, 1, 2, tzinfo=UTC),
        county_code="511111",
        off_river=True,
        state="reported",
    )
    db.add(p)
    db.flush()
    return p


def test_apply_writes_ordered_history_and_caches_state(db: Session) -> None:
    p = _problem(db)
    PROBLEM_FLOW.start(db, p, OFFICE, note="上报", at=datetime(2026, 3, 1, 3, tzinfo=UTC))
    PROBLEM_FLOW.apply(
        db,
        p,
        "assign",
        OFFICE,
        note="交办沙湾区",
        assignee_county="511111",
        due_date=date(2026, 3, 31),
        at=datetime(2026, 3, 2, tzinfo=UTC),
    )
    PROBLEM_FLOW.apply(db, p, "start", COUNTY_511111, at=datetime(2026, 3, 3, tzinfo=UTC))
    with pytest.raises(Conflict):
        PROBLEM_FLOW.apply(db, p, "close", OFFICE)
    assert p.state == "rectifying" and p.assignee_county == "511111"
    events = PROBLEM_FLOW.history(db, [p.id])[p.id]
    assert [(e.seq, e.action, e.from_state, e.to_state) for e in events] == [
        (1, "report", None, "reported"),
        (2, "assign", "reported", "assigned"),
        (3, "start", "assigned", "rectifying"),
    ]
    assert events[1].due_date == date(2026, 3, 31) and events[1].assignee_county == "511111"
    assert events[2].actor_role == "county" and events[2].actor_id is None
    # Reopening clears the assignment: the problem waits to be assigned again.
    PROBLEM_FLOW.apply(db, p, "close_not_fixed", OFFICE, note="无法整改")
    PROBLEM_FLOW.apply(db, p, "reopen", OFFICE)
    assert (p.state, p.assignee_county, p.due_date) == ("reopened", None, None)
    assert [e.seq for e in PROBLEM_FLOW.history(db, [p.id])[p.id]] == [1, 2, 3, 4, 5]
