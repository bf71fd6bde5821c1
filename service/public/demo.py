"""Synthetic public reports for the demo: received over the last two months, some accepted
(their problems moved on, a few to closing), some rejected with a reason, some waiting.

Everything goes through the real service functions with backdated times and is marked
synthetic; no photos (the demo writes no media files). Idempotent: skips when synthetic
reports exist. Points come from the problems demo's sampler (along registered rivers).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import DomainError
from service.problems import service as problems_service
from service.problems.demo import DESCRIPTIONS, _actors, _points
from service.problems.schemas import ProblemTransitionIn
from service.public import service
from service.public.models import PublicReport
from service.timeutil import LOCAL_TZ, today_local

RNG_SEED = 20261129
COUNT = 14
#: What happens to each report, in order: accepted and closed, accepted and in progress,
#: rejected with a public reason, or still waiting for moderation.
PLANS = (
    ("closed",) * 4 + ("assigned",) * 3 + ("accepted",) * 2 + ("rejected",) * 2 + ("pending",) * 3
)
REJECT_REASONS = ("经现场核实，未发现所述问题", "该处为依法审批的施工作业")


def _at(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour, 0), tzinfo=LOCAL_TZ)


def load_demo_public(session: Session) -> int:
    """Add the synthetic public reports; returns how many were made."""
    if session.scalar(select(PublicReport.id).where(PublicReport.is_synthetic).limit(1)):
        return 0
    rng = random.Random(RNG_SEED)
    actors = _actors(session)
    office = actors["office"]
    today = today_local()
    made = 0
    for plan, (lon, lat) in zip(PLANS, _points(session, rng, COUNT), strict=False):
        category = rng.choice(list(DESCRIPTIONS))
        day = today - timedelta(days=rng.randint(8, 60))
        form = service.ReportForm(
            lon=lon,
            lat=lat,
            datum="wgs84",
            category=category,
            description=f"市民反映：{rng.choice(DESCRIPTIONS[category])}",
        )
        try:
            report, _ = service.submit_report(
                session, form, [], "demo", now=_at(day, 9), synthetic=True
            )
        except DomainError:
            continue  # a sampled point outside the city: skip it
        made += 1
        if plan == "pending":
            continue
        if plan == "rejected":
            service.reject(
                session,
                report,
                office,
                rng.choice(REJECT_REASONS),
                at=_at(day + timedelta(days=1), 10),
            )
            continue
        problem = service.accept(
            session, report, office, "受理", at=_at(day + timedelta(days=1), 10), synthetic=True
        )
        steps: list[tuple[str, dict[str, object]]] = []
        if plan in ("assigned", "closed"):
            steps.append(("assign", {"assignee_county": problem.county_code}))
        if plan == "closed":
            steps += [
                ("start", {}),
                ("rectified", {"note": "已整改完毕"}),
                ("verify", {}),
                ("close", {}),
            ]
        for n, (action, fields) in enumerate(steps):
            when = _at(day + timedelta(days=2 + 2 * n), 11)
            body = ProblemTransitionIn.model_validate({"action": action, **fields})
            problems_service.transition(session, problem, body, office, at=when)
    session.flush()
    return made
