"""Synthetic problems for the demo: along the Leshan rivers, in every state, 2025 and 2026.

Every problem is reported and moved through real transitions of the workflow engine, with
backdated times, so its history is complete; all are marked ``is_synthetic``. Some are found
on synthetic patrols (``patrol_id``), a few by covert checks, a few away from any registered
river. Deterministic (seeded), idempotent (skips if synthetic problems exist).
"""

from __future__ import annotations

import random
from datetime import date, datetime, time, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.errors import DomainError
from service.problems import service
from service.problems.models import CATEGORIES, Problem
from service.problems.schemas import ProblemIn, ProblemTransitionIn
from service.rivers.models import Segment
from service.sql import load_sql
from service.timeutil import LOCAL_TZ, local_date, now_utc, today_local
from service.workflow import Actor, SystemActor

DESCRIPTIONS: dict[str, tuple[str, ...]] = {
    "sand_mining": ("河道内发现采砂船作业，疑似无证开采", "岸边新增砂石堆场，河床有开挖痕迹"),
    "garbage": (
        "岸坡堆放生活垃圾约 3 立方米",
        "河面漂浮垃圾聚集，需打捞清理",
        "建筑垃圾倾倒于河滩",
    ),
    "sewage_outfall": ("发现未登记排污口，出水浑浊有异味", "雨污混流口晴天排水"),
    "illegal_construction": ("河道管理范围内新建砖混房屋", "岸边违规搭建彩钢棚"),
    "illegal_fishing": ("禁渔期发现电鱼人员", "河中设置地笼网具"),
    "water_quality": ("水体发黑发臭，疑似上游排放", "河段水面出现大片油污"),
    "other": ("护栏损毁，存在安全隐患", "河长公示牌信息未更新"),
}
#: (plan, weight): how far a problem goes, if time allows before today.
PLANS = (
    ("closed", 40),
    ("reject_then_closed", 8),
    ("not_fixed", 5),
    ("duplicate", 5),
    ("reopened", 4),
    ("stalled", 8),
    ("verified", 4),
    ("assigned_only", 3),
    ("reported_only", 3),
    ("rectified_only", 4),
)
RNG_SEED = 20250101


def _actors(session: Session) -> dict[str, Actor]:
    """Demo accounts when they exist (development), otherwise account-less actors."""
    out: dict[str, Actor] = {"office": SystemActor(role="office")}
    for username in ("office", "patrol", "county", "liaison", "chief"):
        user = session.scalar(select(UserAccount).where(UserAccount.username == username))
        if user is not None:
            out[username] = user
    return out


def _moment(day: date, rng: random.Random) -> datetime:
    return datetime.combine(day, time(rng.randint(8, 17), rng.randint(0, 59)), tzinfo=LOCAL_TZ)


def _points(session: Session, rng: random.Random, count: int) -> list[tuple[float, float]]:
    segments = session.execute(select(Segment.id, Segment.length_m)).all()
    if not segments:
        return []
    picks = rng.choices([s.id for s in segments], weights=[s.length_m for s in segments], k=count)
    rows = session.execute(
        load_sql("problem_demo_points"),
        {
            "segment_ids": picks,
            "fractions": [rng.uniform(0.02, 0.98) for _ in picks],
            "offsets_m": [rng.uniform(15, 300) for _ in picks],
            "azimuths": [rng.uniform(0, 6.283) for _ in picks],
        },
    ).all()
    return [(float(r.lon), float(r.lat)) for r in rows]


def _off_river_points(session: Session, count: int) -> list[tuple[float, float]]:
    """Random points in counties no registered river crosses (small streams, ponds)."""
    from service.areas.models import AdminArea

    points = (
        select(
            func.ST_Dump(func.ST_GeneratePoints(AdminArea.geom, count, RNG_SEED)).geom.label("g")
        )
        .where(AdminArea.code.in_(("511124", "511129")))
        .subquery()
    )
    rows = session.execute(
        select(func.ST_X(points.c.g).label("lon"), func.ST_Y(points.c.g).label("lat"))
    ).all()
    return [(float(r.lon), float(r.lat)) for r in rows]


def _patrol_points(session: Session, limit: int) -> list[tuple[int, datetime, float, float]]:
    """(patrol id, start, lon, lat) at the middle of synthetic valid patrols, if any."""
    try:
        from service.patrols.models import Patrol
    except ImportError:  # patrols not installed: problems stand alone
        return []
    rows = session.execute(
        select(
            Patrol.id,
            Patrol.started_at,
            func.ST_X(
                func.ST_LineInterpolatePoint(
                    func.ST_Force2D(func.ST_GeometryN(Patrol.geom, 1)), 0.5
                )
            ).label("lon"),
            func.ST_Y(
                func.ST_LineInterpolatePoint(
                    func.ST_Force2D(func.ST_GeometryN(Patrol.geom, 1)), 0.5
                )
            ).label("lat"),
        )
        .where(
            Patrol.is_synthetic.is_(True), Patrol.valid.is_(True), Patrol.started_at.is_not(None)
        )
        .order_by(Patrol.id)
        .limit(limit)
    ).all()
    return [(r.id, r.started_at, float(r.lon), float(r.lat)) for r in rows]


