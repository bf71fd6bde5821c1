"""The personal to-do list (我的待办): what is the caller's to do, per role, with a due date.

Every item is an :class:`Item` ``{key, kind, title, due_date, link, overdue}`` (the route
adds ``reminded``); ``due_date`` is the last day
it may be done (a chief's yearly patrol duty: YYYY-12-31), ``key`` identifies the item for
reminders. Nothing here restates a rule: patrols owed come from
``service.patrols.compliance``, overdue from the workflows' own ``overdue``.

- chief: patrols still owed this year and this half-year, meetings to chair, minutes to approve;
- liaison: decided items assigned to the unit (and done ones to verify), problems assigned to
  it or rectified on its rivers, patrols to organise for its chiefs;
- office: public reports to moderate, rectifications to verify, overdue problems and items;
- county: problems and decided items assigned to the county;
- patrol: the problems they reported, while open, with their state;
- office and liaison: 水质异常 problems opened by a monitoring section, to assign
  (``service.water_quality.todo``). A supervised (督办) problem's title says so.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any, TypedDict

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.scope import Scope
from service.governance.meetings.models import ActionItem, Meeting, Minutes
from service.governance.meetings.workflow import ACTION_ITEM_FLOW
from service.officials.models import Assignment, Official
from service.officials.queries import active_on, municipal_chief
from service.patrols.compliance import Held, compliance, duties
from service.patrols.schemas import ComplianceRow
from service.problems.models import Problem
from service.problems.workflow import DONE_STATES, OPEN_STATES, PROBLEM_FLOW, STATE_LABELS
from service.public.models import PublicReport
from service.settings import get_settings
from service.timeutil import half_year_bounds, local_date
from service.water_quality.todo import exceedance_todo


class Item(TypedDict):
    """One thing to do (``schemas.TodoItem`` without ``reminded``)."""

    key: str
    kind: str
    title: str
    due_date: date
    link: str
    overdue: bool


HALF_NAMES = {1: "上半年", 2: "下半年"}


def _item(key: str, kind: str, title: str, due: date, link: str, today: date) -> Item:
    return Item(key=key, kind=kind, title=title, due_date=due, link=link, overdue=due < today)


#: This year's duties (official -> role and days held) and compliance rows.
Compliance = tuple[dict[int, tuple[str, Held]], list[ComplianceRow]]


def compliance_of(session: Session, today: date) -> Compliance:
    """This year's duties and compliance rows, computed once for several officials."""
    return duties(session, today.year), compliance(session, today.year, today)


def patrols_owed(
    session: Session,
    official_id: int,
    today: date,
    *,
    organiser: str | None = None,
    known: Compliance | None = None,
) -> list[Item]:
    """Patrols the official still owes this half-year and this year, from the compliance
    rules; each due on the last day of the period the official holds the post in.
    ``organiser``: the liaison unit's view (kind ``patrol_organise``, the chief named)."""
    year = today.year
    held_by, rows = known or compliance_of(session, today)
    found = held_by.get(official_id)
    row = next((r for r in rows if r.official_id == official_id), None)
    if found is None or row is None:
        return []
    held = found[1]
    prefix = f"组织{organiser}巡河：" if organiser else ""
    key_prefix = "organise:" if organiser else ""
    kinds = ("patrol_organise",) * 2 if organiser else ("patrol_half", "patrol_year")
    items: list[Item] = []
    half = 1 if today.month <= 6 else 2
    lo, hi = half_year_bounds(year, half)
    need_half = max(0, (row.required_h1 - row.h1) if half == 1 else (row.required_h2 - row.h2))
    if need_half:
        due = held.last_day_in(lo, hi) or hi
        items.append(
            _item(
                f"{key_prefix}patrol:{official_id}:{year}H{half}",
                kinds[0],
                f"{prefix}{year}年{HALF_NAMES[half]}还需巡河 {need_half} 次"
                f"（每半年至少 {row.required_per_half} 次）",
                due,
                "/#patrols",
                today,
            )
        )
    need_year = max(0, row.required_total - row.total)
    if need_year:
        due = held.last_day_in(date(year, 1, 1), date(year, 12, 31)) or date(year, 12, 31)
        items.append(
            _item(
                f"{key_prefix}patrol:{official_id}:{year}",
                kinds[1],
                f"{prefix}{year}年还需巡河 {need_year} 次（全年至少 {row.required_total} 次，"
                f"已巡 {row.total} 次）",
                due,
                "/#patrols",
                today,
            )
        )
    return items


