"""Synthetic governance activity for the demo: 2025 in full and 2026 to date.

Meetings with minutes and decided items, the four lists and 一河一策 plans, health
assessments, inspections (whose findings become problems), reminders/circulars/admonitions,
commendations, manual assessment scores and the issued 2025 assessment. Everything is made
through the service functions with back-dated steps, so histories and document numbers are
real; rows are marked synthetic. Joint meetings are the cross-boundary demo's. Nothing dated
after today is made. Idempotent: skipped when synthetic meetings exist.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.governance.common import DEMO_OFFICE, Actor, counties
from service.governance.demo_context import DemoContext, DemoRiver
from service.governance.demo_records import (
    accountability,
    assessment,
    county_actor,
    demo_lists,
    inspections,
)
from service.governance.health.config import GUIDELINE_2020
from service.governance.health.schemas import HealthAssessmentIn
from service.governance.health.service import approve as approve_health
from service.governance.health.service import record as record_health
from service.governance.inspections.schemas import InspectionIn
from service.governance.inspections.service import create_inspection
from service.governance.lists.schemas import RiverPlanIn
from service.governance.lists.service import create_plan, save_lists, step_lists, step_plan
from service.governance.meetings.models import Meeting
from service.governance.meetings.schemas import ActionItemIn, MeetingIn, MeetingKind
from service.governance.meetings.service import (
    add_action_item,
    create_meeting,
    draft_minutes,
    step_action_item,
    step_minutes,
)
from service.officials.queries import general_chiefs, liaison_unit_of, municipal_chief
from service.rivers.models import River, Segment

ITEM_TITLES = (
    "开展河道非法采砂专项整治",
    "完成入河排污口排查整治",
    "清理河道沿岸垃圾",
    "拆除违规建筑",
    "落实禁捕退捕巡查",
    "完善河长公示牌",
    "开展水质异常溯源",
)


RIVER_MEETINGS: tuple[tuple[MeetingKind, int, str], ...] = (
    ("onsite", 4, "巡河现场会议"),
    ("basin", 9, "流域专题会议"),
)


class Demo(DemoContext):
    # ---- meetings, minutes and decided items ---------------------------------------------
    def meeting(
        self,
        data: MeetingIn,
        drafter: Actor,
        chair: Actor,
        items: list[str],
        river_counties: list[str],
        finish: bool = True,
    ) -> None:
        if not self.past(data.held_on):
            return
        m = create_meeting(self.session, data, drafter, is_synthetic=True)
        self.count("meetings")
        d = data.held_on
        steps = [
            ("draft", d + timedelta(days=2)),
            ("approve", d + timedelta(days=5)),
            ("issue", d + timedelta(days=8)),
        ]
        for action, on in steps if finish else steps[:2]:
            if not self.past(on):
                break
            if action == "draft":
                draft_minutes(
                    self.session,
                    m,
                    f"{data.title}纪要：会议听取了河湖长制工作情况汇报，"
                    "研究部署了下一阶段重点工作。",
                    drafter,
                    on=on,
                    is_synthetic=True,
                )
            else:
                who = chair if action == "approve" else DEMO_OFFICE
                step_minutes(self.session, m, action, who, on=on, is_synthetic=True)
        for title in items:
            county = self.rng.choice(river_counties)
            due = d + timedelta(days=self.rng.choice((45, 60, 90, 120)))
            item = add_action_item(
                self.session,
                m,
                ActionItemIn(
                    title=title, assignee_county=county, due_date=due, on=d + timedelta(days=9)
                ),
                drafter,
                is_synthetic=True,
            )
            self.count("action_items")
            self.follow(item, drafter, county, d + timedelta(days=9), due)

    def follow(self, item: Any, supervisor: Actor, county: str, start: date, due: date) -> None:
        """Walk a decided item part of the way: most finish (some late), some stall."""
        fate = self.rng.random()
        if fate < 0.1:
            return  # assigned, never taken up: overdue once its due date passes
        plan = [("supervise", supervisor, 3), ("progress", county_actor(county), 20)]
        if fate > 0.25:
            done_on = due + timedelta(days=10) if fate < 0.4 else due - timedelta(days=5)
            days = (done_on - start).days
            plan.append(("done", county_actor(county), days))
            if fate > 0.45:
                plan += [("verify", supervisor, days + 4), ("report", supervisor, days + 8)]
        for action, who, offset in plan:
            on = start + timedelta(days=offset)
            if not self.past(on):
                return
            note = None if action in ("supervise", "verify", "report") else "演示：工作进展"
            step_action_item(self.session, item, action, who, note=note, on=on)

    # ---- one year --------------------------------------------------------------------------
    def year(self, year: int, rivers: list[DemoRiver]) -> None:
        general = general_chiefs(self.session, date(year, 2, 1))
        chief_of_city = next((o for a, o in general if a.role == "general_chief"), None)
        all_counties = [c for c, _ in counties(self.session)]
        if chief_of_city is not None:
            gc = Actor(role="chief", username="demo-general-chief", official_id=chief_of_city.id)
            self.meeting(
                MeetingIn(
                    kind="general",
                    title=f"{year}年乐山市总河长全体会议",
                    held_on=date(year, 2, 20),
                    place="市政府",
                    chair_official_id=chief_of_city.id,
                    attendees=["市级河长", "各县（市、区）总河长", "市级有关部门"],
                    summary="部署年度河湖长制工作。",
                ),
                DEMO_OFFICE,
                gc,
                list(ITEM_TITLES[:3]),
                all_counties,
            )
        for r in rivers:
            self.river_year(year, r)

    def river_year(self, year: int, r: DemoRiver) -> None:
        chief, unit = r.chief, r.unit
        liaison = Actor(role="liaison", username="demo-liaison", liaison_unit_id=unit.id)
        chief_actor = Actor(role="chief", username="demo-chief", official_id=chief.id)
        for kind, month, title in RIVER_MEETINGS:
            held = date(year, month, 12 + r.n)
            self.meeting(
                MeetingIn(
                    kind=kind,
                    title=f"{r.name}{year}年{title}",
                    held_on=held,
                    place=r.counties_named[0],
                    chair_official_id=chief.id,
                    convener_unit_id=unit.id,
                    river_ids=[r.id],
                    attendees=[unit.name, *r.counties_named],
                ),
                liaison,
                chief_actor,
                self.rng.sample(ITEM_TITLES, 1),
                r.counties,
                finish=not (year == self.today.year and kind == "basin"),
            )
        # The four lists: drafted in January, approved and issued in February.
        if self.past(date(year, 1, 15)):
            lists = save_lists(
                self.session,
                r.id,
                year,
                demo_lists(year, r),
                liaison,
                on=date(year, 1, 15),
                is_synthetic=True,
            )
            self.count("annual_lists")
            for action, on, who in (
                ("approve", date(year, 2, 3), chief_actor),
                ("issue", date(year, 2, 10), DEMO_OFFICE),
            ):
                if self.past(on):
                    step_lists(
                        self.session, lists, action, who, on, is_synthetic=True, backdate=True
                    )
        # §15: the liaison unit inspects the work on its own river once a year (in June).
        on = date(year, 6, 20 + r.n)
        if self.past(on):
            create_inspection(
                self.session,
                InspectionIn(
                    inspected_on=on,
                    title=f"{r.name}{year}年河湖长制工作督查",
                    county_code=r.counties[-1],
                    river_id=r.id,
                    summary="检查县级河长履职、四张清单任务落实情况，未发现新问题。",
                ),
                liaison,
                is_synthetic=True,
            )
            self.count("inspections")
        # Health assessment in November (scores vary by river, a little by year).
        on = date(year, 11, 10 + r.n)
        if self.past(on):
            base = (88, 78, 70)[r.n % 3] + (year - 2025) * 2
            scores = {
                i.code: float(max(0, min(100, base + self.rng.randint(-12, 10))))
                for i in GUIDELINE_2020.indicators
                if i.required or self.rng.random() < 0.4
            }
            health = record_health(
                self.session,
                HealthAssessmentIn(
                    river_id=r.id,
                    year=year,
                    assessed_on=on,
                    scores=scores,
                    report_title=f"{r.name}（乐山段）{year}年度河湖健康评价报告",
                ),
                liaison,
                is_synthetic=True,
            )
            approve_health(self.session, health, chief_actor)
            self.count("health_assessments")


def _rivers(session: Session, on: date) -> list[DemoRiver]:
    out = []
    for n, river in enumerate(session.scalars(select(River).order_by(River.id))):
        chief = municipal_chief(session, river.id, on)
        unit = liaison_unit_of(session, river.id, on)
        if chief is None or unit is None:
            continue
        codes = list(
            dict.fromkeys(
                session.scalars(
                    select(Segment.county_code)
                    .where(Segment.river_id == river.id)
                    .order_by(Segment.ord)
                )
            )
        )
        names = dict(counties(session))
        out.append(
            DemoRiver(
                id=river.id,
                name=river.name,
                chief=chief,
                unit=unit,
                n=n,
                counties=codes,
                counties_named=[names.get(c, c) for c in codes],
            )
        )
    return out


def load_demo_governance(session: Session) -> dict[str, int]:
    """Activity step (idempotent): governance rows for last year in full and this year."""
    if session.scalar(
        select(Meeting.id).where(Meeting.is_synthetic, Meeting.kind != "joint").limit(1)
    ):
        return {"skipped_existing": 1}
    demo = Demo(session)
    this_year = demo.today.year
    rivers = _rivers(session, date(this_year - 1, 1, 1))
    general = general_chiefs(session, date(this_year - 1, 1, 1))
    demo.general_id = next((o.id for a, o in general if a.role == "general_chief"), 0)
    for r in rivers:
        chief_actor = Actor(role="chief", username="demo-chief", official_id=r.chief.id)
        liaison = Actor(role="liaison", username="demo-liaison", liaison_unit_id=r.unit.id)
        plan = create_plan(
            session,
            r.id,
            RiverPlanIn(
                title=f"{r.name}（乐山段）一河一策方案（{this_year - 1}—{this_year + 3}年）",
                period_start=this_year - 1,
                period_end=this_year + 3,
                summary="管理保护目标、问题清单、任务清单、责任清单与保障措施。",
            ),
            liaison,
            on=date(this_year - 2, 12, 1),
            is_synthetic=True,
        )
        step_plan(
            session,
            plan,
            "approve",
            chief_actor,
            date(this_year - 2, 12, 15),
            is_synthetic=True,
            backdate=True,
        )
        step_plan(
            session,
            plan,
            "issue",
            DEMO_OFFICE,
            date(this_year - 2, 12, 28),
            is_synthetic=True,
            backdate=True,
        )
        demo.count("river_plans")
    for year in (this_year - 1, this_year):
        demo.year(year, rivers)
        inspections(demo, year)
        accountability(demo, year)
    if demo.general_id:
        assessment(demo, this_year - 1)
    session.flush()
    return demo.counts
