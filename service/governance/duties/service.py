"""Every periodic duty in the seed for one year, with its status and the evidence.

Status: ``met``; ``pending`` (not met yet, still due later); ``missed`` (not met by its due
day). Patrol duties come from the patrols' compliance query (``service.patrols.compliance``)
so the two never disagree. Due days the seed does not state are our reading, said in
``basis`` (e.g. the four lists by 31 March, the assessment by 31 March of the next year).
"""

from __future__ import annotations

import math
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.governance.accountability.models import AccountabilityRecord
from service.governance.agreements.models import AgreementParty, CooperationAgreement
from service.governance.assessment.models import AssessmentResult
from service.governance.documents import document_number
from service.governance.inspections.models import Inspection
from service.governance.meetings.models import ActionItem, Meeting, Minutes
from service.governance.meetings.workflow import ACTION_ITEM_FLOW
from service.officials.models import Assignment, LiaisonUnit
from service.officials.queries import active_on
from service.patrols.compliance import compliance
from service.patrols.models import Patrol
from service.settings import get_settings
from service.sql import load_sql
from service.timeutil import today_local, year_bounds


class Duties:
    """Collects duty rows for one year."""

    def __init__(self, session: Session, year: int, today: date) -> None:
        self.session, self.year, self.today = session, year, today
        self.start, self.end = year_bounds(year)
        self.rows: list[dict[str, Any]] = []

    def add(
        self,
        code: str,
        title: str,
        basis: str,
        subject: dict[str, Any],
        required: int,
        actual: int,
        due: date,
        evidence: dict[str, Any],
        met: bool | None = None,
    ) -> None:
        ok = actual >= required if met is None else met
        status = "met" if ok else ("pending" if self.today <= due else "missed")
        self.rows.append(
            {
                "code": code,
                "title": title,
                "basis": basis,
                "year": self.year,
                "subject": subject,
                "required": required,
                "actual": actual,
                "due": due.isoformat(),
                "status": status,
                "evidence": evidence,
            }
        )


def _patrol_ids(session: Session, chief_id: int, start: date, end: date) -> list[int]:
    return list(
        session.scalars(
            select(Patrol.id)
            .where(
                Patrol.chief_id == chief_id,
                Patrol.valid,
                Patrol.voided_at.is_(None),
                Patrol.patrol_date.between(start, end),
            )
            .order_by(Patrol.id)
        )
    )


def _patrols(d: Duties) -> None:
    """§4 general chief ≥ 1 a year; §6 municipal chiefs ≥ 3 a year and ≥ 1 each half."""
    for row in compliance(d.session, d.year, d.today):
        general = row.role == "general_chief"
        subject = {
            "kind": "official",
            "id": row.official_id,
            "name": row.name,
            "role": row.role,
        }
        ids = _patrol_ids(d.session, row.official_id, d.start, d.end)
        d.add(
            "general_chief_patrol" if general else "municipal_chief_patrols",
            "市总河长每年巡河不少于1次"
            if general
            else "市级河长每年巡河不少于3次、每半年不少于1次",
            "第四条" if general else "第六条",
            subject,
            row.required_total,
            row.total,
            d.end,
            {
                "h1": row.h1,
                "h2": row.h2,
                "required_h1": row.required_h1,
                "required_h2": row.required_h2,
                "missing": row.missing,
                "patrol_ids": ids,
                "source": "GET /api/v1/compliance",
            },
            met=row.compliant,
        )


