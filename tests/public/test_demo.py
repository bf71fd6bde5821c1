"""The demo's public reports: made through the real services, idempotent, counted."""

from __future__ import annotations

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.problems.models import Problem
from service.public.demo import PLANS, load_demo_public
from service.public.models import PublicReport
from service.public.queries import stats


def test_demo_reports_in_every_state_and_idempotent(db: Session) -> None:
    made = load_demo_public(db)
    assert 0 < made <= len(PLANS)
    states = dict(
        db.execute(select(PublicReport.state, func.count()).group_by(PublicReport.state)).all()
    )
    assert set(states) <= {"pending", "accepted", "rejected"}
    assert states.get("accepted", 0) >= 1 and states.get("rejected", 0) >= 1
    linked = db.scalars(select(Problem).join(PublicReport, PublicReport.problem_id == Problem.id))
    assert all(p.is_synthetic for p in linked)
    s = stats(db, None, None)
    assert s["received"] == made and s["closed"] >= 1 and s["median_days"] is not None
    assert load_demo_public(db) == 0