class _Runner:
    def __init__(self, session: Session, rng: random.Random) -> None:
        self.session, self.rng = session, rng
        self.actors = _actors(session)
        self.today = today_local()
        self.now = now_utc()

    def actor(self, name: str) -> Actor:
        return self.actors.get(name, self.actors["office"])

    def step(self, problem: Problem, action: str, day: date, actor: Actor, **kw: Any) -> bool:
        """Take ``action`` on ``day`` unless that is still in the future (then stop)."""
        if day >= self.today:
            return False
        body = ProblemTransitionIn(action=action, **kw)
        # Never before the previous step (same-day steps get random hours).
        at = _moment(day, self.rng)
        if problem.state_changed_at is not None:
            at = max(at, problem.state_changed_at + timedelta(minutes=20))
        service.transition(self.session, problem, body, actor, at=at)
        return True

    def run(self, problem: Problem, plan: str, original: Problem | None) -> None:
        rng, day = self.rng, local_date(problem.observed_at)
        office = self.actor("office")
        county = SystemActor(role="county", county_code=problem.county_code)
        if problem.county_code == "511111":
            county = self.actor("county")  # type: ignore[assignment]
        if plan == "duplicate" and original is not None:
            self.step(
                problem,
                "mark_duplicate",
                day + timedelta(days=1),
                office,
                note="与已上报问题为同一处",
                duplicate_of=original.id,
            )
            return
        if plan == "reported_only":
            return  # waiting for the office (overdue once its default due date passes)
        day += timedelta(days=rng.randint(1, 3))
        due = day + timedelta(days=rng.choice((15, 20, 30, 45)))
        if not self.step(
            problem,
            "assign",
            day,
            office,
            note="请属地限期整改",
            assignee_county=problem.county_code,
            due_date=due,
        ):
            return
        if plan == "assigned_only":
            return
        day += timedelta(days=rng.randint(1, 4))
        if not self.step(problem, "start", day, county, note="已安排人员现场处置"):
            return
        if plan == "not_fixed":
            self.step(
                problem,
                "close_not_fixed",
                day + timedelta(days=rng.randint(10, 40)),
                office,
                note="涉及历史遗留问题，纳入一河一策统筹解决",
            )
            return
        late = rng.random() < 0.25
        day += timedelta(days=rng.randint(3, 12) + (rng.randint(20, 40) if late else 0))
        if plan == "stalled" or not self.step(
            problem, "rectified", day, county, note="已按要求整改，附现场照片"
        ):
            return
        if plan == "reject_then_closed":
            day += timedelta(days=rng.randint(2, 6))
            if not self.step(problem, "reject", day, office, note="复核发现整改不彻底"):
                return
            day += timedelta(days=rng.randint(3, 10))
            if not self.step(problem, "rectified", day, county, note="已二次整改"):
                return
        if plan == "rectified_only":
            return  # waiting for the re-check
        day += timedelta(days=rng.randint(2, 6))
        if not self.step(problem, "verify", day, office, note="现场复核通过") or plan == "verified":
            return
        day += timedelta(days=rng.randint(1, 5))
        if not self.step(problem, "close", day, office, note="销号") or plan != "reopened":
            return
        self.step(
            problem,
            "reopen",
            day + timedelta(days=rng.randint(10, 60)),
            office,
            note="群众反映问题反弹",
        )


def load_demo_problems(session: Session) -> dict[str, int]:
    """About 120 problems observed from 2025-01-01 to a week before today."""
    if session.scalar(select(Problem.id).where(Problem.is_synthetic.is_(True)).limit(1)):
        return {"problems": 0}
    rng = random.Random(RNG_SEED)
    runner = _Runner(session, rng)
    start = date(2025, 1, 1)
    span = max((runner.today - timedelta(days=3) - start).days, 1)
    reporters = [runner.actor(n) for n in ("patrol", "county", "liaison", "chief", "office")]
    plans, weights = zip(*PLANS, strict=True)
    made = 0
    previous: Problem | None = None
    found_on_patrol = _patrol_points(session, 25)
    points = _points(session, rng, 110) + _off_river_points(session, 3)
    jobs: list[tuple[float, float, datetime, int | None]] = [
        (lon, lat, _moment(start + timedelta(days=rng.randrange(span)), rng), None)
        for lon, lat in points
    ] + [(lon, lat, started, pid) for pid, started, lon, lat in found_on_patrol]
    jobs.sort(key=lambda j: j[2])
    for lon, lat, observed, patrol_id in jobs:
        plan = rng.choices(plans, weights)[0]
        category = rng.choice(list(CATEGORIES))
        if plan == "duplicate" and previous is not None:
            # A second report of the same thing, ~20 m away, a day later.
            category = previous.category
            lon, lat = previous.input_lon + 0.0002, previous.input_lat
            observed = previous.observed_at + timedelta(days=1)
        body = ProblemIn(
            lon=lon,
            lat=lat,
            datum="wgs84",
            category=category,  # type: ignore[arg-type]
            description=rng.choice(DESCRIPTIONS[category]),
            observed_at=observed,
            patrol_id=patrol_id,
            covert=rng.random() < 0.06,
        )
        try:
            problem = service.report_problem(
                session,
                body,
                rng.choice(reporters),
                now=observed + timedelta(hours=rng.randint(1, 20)),
                synthetic=True,
            )
        except DomainError:
            continue  # an offset point that fell outside the city
        runner.run(problem, plan, previous if plan == "duplicate" else None)
        previous = problem
        made += 1
    session.flush()
    return {"problems": made}