def _meetings(d: Duties) -> None:
    """§5 ≥ 1 general chief meeting a year; §5, §8 minutes issued; decided items followed up."""
    meetings = d.session.scalars(
        select(Meeting).where(Meeting.held_on.between(d.start, d.end)).order_by(Meeting.id)
    ).all()
    general = [m.id for m in meetings if m.kind == "general" and m.held_on <= d.today]
    d.add(
        "general_chief_meeting",
        "市总河长每年至少召开1次总河长会议",
        "第五条",
        {"kind": "body", "name": "市总河长"},
        1,
        len(general),
        d.end,
        {"meeting_ids": general},
    )
    # §5 and §8 name the minutes of general, onsite and basin meetings.
    held = [
        m for m in meetings if m.held_on <= d.today and m.kind in ("general", "onsite", "basin")
    ]
    states = dict(
        d.session.execute(
            select(Minutes.meeting_id, Minutes.state).where(
                Minutes.meeting_id.in_([m.id for m in held])
            )
        ).all()
    )
    issued = [m.id for m in held if states.get(m.id) == "issued"]
    open_ids = [m.id for m in held if states.get(m.id) != "issued"]
    d.add(
        "minutes_issued",
        "会议纪要经河长审定后以市总河长办公室名义印发",
        "第五条、第八条",
        {"kind": "body", "name": "市总河长办公室"},
        len(held),
        len(issued),
        d.end,
        {
            "meetings_held": len(held),
            "issued_meeting_ids": issued,
            "not_issued_meeting_ids": open_ids,
        },
    )
    items = d.session.scalars(
        select(ActionItem)
        .where(ActionItem.due_date.between(d.start, d.end))
        .order_by(ActionItem.id)
    ).all()
    overdue = [i.id for i in items if ACTION_ITEM_FLOW.is_overdue(i, d.today)]
    done = [i.id for i in items if i.state in ACTION_ITEM_FLOW.done_states]
    reported = [i.id for i in items if i.state == "reported"]
    d.add(
        "action_items_followed_up",
        "会议议定事项分办督办、跟踪落实并向河长报告",
        "第四条、第五条、第八条",
        {"kind": "body", "name": "市总河长办公室、联络员单位"},
        len(items),
        len(reported),
        d.end,
        {
            "due_this_year": len(items),
            "done_ids": done,
            "reported_ids": reported,
            "overdue_ids": overdue,
        },
        met=not overdue and len(reported) == len(items),
    )


def _rivers(d: Duties) -> None:
    """§12 four lists issued per river (by 31 March, our reading), a plan in force; §13 health."""
    rows = d.session.execute(
        load_sql("duties_rivers"), {"year": d.year, "city_code": get_settings().focus_city_code}
    ).all()
    for r in rows:
        subject = {"kind": "river", "id": r.river_id, "name": r.name}
        issued = r.lists_state == "issued"
        d.add(
            "annual_lists_issued",
            "河流年度目标、问题、任务、责任“四张清单”经河长审定后印发",
            "第十二条（印发时限3月31日为本系统设定）",
            subject,
            1,
            int(issued),
            date(d.year, 3, 31),
            {
                "annual_list_id": r.lists_id,
                "state": r.lists_state,
                "document_number": r.lists_number,
                "issued_on": r.lists_issued_on.isoformat() if r.lists_issued_on else None,
            },
        )
        d.add(
            "river_plan_in_force",
            "一河（湖）一策管理保护方案（覆盖本年度）已印发",
            "第十二条",
            subject,
            1,
            len(r.plan_ids),
            date(d.year, 3, 31),
            {"river_plan_ids": list(r.plan_ids), "document_numbers": list(r.plan_numbers)},
        )
        if r.cross_boundary:
            d.add(
                "health_assessment",
                "跨界市级主要河流健康评价（按年度）",
                "第十三条（频次为本系统设定：每年）",
                subject,
                1,
                len(r.health_ids),
                d.end,
                {"health_assessment_ids": list(r.health_ids)},
            )


def _assessment(d: Duties) -> None:
    """§16 the year's assessment, issued by 31 March of the next year (our reading)."""
    row = d.session.scalar(select(AssessmentResult).where(AssessmentResult.year == d.year))
    number = None if row is None else document_number(d.session, row.document_id)
    d.add(
        "annual_assessment",
        "年度河湖长制工作考核并以市总河长办公室名义通报",
        "第十六条（通报时限次年3月31日为本系统设定）",
        {"kind": "body", "name": "市总河长办公室"},
        1,
        int(row is not None),
        date(d.year + 1, 3, 31),
        {
            "issued_on": row.issued_on.isoformat() if row else None,
            "document_number": number,
            "source": f"GET /api/v1/assessments/{d.year}",
        },
    )


