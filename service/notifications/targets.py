"""Who receives an event, over which channels, and when: accounts (by their preferences),
the office's groups, and citizens who agreed to be told about their report.

Writes go through :func:`enqueue`: one outbox row per (event, recipient, channel), inserted
with ``ON CONFLICT DO NOTHING`` on that key, so producing an event again is harmless.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, time, timedelta

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert
from sqlalchemy.orm import Session

from service.auth.models import UserAccount
from service.notifications.channels.config import GROUP_KINDS, ChannelSetup
from service.notifications.messages import Message
from service.notifications.models import OutboxRow, Preference, ReportUnsubscribe
from service.public.models import PublicReport
from service.timeutil import LOCAL_TZ, now_utc

PERSONAL_KINDS = ("email", "sms", "webhook")


@dataclass(frozen=True)
class Target:
    """One recipient over one channel; ``held``: waits for the account's daily digest."""

    recipient: str
    channel: str
    address: str
    not_before: datetime
    user_id: int | None = None
    report_id: int | None = None
    held: bool = False


@dataclass(frozen=True)
class Prefs:
    """An account's preferences, or the defaults (every channel it has an address for,
    no quiet hours, immediate)."""

    channels: tuple[str, ...] = PERSONAL_KINDS
    email: str | None = None
    phone: str | None = None
    quiet_start: time | None = None
    quiet_end: time | None = None
    mode: str = "immediate"


def prefs_of(session: Session, user_ids: Iterable[int]) -> dict[int, Prefs]:
    rows = session.scalars(select(Preference).where(Preference.user_id.in_(list(user_ids))))
    return {
        p.user_id: Prefs(tuple(p.channels), p.email, p.phone, p.quiet_start, p.quiet_end, p.mode)
        for p in rows
    }


def quiet_until(moment: datetime, start: time | None, end: time | None) -> datetime | None:
    """The end of the quiet hours ``moment`` falls in (UTC), or None. Times are local
    (Asia/Shanghai); a window may wrap midnight (22:00-07:00); start == end: no window."""
    if start is None or end is None or start == end:
        return None
    local = moment.astimezone(LOCAL_TZ)
    now_t = local.time()
    inside = start <= now_t < end if start < end else (now_t >= start or now_t < end)
    if not inside:
        return None
    until = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if until <= local:
        until += timedelta(days=1)
    return until.astimezone(moment.tzinfo)


def account_targets(
    session: Session,
    users: Iterable[UserAccount],
    setups: dict[str, ChannelSetup],
    *,
    digest: bool = False,
    now: datetime | None = None,
) -> list[Target]:
    """The accounts' own channels that are set up and that they have an address for.
    ``digest``: the daily digest itself (never held)."""
    now = now or now_utc()
    active = [u for u in users if not u.disabled]
    prefs = prefs_of(session, [u.id for u in active])
    out: list[Target] = []
    for user in active:
        p = prefs.get(user.id, Prefs())
        start = quiet_until(now, p.quiet_start, p.quiet_end) or now
        addresses = {"email": p.email, "sms": p.phone, "webhook": user.username}
        for kind in p.channels:
            if kind not in PERSONAL_KINDS or not setups[kind].usable or not addresses[kind]:
                continue
            out.append(
                Target(
                    recipient=f"user:{user.id}",
                    channel=kind,
                    address=addresses[kind] or "",
                    not_before=start,
                    user_id=user.id,
                    held=p.mode == "digest" and not digest,
                )
            )
    return out


def group_targets(setups: dict[str, ChannelSetup], event_type: str) -> list[Target]:
    """The office's 钉钉 / 企业微信 groups that post this event: one message per event."""
    now = now_utc()
    return [
        Target(recipient="group", channel=kind, address="", not_before=now)
        for kind in GROUP_KINDS
        if setups[kind].posts(event_type)
    ]


def citizen_targets(
    session: Session, report: PublicReport, setups: dict[str, ChannelSetup]
) -> list[Target]:
    """The reporter's contact, only for their own report, only if they agreed on the form
    and have not unsubscribed; SMS for a phone number, e-mail for an address."""
    if not report.notify_consent or not report.contact or report.is_synthetic:
        return []
    if session.get(ReportUnsubscribe, report.id) is not None:
        return []
    kind = "email" if "@" in report.contact else "sms"
    if not setups[kind].usable:
        return []
    return [
        Target(
            recipient=f"report:{report.id}",
            channel=kind,
            address=report.contact,
            not_before=now_utc(),
            report_id=report.id,
        )
    ]


def enqueue(
    session: Session, event_key: str, message: Message, targets: Iterable[Target]
) -> list[int]:
    """Insert the rows not already there; returns the ids of the new ones."""
    made: list[int] = []
    payload = message.model_dump(mode="json")
    for t in targets:
        new_id = session.execute(
            insert(OutboxRow)
            .values(
                event_key=event_key[:160],
                event_type=message.event_type,
                recipient=t.recipient,
                user_id=t.user_id,
                report_id=t.report_id,
                channel=t.channel,
                address=t.address,
                payload=payload,
                state="held" if t.held else "pending",
                attempts=0,
                next_attempt_at=t.not_before,
            )
            .on_conflict_do_nothing(constraint="uq_outbox_event_recipient_channel")
            .returning(OutboxRow.id)
        ).scalar()
        if new_id is not None:
            made.append(new_id)
    return made
