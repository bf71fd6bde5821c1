"""Compute the annual assessment of every county from the score sheet and the database.

Each computed item returns its points and the evidence it used: the counts and the ids of
the rows counted, so a county can check every point against the data. Problem numbers come
from the problems' own summary (``service.problems.summary``) and overdue rule (the workflow
engine's); patrols from ``service/sql/assessment_county_patrols.sql``.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import InvalidInput
from service.governance.accountability.models import AccountabilityRecord, Commendation
from service.governance.assessment.models import AssessmentManualScore
from service.governance.assessment.sheet import SheetItem, load_sheet
from service.governance.common import counties
from service.governance.inspections.models import Inspection, InspectionFinding
from service.governance.meetings.models import ActionItem
from service.governance.meetings.workflow import ACTION_ITEM_FLOW
from service.problems.models import Problem
from service.problems.summary import summary as problem_summary
from service.problems.workflow import DONE_STATES, PROBLEM_FLOW
from service.settings import get_settings
from service.sql import load_sql
from service.timeutil import day_range_utc, today_local, year_bounds

Evidence = dict[str, Any]


def sheet() -> tuple[SheetItem, ...]:
    return load_sheet(get_settings().assessment_sheet)


def _share(max_points: float, good: int, base: int) -> float:
    return round(max_points * good / base, 2) if base else float(max_points)


class Facts:
    """Everything the sheet needs for one year, read once for all counties."""

    def __init__(self, session: Session, year: int, as_of: date) -> None:
        self.session, self.year, self.as_of = session, year, as_of
        self.start, self.end = year_bounds(year)
        self.problems = {c.county_code: c for c in problem_summary(session, year).counties}
        t0, t1 = day_range_utc(self.start, self.end)
        self.problem_rows = session.execute(
            select(
                Problem.id,
                Problem.county_code,
                Problem.state,
                PROBLEM_FLOW.overdue(Problem, as_of).label("overdue"),
            )
            .where(Problem.observed_at >= t0, Problem.observed_at < t1)
            .order_by(Problem.id)
        ).all()
        self.patrols = session.execute(load_sql("assessment_county_patrols"), {"year": year}).all()
        self.items = session.execute(
            select(
                ActionItem.id,
                ActionItem.assignee_county,
                ActionItem.state,
                ActionItem.due_date,
                ActionItem.done_on,
            )
            .where(
                ActionItem.assignee_county.is_not(None),
                ActionItem.due_date.between(self.start, self.end),
            )
            .order_by(ActionItem.id)
        ).all()
        self.findings = session.execute(
            select(
                InspectionFinding.id,
                InspectionFinding.handed_to_county,
                InspectionFinding.problem_id,
                Problem.state,
            )
            .join(Inspection, Inspection.id == InspectionFinding.inspection_id)
            .outerjoin(Problem, Problem.id == InspectionFinding.problem_id)
            .where(Inspection.inspected_on.between(self.start, self.end))
            .order_by(InspectionFinding.id)
        ).all()
        self.records = session.execute(
            select(
                AccountabilityRecord.id, AccountabilityRecord.county_code, AccountabilityRecord.kind
            )
            .where(
                AccountabilityRecord.issued_on.between(self.start, self.end),
                AccountabilityRecord.county_code.is_not(None),
            )
            .order_by(AccountabilityRecord.id)
        ).all()
        self.awards = session.execute(
            select(Commendation.id, Commendation.county_code, Commendation.kind)
            .where(
                Commendation.awarded_on.between(self.start, self.end),
                Commendation.county_code.is_not(None),
            )
            .order_by(Commendation.id)
        ).all()
        self.manual = {
            (m.county_code, m.item): m
            for m in session.scalars(
                select(AssessmentManualScore).where(AssessmentManualScore.year == year)
            )
        }


def _patrol_compliance(f: Facts, county: str, item: SheetItem) -> tuple[float, Evidence]:
    need = int(item.params.get("per_quarter", 1))
    chiefs: dict[int, dict[str, Any]] = {}
    for r in f.patrols:
        if r.county_code != county:
            continue
        c = chiefs.setdefault(
            r.official_id,
            {"official_id": r.official_id, "name": r.name, "quarters": [], "patrol_ids": []},
        )
        # A quarter is owed if it has ended and the chief held the post for over half of it.
        owed = r.q_end <= f.as_of and 2 * r.held_days > r.q_days
        c["quarters"].append({"quarter": r.quarter, "owed": owed, "patrols": r.patrols})
        c["patrol_ids"].extend(r.patrol_ids)
    for c in chiefs.values():
        c["compliant"] = all(q["patrols"] >= need for q in c["quarters"] if q["owed"])
    judged = [c for c in chiefs.values() if any(q["owed"] for q in c["quarters"])]
    good = sum(1 for c in judged if c["compliant"])
    return _share(item.max, good, len(judged)), {
        "rule": f"每名县级河长每季度巡河不少于{need}次（有效巡河）；得分=满分×达标人数/应考核人数",
        "chiefs_judged": len(judged),
        "chiefs_compliant": good,
        "chiefs": sorted(chiefs.values(), key=lambda c: c["official_id"]),
    }


def _rectification(f: Facts, county: str, item: SheetItem) -> tuple[float, Evidence]:
    s = f.problems.get(county)
    judged, on_time = (s.judged, s.on_time) if s is not None else (0, 0)
    ids = [r.id for r in f.problem_rows if r.county_code == county]
    return _share(item.max, on_time, judged), {
        "rule": "得分=满分×按时整改数/应判定数（问题汇总口径）",
        "judged": judged,
        "on_time": on_time,
        "on_time_rate": s.on_time_rate if s is not None else None,
        "problem_ids": ids,
    }


def _overdue(f: Facts, county: str, item: SheetItem) -> tuple[float, Evidence]:
    per = float(item.params.get("per_problem", 2))
    ids = [r.id for r in f.problem_rows if r.county_code == county and r.overdue]
    return max(0.0, item.max - per * len(ids)), {
        "rule": f"每个逾期未整改问题扣{per:g}分，扣完为止",
        "as_of": f.as_of.isoformat(),
        "overdue": len(ids),
        "problem_ids": ids,
    }


def _action_items(f: Facts, county: str, item: SheetItem) -> tuple[float, Evidence]:
    due = [r for r in f.items if r.assignee_county == county and r.due_date <= f.as_of]
    on_time = [
        r.id
        for r in due
        if r.state in ACTION_ITEM_FLOW.done_states
        and r.done_on is not None
        and r.done_on <= r.due_date
    ]
    late = [r.id for r in due if r.id not in on_time]
    return _share(item.max, len(on_time), len(due)), {
        "rule": "得分=满分×按期办结的议定事项数/已到期议定事项数",
        "due": len(due),
        "done_on_time": len(on_time),
        "action_item_ids_on_time": on_time,
        "action_item_ids_late_or_open": late,
    }


def _findings(f: Facts, county: str, item: SheetItem) -> tuple[float, Evidence]:
    rows = [r for r in f.findings if r.handed_to_county == county]
    done = [r.id for r in rows if r.state in DONE_STATES and r.state != "closed_not_fixed"]
    return _share(item.max, len(done), len(rows)), {
        "rule": "得分=满分×已整改的督查发现问题数/督查交办问题数",
        "findings": len(rows),
        "rectified": len(done),
        "finding_ids": [r.id for r in rows],
        "problem_ids": [r.problem_id for r in rows],
    }


def _manual(f: Facts, county: str, item: SheetItem) -> tuple[float, Evidence]:
    m = f.manual.get((county, item.code))
    if m is None:
        return 0.0, {"rule": "考核组评分", "scored": False}
    return float(m.points), {
        "rule": "考核组评分",
        "scored": True,
        "manual_score_id": m.id,
        "note": m.note,
        "entered_by": m.entered_by,
    }


def _deductions(f: Facts, county: str, item: SheetItem) -> tuple[float, Evidence]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for r in f.records:
        if r.county_code == county and r.kind in ("reminder", "circular", "admonition"):
            by_kind[r.kind].append(r.id)
    raw = sum(float(item.params.get(k, 0)) * len(v) for k, v in by_kind.items())
    cap = float(item.params.get("cap", raw))
    w = {k: float(item.params.get(k, 0)) for k in ("reminder", "circular", "admonition")}
    rule = (
        f"提示{w['reminder']:g}分、通报{w['circular']:g}分、约谈{w['admonition']:g}分/次，"
        f"最多扣{cap:g}分"
    )
    return -min(raw, cap), {
        "rule": rule,
        "counts": {k: len(by_kind.get(k, [])) for k in ("reminder", "circular", "admonition")},
        "accountability_record_ids": {k: v for k, v in sorted(by_kind.items())},
    }


def _commendations(f: Facts, county: str, item: SheetItem) -> tuple[float, Evidence]:
    by_kind: dict[str, list[int]] = defaultdict(list)
    for r in f.awards:
        if r.county_code == county:
            by_kind[r.kind].append(r.id)
    raw = sum(float(item.params.get(k, 0)) * len(v) for k, v in by_kind.items())
    return min(raw, item.max), {
        "rule": f"表彰、表扬、激励按次加分，最多加{item.max:g}分",
        "counts": {k: len(v) for k, v in sorted(by_kind.items())},
        "commendation_ids": {k: v for k, v in sorted(by_kind.items())},
    }


METHODS = {
    "patrol_compliance": _patrol_compliance,
    "rectification_on_time": _rectification,
    "overdue_problems": _overdue,
    "action_items_done": _action_items,
    "inspection_findings": _findings,
    "manual": _manual,
    "deductions": _deductions,
    "commendations": _commendations,
}


def assess(session: Session, year: int, as_of: date | None = None) -> dict[str, Any]:
    """``{"year", "counties": [{county_code, county_name, score, rank, items}]}``, ranked.

    ``as_of`` (default today) decides what is due or overdue; for a past year the data as it
    stands today is used. Equal scores share a rank (1, 2, 2, 4).
    """
    if not 2000 <= year <= 2100:
        raise InvalidInput(f"year {year} is out of range 2000-2100")
    today = today_local()
    # A closed year is judged as at its last day at the latest (nothing falls due after it).
    as_of = as_of or today
    if year < today.year:
        as_of = min(as_of, year_bounds(year)[1])
    facts = Facts(session, year, as_of)
    out: list[dict[str, Any]] = []
    for code, name in counties(session):
        items: list[dict[str, Any]] = []
        for item in sheet():
            points, evidence = METHODS[item.method](facts, code, item)
            items.append(
                {
                    "item": item.label,
                    "points": round(points, 2),
                    "max": item.max,
                    "evidence": {"code": item.code, "method": item.method, **evidence},
                }
            )
        score = round(sum(i["points"] for i in items), 2)
        out.append(
            {"county_code": code, "county_name": name, "score": score, "rank": 0, "items": items}
        )
    out.sort(key=lambda c: (-c["score"], c["county_code"]))
    for i, c in enumerate(out):
        c["rank"] = out[i - 1]["rank"] if i and out[i - 1]["score"] == c["score"] else i + 1
    return {"year": year, "counties": out}