def _inspections(d: Duties) -> None:
    """§15 the office inspects the city's work; each liaison unit its river (≥ 1 a year)."""
    rows = d.session.execute(
        select(Inspection.id, Inspection.organiser_unit_id).where(
            Inspection.inspected_on.between(d.start, min(d.end, d.today))
        )
    ).all()
    office = [i for i, unit in rows if unit is None]
    d.add(
        "office_inspection",
        "市河长制办公室组织开展全市河湖长制工作督查（每年至少1次，本系统设定）",
        "第十五条",
        {"kind": "body", "name": "市河长制办公室"},
        1,
        len(office),
        d.end,
        {"inspection_ids": sorted(office)},
    )
    units = d.session.execute(
        select(LiaisonUnit.id, LiaisonUnit.name)
        .join(Assignment, Assignment.liaison_unit_id == LiaisonUnit.id)
        .where(active_on(min(d.end, d.today)))
        .distinct()
        .order_by(LiaisonUnit.id)
    ).all()
    for unit_id, name in units:
        ids = sorted(i for i, unit in rows if unit == unit_id)
        d.add(
            "liaison_unit_inspection",
            "联络员单位组织开展责任河流河湖长制工作督查（每年至少1次，本系统设定）",
            "第十五条",
            {"kind": "liaison_unit", "id": unit_id, "name": name},
            1,
            len(ids),
            d.end,
            {"inspection_ids": ids},
        )


def _joint(d: Duties) -> None:
    """§10 joint meetings by rotation, as often as each agreement says."""
    agreements = d.session.scalars(
        select(CooperationAgreement)
        .where(
            CooperationAgreement.signed_on <= d.end,
            (CooperationAgreement.valid_until.is_(None))
            | (CooperationAgreement.valid_until >= d.start),
        )
        .order_by(CooperationAgreement.id)
    ).all()
    for a in agreements:
        required = max(1, math.floor(12 / max(1, a.meeting_interval_months)))
        ids = list(
            d.session.scalars(
                select(Meeting.id)
                .where(
                    Meeting.kind == "joint",
                    Meeting.agreement_id == a.id,
                    Meeting.held_on.between(d.start, min(d.end, d.today)),
                )
                .order_by(Meeting.id)
            )
        )
        parties = list(
            d.session.scalars(
                select(AgreementParty.city_code)
                .where(AgreementParty.agreement_id == a.id)
                .order_by(AgreementParty.rotation_order)
            )
        )
        d.add(
            "joint_meeting",
            "按合作协议轮流召集召开跨界河湖联席会议",
            "第十条",
            {"kind": "agreement", "id": a.id, "name": a.title},
            required,
            len(ids),
            d.end,
            {
                "meeting_ids": ids,
                "meeting_interval_months": a.meeting_interval_months,
                "rotation": parties,
            },
        )


def _admonitions(d: Duties) -> None:
    """§21 the office re-checks what each admonition interview demanded."""
    rows = d.session.execute(
        select(AccountabilityRecord.id, AccountabilityRecord.follow_up_on)
        .where(
            AccountabilityRecord.kind == "admonition",
            AccountabilityRecord.issued_on.between(d.start, d.end),
        )
        .order_by(AccountabilityRecord.id)
    ).all()
    done = [i for i, f in rows if f is not None]
    d.add(
        "admonition_follow_up",
        "约谈落实情况适时复核",
        "第二十一条",
        {"kind": "body", "name": "市河长制办公室"},
        len(rows),
        len(done),
        d.end,
        {"admonition_ids": [i for i, _ in rows], "rechecked_ids": done},
    )


def duties(session: Session, year: int, today: date | None = None) -> list[dict[str, Any]]:
    """Every periodic duty of ``year`` (see the module docstring)."""
    d = Duties(session, year, today or today_local())
    for part in (_patrols, _meetings, _rivers, _inspections, _joint, _assessment, _admonitions):
        part(d)
    return d.rows