def _problem_item(p: Problem, kind: str, title: str, due: date, today: date) -> Item:
    mark = "【督办】" if p.supervised_at is not None else ""  # chased again (e.g. issue 20)
    return _item(f"problem:{p.id}:{kind}", kind, mark + title, due, f"/#problem-{p.id}", today)


def _problem_due(p: Problem) -> date:
    # A reopened problem has no due date until it is assigned again: it waits from the day
    # it changed state.
    if p.due_date is not None:
        return p.due_date
    return local_date(p.state_changed_at or p.reported_at)


def _action_items(session: Session, cond: Any, today: date) -> list[Item]:
    rows = session.scalars(
        select(ActionItem).where(
            cond, ActionItem.state.in_(("assigned", "supervised", "in_progress"))
        )
    ).all()
    return [
        _item(
            f"action_item:{a.id}",
            "action_item",
            f"会议议定事项：{a.title}",
            a.due_date or local_date(a.created_at),
            f"/#action-item-{a.id}",
            today,
        )
        for a in rows
    ]


def chief_items(session: Session, user: Scope, today: date) -> list[Item]:
    if user.official_id is None:
        return []
    items = patrols_owed(session, user.official_id, today)
    for m in session.scalars(
        select(Meeting).where(
            Meeting.chair_official_id == user.official_id, Meeting.held_on >= today
        )
    ):
        items.append(
            _item(
                f"meeting:{m.id}",
                "meeting_chair",
                f"主持会议：{m.title}",
                m.held_on,
                f"/#meeting-{m.id}",
                today,
            )
        )
    approve_days = get_settings().minutes_approval_days
    for minutes, meeting in session.execute(
        select(Minutes, Meeting)
        .join(Meeting, Meeting.id == Minutes.meeting_id)
        .where(Meeting.chair_official_id == user.official_id, Minutes.state == "drafted")
    ):
        due = minutes.due_date or (
            local_date(minutes.state_changed_at or minutes.created_at)
            + timedelta(days=approve_days)
        )
        items.append(
            _item(
                f"minutes:{minutes.id}",
                "minutes_approve",
                f"审定会议纪要：{meeting.title}",
                due,
                f"/#meeting-{meeting.id}",
                today,
            )
        )
    return items


def liaison_items(session: Session, user: Scope, today: date) -> list[Item]:
    unit = user.liaison_unit_id
    if unit is None:
        return []
    items = _action_items(session, ActionItem.assignee_unit_id == unit, today)
    for a in session.scalars(
        select(ActionItem).where(ActionItem.supervisor_unit_id == unit, ActionItem.state == "done")
    ):
        items.append(
            _item(
                f"action_item:{a.id}:verify",
                "action_item_verify",
                f"复核会议议定事项：{a.title}",
                local_date(a.state_changed_at or a.created_at),
                f"/#action-item-{a.id}",
                today,
            )
        )
    for p in session.scalars(
        select(Problem).where(
            Problem.assignee_unit_id == unit, Problem.state.not_in(sorted(DONE_STATES))
        )
    ):
        items.append(
            _problem_item(
                p,
                "problem_assigned",
                f"整改问题 #{p.id}（{STATE_LABELS[p.state]}）",
                _problem_due(p),
                today,
            )
        )
    items += _verify_items(session, today, Problem.liaison_unit_id == unit)
    # Patrols to organise: for the municipal chiefs of the rivers this unit serves (§6).
    rivers = session.scalars(
        select(Assignment.river_id)
        .where(
            Assignment.liaison_unit_id == unit, Assignment.river_id.is_not(None), active_on(today)
        )
        .distinct()
    ).all()
    chiefs: dict[int, Official] = {}
    for river_id in rivers:
        assert river_id is not None
        chief = municipal_chief(session, river_id, today)
        if chief is not None:
            chiefs[chief.id] = chief
    known = compliance_of(session, today) if chiefs else None
    for chief in chiefs.values():
        items += patrols_owed(session, chief.id, today, organiser=chief.name, known=known)
    return items


