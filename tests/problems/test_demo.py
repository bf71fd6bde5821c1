"""The demo step: problems in every state over 2025 and 2026, histories complete, synthetic."""

from __future__ import annotations

from collections import Counter
from itertools import pairwise

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.problems.demo import load_demo_problems
from service.problems.models import Problem
from service.problems.workflow import PROBLEM_FLOW, STATE_LABELS


def test_demo_problems_cover_every_state_with_complete_histories(db: Session) -> None:
    made = load_demo_problems(db)["problems"]
    assert made >= 100
    assert load_demo_problems(db) == {"problems": 0}  # idempotent
    problems = db.scalars(select(Problem).where(Problem.is_synthetic.is_(True))).all()
    assert len(problems) == made
    assert set(Counter(p.state for p in problems)) == set(STATE_LABELS)
    assert {p.observed_at.year for p in problems} == {2025, 2026}
    assert any(p.off_river for p in problems) and any(p.covert for p in problems)
    histories = PROBLEM_FLOW.history(db, [p.id for p in problems])
    for p in problems:
        events = histories[p.id]
        assert [e.seq for e in events] == list(range(1, len(events) + 1))
        assert events[0].from_state is None and events[0].action == "report"
        for before, after in pairwise(events):
            assert after.from_state == before.to_state and after.at >= before.at
        assert events[-1].to_state == p.state
