"""Events the calendar produces, found once a day by ``riverchief remind`` (its hook
``after_remind``): overdue problems (the first overdue day, then every N days), decided
items coming due, chiefs falling behind on patrol duty, and each account's daily digest.

Every event key names its occasion (the due date, the N-day period, the day), so running
the scan twice a day, or on a day it already ran, queues nothing new.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from pydantic import JsonValue
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.governance.meetings.models import ActionItem
from service.notifications.channels.config import load_setups
from service.notifications.events import (
    accounts,
    assignee_name,
    problem_lines,
    staff_event,
)
from service.notifications.messages import EVENT_LABELS, message
from service.notifications.models import OutboxRow
from service.notifications.targets import account_targets, enqueue
from service.officials.models import Official
from service.officials.queries import liaison_unit_of, rivers_of_official
from service.problems.models import Problem
from service.problems.workflow import PROBLEM_FLOW, STATE_LABELS
from service.settings import get_settings
from service.todo.items import compliance_of, patrols_owed
from service.todo.models import Reminder

#: Lines of items in one digest before "… and N more".
DIGEST_MAX_LINES = 20


@dataclass
class ScanReport:
    """How many outbox rows each kind of event added."""

    queued: dict[str, int] = field(default_factory=dict)

    def add(self, event_type: str, ids: list[int]) -> None:
        self.queued[event_type] = self.queued.get(event_type, 0) + len(ids)

    @property
    def total(self) -> int:
        return sum(self.queued.values())


def _assignee_accounts(session: Session, county: str | None, unit: int | None) -> list[UserAccount]:
    users = accounts(session, county=county) if county else []
    return users + (accounts(session, unit=unit) if unit is not None else [])


def problems_overdue(session: Session, today: date, report: ScanReport) -> None:
    every = get_settings().notify_overdue_every_days
    rows = session.scalars(
        select(Problem)
        .where(PROBLEM_FLOW.overdue(Problem, today), Problem.is_synthetic.is_(False))
        .order_by(Problem.id)
    )
    for p in rows:
        assert p.due_date is not None
        days = (today - p.due_date).days
        period = (days - 1) // every
        who = assignee_name(session, p.assignee_county, p.assignee_unit_id)
        msg = message(
            "problem_overdue",
            f"问题 #{p.id} 已逾期 {days} 天（期限 {p.due_date.isoformat()}）",
            [
                *problem_lines(session, p),
                f"状态：{STATE_LABELS.get(p.state, p.state)}",
                f"责任单位：{who}",
            ],
            f"/#problem-{p.id}",
            sms={"id": f"#{p.id}", "days": days, "due": p.due_date.isoformat()},
            data={"problem_id": p.id, "due_date": p.due_date.isoformat(), "days_overdue": days},
        )
        key = f"problem_overdue:{p.id}:{p.due_date.isoformat()}:{period}"
        users = _assignee_accounts(session, p.assignee_county, p.assignee_unit_id)
        report.add("problem_overdue", staff_event(session, key, msg, users))


def action_items_due(session: Session, today: date, days: int, report: ScanReport) -> None:
    rows = session.scalars(
        select(ActionItem)
        .where(
            ActionItem.state.in_(("assigned", "supervised", "in_progress")),
            ActionItem.due_date.between(today, today + timedelta(days=days)),
            ActionItem.is_synthetic.is_(False),
        )
        .order_by(ActionItem.id)
    )
    for a in rows:
        assert a.due_date is not None
        who = assignee_name(session, a.assignee_county, a.assignee_unit_id)
        left = (a.due_date - today).days
        msg = message(
            "action_item_due",
            f"会议议定事项「{a.title}」{'今天' if left == 0 else f'{left} 天后'}到期",
            [f"责任单位：{who}", f"办理期限：{a.due_date.isoformat()}"],
            f"/#action-item-{a.id}",
            sms={"name": a.title, "due": a.due_date.isoformat()},
            data={"action_item_id": a.id, "due_date": a.due_date.isoformat()},
        )
        key = f"action_item_due:{a.id}:{a.due_date.isoformat()}"
        users = _assignee_accounts(session, a.assignee_county, a.assignee_unit_id)
        report.add("action_item_due", staff_event(session, key, msg, users))


def patrols_behind(session: Session, today: date, report: ScanReport) -> None:
    """A chief whose half-year or yearly patrol duty is unmet within the warning days of
    its deadline (or past it): the chief, the liaison units of their rivers, the groups."""
    warn = get_settings().notify_patrol_warn_days
    known = compliance_of(session, today)
    held_by, _rows = known
    for official_id in sorted(held_by):
        official = session.get(Official, official_id)
        if official is None:
            continue
        for item in patrols_owed(session, official_id, today, known=known):
            due: date = item["due_date"]
            if (due - today).days > warn:
                continue
            msg = message(
                "patrol_behind",
                f"{official.name}：{item['title']}，期限 {due.isoformat()}",
                [
                    f"河长：{official.name}",
                    f"期限：{due.isoformat()}" + ("（已过期）" if due < today else ""),
                ],
                "/#patrols",
                sms={"name": official.name, "due": due.isoformat()},
                data={"official_id": official_id, "due_date": due.isoformat()},
            )
            units = {
                u.id
                for rid in rivers_of_official(session, official_id, today)
                if (u := liaison_unit_of(session, rid, today)) is not None
            }
            users = accounts(session, official=official_id)
            for unit in sorted(units):
                users += accounts(session, unit=unit)
            key = f"patrol_behind:{item['key']}:{due.isoformat()}"
            report.add("patrol_behind", staff_event(session, key, msg, users))


def daily_digests(session: Session, today: date, report: ScanReport) -> None:
    """每日待办: one message per account with today's reminders and the notifications held
    for its digest; the webhook keeps receiving the reminders in their old shape."""
    setups = load_setups(session)
    reminders: dict[int, list[Reminder]] = {}
    for r in session.scalars(
        select(Reminder).where(Reminder.remind_on == today).order_by(Reminder.due_date, Reminder.id)
    ):
        reminders.setdefault(r.user_id, []).append(r)
    held: dict[int, list[OutboxRow]] = {}
    for row in session.scalars(
        select(OutboxRow).where(OutboxRow.state == "held").order_by(OutboxRow.id)
    ):
        if row.user_id is not None:
            held.setdefault(row.user_id, []).append(row)
    for user_id in sorted(set(reminders) | set(held)):
        user = session.get(UserAccount, user_id)
        if user is None or user.disabled:
            continue
        mine, kept = reminders.get(user_id, []), held.get(user_id, [])
        overdue = sum(r.overdue for r in mine)
        lines = [
            f"{r.title}（期限 {r.due_date.isoformat()}{'，已逾期' if r.overdue else ''}）"
            for r in mine[:DIGEST_MAX_LINES]
        ]
        if len(mine) > DIGEST_MAX_LINES:
            lines.append(f"……共 {len(mine)} 项")
        if kept:
            lines.append(f"另有 {len(kept)} 条通知：")
            lines += [
                f"{EVENT_LABELS.get(h.event_type, h.event_type)}：{h.payload.get('subject', '')}"
                for h in kept[:DIGEST_MAX_LINES]
            ]
        items: list[JsonValue] = [
            {
                "id": r.id,
                "username": user.username,
                "role": user.role,
                "kind": r.kind,
                "title": r.title,
                "due_date": r.due_date.isoformat(),
                "overdue": r.overdue,
                "link": r.link,
                "remind_on": r.remind_on.isoformat(),
            }
            for r in mine
        ]
        msg = message(
            "daily_digest",
            f"{today.isoformat()} 待办 {len(mine)} 项"
            + (f"，逾期 {overdue} 项" if overdue else ""),
            lines,
            "/#todo",
            sms={"count": len(mine), "overdue": overdue},
            data={
                "role": user.role,
                "reminders": items,
                "reminder_ids": [r.id for r in mine],
                "held_ids": [h.id for h in kept],
            },
        )
        targets = account_targets(session, [user], setups, digest=True)
        report.add(
            "daily_digest", enqueue(session, f"daily_digest:{user_id}:{today}", msg, targets)
        )


def after_remind(session: Session, today: date, days: int) -> ScanReport:
    """``riverchief remind``'s hook: queue every calendar event of ``today`` (the caller
    commits together with the reminders it recorded)."""
    report = ScanReport()
    problems_overdue(session, today, report)
    action_items_due(session, today, days, report)
    patrols_behind(session, today, report)
    daily_digests(session, today, report)
    session.flush()
    return report
