"""Rows of notifications (issue 21): the outbox, its delivery attempts, the channels the
office configured, each account's preferences, and citizens' unsubscribes.

``notification_outbox`` holds one row per (event, recipient, channel): producing the same
event twice inserts nothing (``uq_outbox_event_recipient_channel``), so every producer may
run again safely. The worker (``service.notifications.worker``) moves a row
pending → sent / failed (or back to pending with a later ``next_attempt_at``), each try a
``notification_attempt`` row.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

CHANNEL_KINDS = ("dingtalk", "wecom", "email", "sms", "webhook")
#: pending: waits for the worker (from ``next_attempt_at``); held: waits for the account's
#: daily digest; digested: went out inside a digest; cancelled: no longer wanted
#: (unsubscribed, or the channel was removed).
OUTBOX_STATES = ("pending", "sent", "failed", "held", "digested", "cancelled")
DIGEST_MODES = ("immediate", "digest")


def _in_list(column: str, values: tuple[str, ...]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class OutboxRow(Base):
    """One notification: an event for one recipient over one channel.

    ``recipient``: ``user:<id>`` (an account), ``report:<id>`` (a public report's contact)
    or ``group`` (the office's 钉钉 / 企业微信 group). ``address``: where it goes (an e-mail
    address, a phone number; empty for groups and the webhook). ``payload``: the rendered
    message (``service.notifications.messages.Message``), fixed when the event happened.
    """

    __tablename__ = "notification_outbox"
    __table_args__ = (
        UniqueConstraint(
            "event_key", "recipient", "channel", name="uq_outbox_event_recipient_channel"
        ),
        CheckConstraint(_in_list("channel", CHANNEL_KINDS), name="ck_outbox_channel"),
        CheckConstraint(_in_list("state", OUTBOX_STATES), name="ck_outbox_state"),
        CheckConstraint("attempts >= 0", name="ck_outbox_attempts"),
        # The worker's question: what is due now (partial: sent rows are most rows).
        Index(
            "ix_outbox_due",
            "next_attempt_at",
            postgresql_where="state = 'pending'",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    event_key: Mapped[str] = mapped_column(String(160))
    event_type: Mapped[str] = mapped_column(String(40), index=True)
    recipient: Mapped[str] = mapped_column(String(40))
    user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    report_id: Mapped[int | None] = mapped_column(
        ForeignKey("public_report.id", ondelete="CASCADE"), index=True
    )
    channel: Mapped[str] = mapped_column(String(16))
    address: Mapped[str] = mapped_column(Text, default="", server_default="")
    payload: Mapped[dict[str, Any]] = mapped_column(JSONB)
    state: Mapped[str] = mapped_column(String(12), index=True)
    attempts: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    #: The provider's id of the accepted message (Aliyun BizId, SMTP Message-ID, ...).
    provider_ref: Mapped[str | None] = mapped_column(Text)
    #: A held row that went out inside this digest row.
    digest_id: Mapped[int | None] = mapped_column(
        ForeignKey("notification_outbox.id", ondelete="SET NULL")
    )


class OutboxAttempt(Base):
    """One try to deliver an outbox row (or the office asking to resend it)."""

    __tablename__ = "notification_attempt"
    __table_args__ = (
        CheckConstraint(
            _in_list("outcome", ("sent", "retry", "failed", "resend")), name="ck_attempt_outcome"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    outbox_id: Mapped[int] = mapped_column(
        ForeignKey("notification_outbox.id", ondelete="CASCADE"), index=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    outcome: Mapped[str] = mapped_column(String(8))
    error: Mapped[str | None] = mapped_column(Text)
    #: Who asked for a resend (NULL for the worker's own tries).
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))


class ChannelConfig(Base):
    """A channel as the office configured it in the UI; it takes the place of the channel's
    settings (``RIVERCHIEF_*``) while the row exists (``enabled`` false switches it off).

    ``options``: what may be shown (SMTP sender, SMS signature name, endpoint, templates, the
    event types a group robot posts). ``secret``: the rest (webhook URLs with their tokens,
    signing secrets, passwords) encrypted with a key derived from ``RIVERCHIEF_SECRET_KEY``
    (``service.notifications.crypto``); never sent back to anyone.
    """

    __tablename__ = "notification_channel"
    __table_args__ = (CheckConstraint(_in_list("kind", CHANNEL_KINDS), name="ck_channel_kind"),)

    kind: Mapped[str] = mapped_column(String(16), primary_key=True)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    options: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    secret: Mapped[str | None] = mapped_column(Text)
    #: Names of the secret fields stored (shown as "set", never their values).
    secret_fields: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )
    updated_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )


class Preference(Base):
    """How one account wants to be told: its channels (``email``, ``sms``, ``webhook``), its
    e-mail address and mobile number, quiet hours (local time, none by default; a window
    may wrap midnight) and ``mode``: ``immediate``, or ``digest`` (held for the daily digest).
    An account without a row gets the defaults (every channel it has an address for)."""

    __tablename__ = "notification_preference"
    __table_args__ = (
        CheckConstraint(_in_list("mode", DIGEST_MODES), name="ck_preference_mode"),
        CheckConstraint(
            "(quiet_start IS NULL) = (quiet_end IS NULL)", name="ck_preference_quiet_pair"
        ),
    )

    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    channels: Mapped[list[str]] = mapped_column(ARRAY(Text))
    email: Mapped[str | None] = mapped_column(Text)
    phone: Mapped[str | None] = mapped_column(String(20))
    quiet_start: Mapped[time | None] = mapped_column(Time)
    quiet_end: Mapped[time | None] = mapped_column(Time)
    mode: Mapped[str] = mapped_column(String(12), default="immediate")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class ReportUnsubscribe(Base):
    """A reporter followed the unsubscribe link of a message about their report: nothing
    more is sent to its contact (pending rows are cancelled at once)."""

    __tablename__ = "notification_unsubscribe"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("public_report.id", ondelete="CASCADE"), primary_key=True
    )
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
