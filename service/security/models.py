"""Rows of ``audit_log``: one row per audited write (or per bulk write), never updated."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import BigInteger, DateTime, Index, Integer, String, Text, func
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class AuditLog(Base):
    """Who wrote what, when, with a before/after summary of the changed columns.

    ``actor`` is ``user:<username>`` for an authenticated request, ``anonymous`` for a public
    write (a citizen report, a failed login), ``cli``/``system`` for commands and jobs.
    ``action`` is ``insert``/``update``/``delete`` for one row, ``bulk_insert``…
    for a flush or statement touching many rows (then ``row_id`` is empty and ``after``
    holds the count and the first ids). Geometry is summarised, secrets are masked.
    """

    __tablename__ = "audit_log"
    __table_args__ = (
        Index("ix_audit_log_at", "at"),
        Index("ix_audit_log_table_row", "table_name", "row_id"),
        Index("ix_audit_log_actor_id", "actor_id"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.clock_timestamp()
    )
    actor: Mapped[str] = mapped_column(String(96))
    actor_id: Mapped[int | None] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(16))
    table_name: Mapped[str] = mapped_column(String(64))
    row_id: Mapped[str | None] = mapped_column(Text)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSONB)
    request: Mapped[str | None] = mapped_column(Text)
    ip: Mapped[str | None] = mapped_column(String(64))


class RateLimitSlot(Base):
    """One use of a rate-limited action (a public report, a failed sign-in…) by one key.

    ``key_hash`` is a keyed hash of the bucket and the key (an address, a contact, a
    username), so the table holds no address or contact in clear. A slot counts until
    ``expires_at`` (its window); ``service.security.ratelimit`` takes slots under an advisory
    lock per key and commits them before the work they guard, so concurrent requests and
    every worker see the same count.
    """

    __tablename__ = "rate_limit_slot"
    __table_args__ = (
        Index("ix_rate_limit_slot_key", "bucket", "key_hash", "expires_at"),
        Index("ix_rate_limit_slot_expires_at", "expires_at"),
    )

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    bucket: Mapped[str] = mapped_column(String(32))
    key_hash: Mapped[str] = mapped_column(String(64))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
