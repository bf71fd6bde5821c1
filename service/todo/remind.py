"""Reminders: record to-do items due within N days or overdue, and announce the day.

``riverchief remind`` runs this once a day (cron or a systemd timer, docs/reminders.md). Rows
are unique per account, item and day, so a second run on the same day records nothing new.
It sends nothing itself: it emits ``todo.remind``, and the notifications domain queues each
account's daily digest (and the calendar's other events) in its outbox, which
``riverchief notify run`` delivers; a reminder is ``sent`` once a digest carrying it was.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.settings import get_settings
from service.timeutil import today_local
from service.todo.items import Item, todo_items
from service.todo.models import Reminder

#: Reminders shown with the to-do list: those recorded in the last week.
SHOWN_DAYS = 7


@dataclass
class RemindResult:
    recorded: int
    #: Notifications queued in the outbox (digests, overdue, coming due, patrols behind).
    queued: int


def due_soon(items: list[Item], today: date, days: int) -> list[Item]:
    """Items due on or before ``today + days`` (overdue ones included)."""
    limit = today + timedelta(days=days)
    return [i for i in items if i["due_date"] <= limit]


def record(session: Session, days: int, today: date) -> int:
    """Record today's reminders for every active account; returns how many are new."""
    recorded = 0
    for user in session.scalars(
        select(UserAccount).where(UserAccount.disabled.is_(False)).order_by(UserAccount.id)
    ):
        for item in due_soon(todo_items(session, Scope.of(user), today), today, days):
            new_id = session.execute(
                insert(Reminder)
                .values(
                    user_id=user.id,
                    item_key=item["key"][:80],
                    kind=item["kind"],
                    title=item["title"],
                    due_date=item["due_date"],
                    link=item["link"],
                    overdue=item["overdue"],
                    remind_on=today,
                )
                .on_conflict_do_nothing(constraint="uq_reminder_item_day")
                .returning(Reminder.id)
            ).scalar()
            recorded += new_id is not None
    session.flush()
    return recorded


#: The domain event emitted after the day's reminders are recorded (``service.domains``:
#: ``on_events``); notifications turn it into the calendar's events and the daily digests.
REMIND_EVENT = "todo.remind"


@dataclass(frozen=True)
class Reminded:
    today: date
    days: int


def remind(session: Session, days: int | None = None, today: date | None = None) -> RemindResult:
    """Record today's reminders and let the declared hooks queue what they mean (the outbox
    of ``service.notifications`` sends them); the caller commits."""
    today = today or today_local()
    days = get_settings().reminder_days if days is None else days
    recorded = record(session, days, today)
    from service.domains import compose

    results = compose().emit(session, REMIND_EVENT, Reminded(today, days))
    queued = sum(int(getattr(r, "total", 0)) for r in results)
    return RemindResult(recorded=recorded, queued=queued)


def recent_reminders(session: Session, user_id: int, today: date) -> list[Reminder]:
    """The account's reminders of the last week, newest first (shown with the to-do)."""
    return list(
        session.scalars(
            select(Reminder)
            .where(
                Reminder.user_id == user_id, Reminder.remind_on > today - timedelta(days=SHOWN_DAYS)
            )
            .order_by(Reminder.remind_on.desc(), Reminder.due_date, Reminder.id)
        )
    )
