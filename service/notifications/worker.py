"""The outbox worker: ``riverchief notify run`` (loops) and ``riverchief notify run --once``.

Each row is claimed in its own transaction with ``SELECT … FOR UPDATE SKIP LOCKED`` (so
several workers never take the same row), sent while the lock is held, and its outcome
(sent / retry later / failed) written and committed in that same transaction.

**The crash window.** If the process dies after the provider accepted a message and
before that COMMIT, the lock goes with the connection and the row is still ``pending``:
the next run sends it again. The window is one message's round trip plus one commit,
and the message carries its row's key where the provider can use it (e-mail
``Message-ID``, webhook ``Idempotency-Key``, Aliyun ``OutId``). Committing "sending"
before the send would close it, at the price of messages that are never sent at all;
for notices of work to do, a rare repeat after a crash is the lesser harm. Everything
else is never repeated: a provider's error answer means nothing was sent (retried with
back-off until ``RIVERCHIEF_NOTIFY_MAX_ATTEMPTS``), and an answer that never came after
the request went out is marked failed, not retried, because it may have arrived
(``service.notifications.channels.base``).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.notifications.channels.base import Channel, DeliveryError
from service.notifications.channels.config import build, load_setups
from service.notifications.messages import Message
from service.notifications.models import OutboxAttempt, OutboxRow
from service.notifications.targets import prefs_of, quiet_until
from service.settings import get_settings
from service.timeutil import now_utc
from service.todo.models import Reminder

SessionFactory = Callable[[], AbstractContextManager[Session]]


@dataclass
class RunReport:
    sent: int = 0
    retried: int = 0
    failed: int = 0
    deferred: int = 0
    cancelled: int = 0

    @property
    def handled(self) -> int:
        return self.sent + self.retried + self.failed + self.deferred + self.cancelled


OUTCOME_FIELDS = {
    "sent": "sent",
    "retry": "retried",
    "failed": "failed",
    "deferred": "deferred",
    "cancelled": "cancelled",
}


def backoff(attempts: int) -> timedelta:
    """Wait before try ``attempts + 1``: the base doubled per try, capped."""
    s = get_settings()
    return timedelta(
        seconds=min(s.notify_backoff_s * 2 ** max(attempts - 1, 0), s.notify_backoff_max_s)
    )


def claim_next(session: Session, now: datetime, skip: set[int]) -> OutboxRow | None:
    """Lock the next due row no other worker holds (None when nothing is due)."""
    q = select(OutboxRow).where(OutboxRow.state == "pending", OutboxRow.next_attempt_at <= now)
    if skip:
        q = q.where(OutboxRow.id.not_in(skip))
    q = q.order_by(OutboxRow.next_attempt_at, OutboxRow.id).limit(1)
    return session.scalars(q.with_for_update(skip_locked=True)).first()


def _after_sent(session: Session, row: OutboxRow, now: datetime) -> None:
    """A digest went out: the notifications it carried and the reminders it listed too."""
    if row.event_type != "daily_digest":
        return
    data = row.payload.get("data", {})
    held = [int(i) for i in data.get("held_ids", [])]
    if held:
        session.execute(
            update(OutboxRow)
            .where(
                OutboxRow.id.in_(held), OutboxRow.state == "held", OutboxRow.channel == row.channel
            )
            .values(state="digested", digest_id=row.id, sent_at=now)
        )
    reminders = [int(i) for i in data.get("reminder_ids", [])]
    if reminders:
        session.execute(
            update(Reminder)
            .where(Reminder.id.in_(reminders), Reminder.sent_at.is_(None))
            .values(sent_at=now)
        )


def deliver(
    session: Session, row: OutboxRow, channels: dict[str, Channel | None], now: datetime
) -> str:
    """Try one claimed row and record the outcome: sent / retry / failed / deferred (quiet
    hours) / cancelled (the account was disabled since)."""
    if row.user_id is not None:
        user = session.get(UserAccount, row.user_id)
        if user is None or user.disabled:
            row.state, row.last_error = "cancelled", "the account is disabled"
            return "cancelled"
        p = prefs_of(session, [row.user_id]).get(row.user_id)
        until = quiet_until(now, p.quiet_start, p.quiet_end) if p else None
        if until is not None:
            row.next_attempt_at = until  # quiet hours: later, without spending a try
            return "deferred"
    channel = channels.get(row.channel)
    row.attempts += 1
    outcome, error, ref = "sent", None, None
    if channel is None:
        outcome, error = "failed", f"channel {row.channel} is not configured or not enabled"
    else:
        try:
            ref = channel.send(Message.model_validate(row.payload), row.address, f"outbox-{row.id}")
        except DeliveryError as exc:
            error = exc.reason
            outcome = "retry" if exc.retry else "failed"
    if outcome == "retry" and row.attempts >= get_settings().notify_max_attempts:
        outcome, error = "failed", f"gave up after {row.attempts} attempts: {error}"
    session.add(OutboxAttempt(outbox_id=row.id, at=now, outcome=outcome, error=error))
    row.last_error = error
    if outcome == "sent":
        row.state, row.sent_at, row.provider_ref = "sent", now, ref
        _after_sent(session, row, now)
    elif outcome == "retry":
        row.next_attempt_at = now + backoff(row.attempts)
    else:
        row.state = "failed"
    return outcome


def run_once(
    make_session: SessionFactory, *, limit: int | None = None, now: datetime | None = None
) -> RunReport:
    """Send what is due now and return. Rows put back for later during this run wait for
    the next one (so a failing endpoint is not hammered within one run)."""
    report = RunReport()
    start = now or now_utc()
    with make_session() as session:
        channels = {kind: build(setup) for kind, setup in load_setups(session).items()}
    seen: set[int] = set()
    while limit is None or report.handled < limit:
        with make_session() as session:
            row = claim_next(session, start, seen)
            if row is None:
                session.rollback()
                break
            seen.add(row.id)
            outcome = deliver(session, row, channels, now or now_utc())
            session.commit()  # the outcome and the claim end together
        field = OUTCOME_FIELDS[outcome]
        setattr(report, field, getattr(report, field) + 1)
    return report


def run_forever(make_session: SessionFactory, echo: Callable[[str], None]) -> None:
    """``riverchief notify run``: send what is due, then look again every poll interval."""
    poll = get_settings().notify_poll_s
    while True:
        report = run_once(make_session)
        if report.handled:
            echo(
                f"sent {report.sent}, retry later {report.retried}, failed {report.failed}, "
                f"quiet hours {report.deferred}"
            )
        time.sleep(poll)
