"""Reminders: record to-do items due within N days or overdue, and hand them to a webhook.

``riverchief remind`` runs this once a day (cron or a systemd timer, docs/reminders.md). Rows
are unique per account, item and day, so a second run on the same day records nothing new.
If ``RIVERCHIEF_REMINDER_WEBHOOK_URL`` is set, the day's reminders not yet accepted by the
webhook are POSTed to it as one JSON document; a deployment forwards them to SMS or WeChat
Work without riverchief depending on either. A failed delivery leaves them unsent, and the
next run of the day sends them again.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.auth.scope import Scope
from service.settings import get_settings
from service.timeutil import now_utc, today_local
from service.todo.items import Item, todo_items
from service.todo.models import Reminder

#: Reminders shown with the to-do list: those recorded in the last week.
SHOWN_DAYS = 7


@dataclass
class RemindResult:
    recorded: int
    sent: int
    webhook_error: str | None = None


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


def payload(session: Session, rows: list[Reminder]) -> dict[str, Any]:
    """The webhook body: one entry per reminder with the account it is for."""
    users = {
        u.id: u
        for u in session.scalars(
            select(UserAccount).where(UserAccount.id.in_({r.user_id for r in rows}))
        )
    }
    return {
        "source": "riverchief",
        "reminders": [
            {
                "id": r.id,
                "username": users[r.user_id].username,
                "role": users[r.user_id].role,
                "kind": r.kind,
                "title": r.title,
                "due_date": r.due_date.isoformat(),
                "overdue": r.overdue,
                "link": r.link,
                "remind_on": r.remind_on.isoformat(),
            }
            for r in rows
        ],
    }


def send(session: Session, today: date) -> tuple[int, str | None]:
    """POST today's unsent reminders to the webhook (if set); (sent, error or None)."""
    settings = get_settings()
    url = settings.reminder_webhook_url
    if not url:
        return 0, None
    rows = list(
        session.scalars(
            select(Reminder)
            .where(Reminder.remind_on == today, Reminder.sent_at.is_(None))
            .order_by(Reminder.id)
        )
    )
    if not rows:
        return 0, None
    try:
        response = httpx.post(
            url, json=payload(session, rows), timeout=settings.reminder_webhook_timeout_s
        )
    except httpx.HTTPError as exc:
        return 0, f"webhook {url} unreachable: {exc}"
    if not response.is_success:
        return 0, f"webhook {url} answered {response.status_code}"
    sent_at = now_utc()
    for row in rows:
        row.sent_at = sent_at
    session.flush()
    return len(rows), None


def remind(session: Session, days: int | None = None, today: date | None = None) -> RemindResult:
    """Record and send; the caller commits (recorded rows stay even if the webhook fails)."""
    today = today or today_local()
    days = get_settings().reminder_days if days is None else days
    recorded = record(session, days, today)
    sent, error = send(session, today)
    return RemindResult(recorded=recorded, sent=sent, webhook_error=error)


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
