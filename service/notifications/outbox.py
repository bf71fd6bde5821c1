"""The office's view of the outbox: list, one notification with its tries, resend."""

from __future__ import annotations

import re

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.errors import Conflict, NotFound
from service.notifications.messages import EVENT_LABELS
from service.notifications.models import OutboxAttempt, OutboxRow, ReportUnsubscribe
from service.notifications.schemas import AttemptOut, OutboxDetail, OutboxItem
from service.public.models import PublicReport
from service.timeutil import now_utc

STATE_LABELS = {
    "pending": "待发送",
    "sent": "已发送",
    "failed": "发送失败",
    "held": "待汇总",
    "digested": "已随每日待办发送",
    "cancelled": "已取消",
}
#: States the office may send again: failed ones, and sent ones someone says never arrived.
RESENDABLE = ("failed", "sent")


def _labels(session: Session, rows: list[OutboxRow]) -> dict[int, str]:
    users = {
        u.id: u.username
        for u in session.scalars(
            select(UserAccount).where(UserAccount.id.in_({r.user_id for r in rows if r.user_id}))
        )
    }
    codes = {
        r.id: r.code
        for r in session.scalars(
            select(PublicReport).where(
                PublicReport.id.in_({r.report_id for r in rows if r.report_id})
            )
        )
    }
    out: dict[int, str] = {}
    for r in rows:
        if r.user_id is not None:
            out[r.id] = users.get(r.user_id, r.recipient)
        elif r.report_id is not None:
            out[r.id] = f"举报 {codes.get(r.report_id, r.report_id)}"
        else:
            out[r.id] = "工作群"
    return out


def item(row: OutboxRow, label: str) -> OutboxItem:
    return OutboxItem(
        id=row.id,
        event_key=row.event_key,
        event_type=row.event_type,
        event_label=EVENT_LABELS.get(row.event_type, row.event_type),
        recipient=row.recipient,
        recipient_label=label,
        channel=row.channel,  # type: ignore[arg-type]
        address=row.address,
        state=row.state,  # type: ignore[arg-type]
        state_label=STATE_LABELS[row.state],
        attempts=row.attempts,
        last_error=row.last_error,
        next_attempt_at=row.next_attempt_at,
        created_at=row.created_at,
        sent_at=row.sent_at,
        subject=str(row.payload.get("subject", "")),
        link=str(row.payload.get("link", "")),
    )


def list_outbox(
    session: Session,
    limit: int,
    offset: int,
    *,
    state: str | None = None,
    channel: str | None = None,
    event_type: str | None = None,
    q: str | None = None,
) -> tuple[int, list[OutboxItem]]:
    """Newest first; ``q`` finds an event key, address or subject (case-insensitive)."""
    conds = []
    if state:
        conds.append(OutboxRow.state == state)
    if channel:
        conds.append(OutboxRow.channel == channel)
    if event_type:
        conds.append(OutboxRow.event_type == event_type)
    if q:
        like = "%" + re.sub(r"([\\%_])", r"\\\1", q) + "%"
        conds.append(
            OutboxRow.event_key.ilike(like)
            | OutboxRow.address.ilike(like)
            | OutboxRow.payload["subject"].astext.ilike(like)
        )
    total = session.scalar(select(func.count()).select_from(OutboxRow).where(*conds)) or 0
    rows = list(
        session.scalars(
            select(OutboxRow)
            .where(*conds)
            .order_by(OutboxRow.created_at.desc(), OutboxRow.id.desc())
            .limit(limit)
            .offset(offset)
        )
    )
    labels = _labels(session, rows)
    return total, [item(r, labels[r.id]) for r in rows]


def get_row(session: Session, outbox_id: int) -> OutboxRow:
    row = session.get(OutboxRow, outbox_id)
    if row is None:
        raise NotFound(f"notification {outbox_id} not found")
    return row


def detail(session: Session, row: OutboxRow) -> OutboxDetail:
    tries = session.execute(
        select(OutboxAttempt, UserAccount.username)
        .outerjoin(UserAccount, UserAccount.id == OutboxAttempt.actor_id)
        .where(OutboxAttempt.outbox_id == row.id)
        .order_by(OutboxAttempt.at, OutboxAttempt.id)
    ).all()
    base = item(row, _labels(session, [row])[row.id])
    return OutboxDetail(
        **base.model_dump(),
        text=str(row.payload.get("text", "")),
        history=[
            AttemptOut(at=a.at, outcome=a.outcome, error=a.error, actor=name)  # type: ignore[arg-type]
            for a, name in tries
        ],
    )


def resend(session: Session, row: OutboxRow, actor: UserAccount) -> OutboxRow:
    """Queue a failed (or sent) notification again, now, with a fresh budget of tries."""
    session.refresh(row, with_for_update=True)
    if row.state not in RESENDABLE:
        raise Conflict(
            f"notification {row.id} is {row.state}: only failed or sent ones are resent",
            state=row.state,
        )
    gone = session.get(ReportUnsubscribe, row.report_id) if row.report_id is not None else None
    if gone is not None:
        raise Conflict("the reporter unsubscribed: nothing more is sent to them", state=row.state)
    now = now_utc()
    session.add(OutboxAttempt(outbox_id=row.id, at=now, outcome="resend", actor_id=actor.id))
    row.state, row.attempts, row.next_attempt_at = "pending", 0, now
    row.last_error = None
    session.flush()
    return row