def _verify_items(session: Session, today: date, cond: Any) -> list[Item]:
    days = get_settings().rectification_verify_days
    return [
        _problem_item(
            p,
            "problem_verify",
            f"复核整改：问题 #{p.id}",
            local_date(p.state_changed_at or p.reported_at) + timedelta(days=days),
            today,
        )
        for p in session.scalars(select(Problem).where(cond, Problem.state == "rectified"))
    ]


def office_items(session: Session, user: Scope, today: date) -> list[Item]:
    items = [
        _item(
            f"public_report:{r.id}",
            "report_moderate",
            f"审核公众举报 {r.code}",
            r.due_date or local_date(r.submitted_at),
            f"/report#moderate-{r.id}",
            today,
        )
        for r in session.scalars(
            select(PublicReport)
            .where(PublicReport.state == "pending")
            .order_by(PublicReport.submitted_at)
        )
    ]
    items += _verify_items(session, today, Problem.id.is_not(None))
    for p in session.scalars(select(Problem).where(PROBLEM_FLOW.overdue(Problem, today))):
        items.append(
            _problem_item(
                p,
                "problem_overdue",
                f"逾期问题 #{p.id}（{STATE_LABELS[p.state]}）",
                _problem_due(p),
                today,
            )
        )
    for a in session.scalars(select(ActionItem).where(ACTION_ITEM_FLOW.overdue(ActionItem, today))):
        items.append(
            _item(
                f"action_item:{a.id}:overdue",
                "action_item_overdue",
                f"逾期会议议定事项：{a.title}",
                a.due_date or today,
                f"/#action-item-{a.id}",
                today,
            )
        )
    return items


def county_items(session: Session, user: Scope, today: date) -> list[Item]:
    county = user.county_code
    if county is None:
        return []
    items = [
        _problem_item(
            p,
            "problem_assigned",
            f"整改问题 #{p.id}（{STATE_LABELS[p.state]}）",
            _problem_due(p),
            today,
        )
        for p in session.scalars(
            select(Problem).where(
                Problem.assignee_county == county, Problem.state.not_in(sorted(DONE_STATES))
            )
        )
    ]
    return items + _action_items(session, ActionItem.assignee_county == county, today)


def patrol_items(session: Session, user: Scope, today: date) -> list[Item]:
    return [
        _problem_item(
            p,
            "problem_reported",
            f"我上报的问题 #{p.id}：{STATE_LABELS[p.state]}",
            _problem_due(p),
            today,
        )
        for p in session.scalars(
            select(Problem).where(
                Problem.reporter_id == user.id, Problem.state.in_(sorted(OPEN_STATES))
            )
        )
    ]


BY_ROLE = {
    "chief": chief_items,
    "liaison": liaison_items,
    "office": office_items,
    "county": county_items,
    "patrol": patrol_items,
}


def todo_items(session: Session, user: Scope, today: date) -> list[Item]:
    """The account's to-do items, earliest due first (a neighbour city's account has none)."""
    build = BY_ROLE.get(user.role or "")
    items = build(session, user, today) if build is not None else []
    items += [
        _item(t.key, "water_quality", t.title, t.due_date, t.link, today)
        for t in exceedance_todo(session, user)
    ]
    return sorted(items, key=lambda i: (i["due_date"], i["kind"], i["key"]))
