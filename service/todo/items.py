"""The personal to-do list (我的待办): what is the caller's to do, per role, with a due date.

Every item is an :class:`Item` ``{key, kind, title, due_date, link, overdue}`` (the route
adds ``reminded``); ``due_date`` is the last day
it may be done (a chief's yearly patrol duty: YYYY-12-31), ``key`` identifies the item for
reminders. Nothing here restates a rule: patrols owed come from
``service.patrols.compliance``, overdue from the workflows' own ``overdue``.

- chief: patrols still owed by the rules of their level (this half-year and year for a
  municipal chief, this quarter, month or week for county, township and village chiefs, and
  the periods they missed), meetings to chair, minutes to approve;
- liaison: decided items assigned to the unit (and done ones to verify), problems assigned to
  it or rectified on its rivers, patrols to organise for its chiefs;
- office: public reports to moderate, rectifications to verify, overdue problems and items;
- county: problems and decided items assigned to the county;
- township: problems assigned to the township office, and the patrols its township and
  village chiefs still owe this period (and periods they missed);
- patrol: the problems they reported, while open, with their state;
- office and liaison: 水质异常 problems opened by a monitoring section, to assign
  (``service.water_quality.todo``). A supervised (督办) problem's title says so.
"""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.scope import Scope
from service.governance.meetings.models import ActionItem, Meeting, Minutes
from service.governance.meetings.workflow import ACTION_ITEM_FLOW
from service.officials.models import Assignment, Official
from service.officials.queries import active_on, municipal_chief
from service.problems.models import Problem
from service.problems.workflow import DONE_STATES, OPEN_STATES, PROBLEM_FLOW, STATE_LABELS
from service.public.models import PublicReport
from service.reaches.models import Reach
from service.settings import get_settings
from service.timeutil import local_date
from service.todo.patrol_items import Item, compliance_of, item, patrols_owed
from service.water_quality.todo import exceedance_todo

__all__ = ["Item", "compliance_of", "patrols_owed", "todo_items"]


def _item(key: str, kind: str, title: str, due: date, link: str, today: date) -> Item:
    return item(key, kind, title, due, link, today)


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


def _assigned_problems(session: Session, cond: Any, today: date) -> list[Item]:
    """Problems assigned to the caller's body (``cond``) and not yet rectified."""
    return [
        _problem_item(
            p,
            "problem_assigned",
            f"整改问题 #{p.id}（{STATE_LABELS[p.state]}）",
            _problem_due(p),
            today,
        )
        for p in session.scalars(
            select(Problem).where(cond, Problem.state.not_in(sorted(DONE_STATES)))
        )
    ]


def county_items(session: Session, user: Scope, today: date) -> list[Item]:
    county = user.county_code
    if county is None:
        return []
    items = _assigned_problems(session, Problem.assignee_county == county, today)
    return items + _action_items(session, ActionItem.assignee_county == county, today)


def township_items(session: Session, user: Scope, today: date) -> list[Item]:
    """A township office: problems assigned to it, and the patrols its township and village
    chiefs still owe (the township office organises them, as a liaison unit does for the
    municipal chiefs)."""
    town = user.township_code
    if town is None:
        return []
    items = _assigned_problems(session, Problem.assignee_township == town, today)
    chiefs = session.execute(
        select(Official.id, Official.name)
        .join(Assignment, Assignment.official_id == Official.id)
        .join(Reach, Reach.id == Assignment.reach_id)
        .where(Reach.admin_code == town, Assignment.role == "river_chief", active_on(today))
        .distinct()
        .order_by(Official.id)
    ).all()
    known = compliance_of(session, today) if chiefs else None
    for official_id, name in chiefs:
        items += patrols_owed(session, official_id, today, organiser=name, known=known)
    return items


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
    "township": township_items,
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
