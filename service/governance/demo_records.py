"""Demo records of governance: inspections, accountability, commendations, assessment.

Split from ``service.governance.demo`` (which calls these) to keep files small; both work on
a :class:`~service.governance.demo_context.DemoContext`.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select, text

from service.errors import DomainError
from service.governance.accountability.schemas import (
    AccountabilityIn,
    AccountabilityKind,
    CommendationIn,
    CommendationKind,
)
from service.governance.accountability.service import commend, record
from service.governance.assessment.service import issue, set_manual_score
from service.governance.common import DEMO_OFFICE, Actor, counties
from service.governance.demo_context import DemoContext, DemoRiver
from service.governance.docflow import local_noon
from service.governance.inspections.models import InspectionFinding
from service.governance.inspections.schemas import FindingIn, InspectionIn
from service.governance.inspections.service import create_inspection
from service.governance.lists.schemas import AnnualListsIn, ListItemIn
from service.governance.meetings.schemas import MeetingIn
from service.governance.meetings.service import create_meeting
from service.problems.models import Problem
from service.problems.schemas import ProblemTransitionIn
from service.problems.service import transition

ACCOUNTABILITY_SEQUENCE: tuple[AccountabilityKind, ...] = (
    "reminder",
    "reminder",
    "circular",
    "admonition",
)
AWARDS: tuple[CommendationKind, ...] = ("commendation", "incentive")


def county_actor(code: str) -> Actor:
    """The demo's synthetic county account for ``code``."""
    return Actor(role="county", username="demo-county", county_code=code)


def inspections(demo: DemoContext, year: int) -> None:
    for quarter in (1, 2, 3, 4):
        on = date(year, 3 * quarter, 10)
        if not demo.past(on):
            return
        rows = demo.session.execute(
            text(
                "SELECT s.county_code, ST_X(p) AS lon, ST_Y(p) AS lat FROM segment s, "
                "LATERAL ST_LineInterpolatePoint(s.geom, :f) AS p ORDER BY s.id"
            ),
            {"f": 0.3 + 0.1 * quarter},
        ).all()
        for county, lon, lat in demo.rng.sample(rows, min(1, len(rows))):
            data = InspectionIn(
                inspected_on=on,
                title=f"{year}年第{quarter}季度河湖长制工作督查",
                county_code=county,
                summary="检查河湖长履职和问题整改情况。",
                findings=[
                    FindingIn(
                        lon=lon,
                        lat=lat,
                        category=demo.rng.choice(
                            ("garbage", "sand_mining", "illegal_construction")
                        ),
                        description="督查发现河岸存在问题",
                        due_date=on + timedelta(days=45),
                    )
                ],
            )
            try:
                with demo.session.begin_nested():
                    ins = create_inspection(demo.session, data, DEMO_OFFICE, is_synthetic=True)
            except DomainError:
                continue  # a point routed to a neighbouring county: skip it
            demo.count("inspections")
            rectify(demo, ins.id, county, on)


def rectify(demo: DemoContext, inspection_id: int, county: str, on: date) -> None:
    for f in demo.session.scalars(
        select(InspectionFinding).where(InspectionFinding.inspection_id == inspection_id)
    ):
        problem = demo.session.get(Problem, f.problem_id)
        if problem is None or demo.rng.random() < 0.3:
            continue
        for action, days in (("start", 5), ("rectified", 30)):
            day = on + timedelta(days=days)
            if not demo.past(day):
                break
            transition(
                demo.session,
                problem,
                ProblemTransitionIn(
                    action=action, note="已完成整改" if action == "rectified" else None
                ),
                county_actor(county),
                at=local_noon(day),
            )


def accountability(demo: DemoContext, year: int) -> None:
    codes = [c for c, _ in counties(demo.session)]
    for n, kind in enumerate(ACCOUNTABILITY_SEQUENCE):
        on = date(year, 4 + 2 * n, 15)
        if not demo.past(on):
            continue
        row = record(
            demo.session,
            AccountabilityIn(
                kind=kind,
                issued_on=on,
                county_code=demo.rng.choice(codes),
                issued_by="市总河长" if kind == "admonition" else "市河长制办公室",
                person="某县级河长" if kind == "admonition" else None,
                reason="问题整改不及时" if kind != "reminder" else "巡河频次不足",
            ),
            DEMO_OFFICE,
            is_synthetic=True,
        )
        demo.count(kind)
        if kind == "admonition" and demo.past(on + timedelta(days=60)):
            row.follow_up_on, row.follow_up_note = on + timedelta(days=60), "整改已落实"
    on = date(year, 12, 20)
    if demo.past(on):
        for award in AWARDS:
            commend(
                demo.session,
                CommendationIn(
                    kind=award,
                    awarded_on=on,
                    county_code=demo.rng.choice(codes),
                    reason="河湖管护成效明显",
                ),
                DEMO_OFFICE,
                is_synthetic=True,
            )
            demo.count(award)


def assessment(demo: DemoContext, year: int) -> None:
    for code, _ in counties(demo.session):
        set_manual_score(
            demo.session,
            year,
            code,
            "plans_and_lists",
            float(demo.rng.randint(6, 10)),
            "资料审核",
            DEMO_OFFICE,
            is_synthetic=True,
        )
        set_manual_score(
            demo.session,
            year,
            code,
            "publicity",
            float(demo.rng.randint(3, 5)),
            None,
            DEMO_OFFICE,
            is_synthetic=True,
        )
    held = date(year + 1, 1, 20)
    if not demo.past(held + timedelta(days=5)):
        return
    office_meeting = create_meeting(
        demo.session,
        MeetingIn(
            kind="office",
            title=f"市总河长办公室主任会议（审议{year}年度考核结果）",
            held_on=held,
            chair_official_id=demo.general_id,
            place="市河长制办公室",
        ),
        DEMO_OFFICE,
        is_synthetic=True,
    )
    issue(
        demo.session,
        year,
        held + timedelta(days=5),
        office_meeting.id,
        DEMO_OFFICE,
        is_synthetic=True,
    )
    demo.count("assessments_issued")


def demo_lists(year: int, r: DemoRiver) -> AnnualListsIn:
    """A river's four lists for a year (a short but realistic set)."""
    county = r.counties[0]
    return AnnualListsIn(
        targets=[
            ListItemIn(
                category="水质",
                content=f"{r.name}出境断面水质稳定达到Ⅲ类及以上",
                measure="达标率100%",
                due_date=date(year, 12, 31),
            ),
            ListItemIn(
                category="岸线",
                content="河湖“四乱”问题动态清零",
                measure="清零",
                due_date=date(year, 12, 31),
            ),
        ],
        problems=[
            ListItemIn(
                category="非法采砂",
                content="部分河段存在夜间偷采",
                county_code=county,
                responsible_unit="县级人民政府",
                measure="加强联合执法",
                due_date=date(year, 6, 30),
            )
        ],
        tasks=[
            ListItemIn(
                category="排污口",
                content="完成入河排污口溯源整治",
                responsible_unit="市生态环境局",
                cooperating_units=r.unit.name,
                due_date=date(year, 10, 31),
            )
        ],
        responsibilities=[
            ListItemIn(
                category="市级河长",
                responsible_unit=f"{r.name}市级河长",
                responsible_person=r.chief.name,
                content="统筹协调流域管理保护",
            ),
            ListItemIn(
                category="联络员单位",
                responsible_unit=r.unit.name,
                content="承办巡河调研和会议，督办议定事项",
            ),
        ],
    )
