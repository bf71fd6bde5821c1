"""Rows of ``reminder``: what ``riverchief remind`` recorded for whom, and whether the
webhook has taken it.

One row per account, to-do item (``item_key``) and local day (``remind_on``), so a second
run on the same day records nothing new and a daily cron job reminds once a day.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy import func as sa_func
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class Reminder(Base):
    """A reminder of one to-do item for one account, recorded on ``remind_on`` (local day).

    ``sent_at``: when the webhook accepted it (NULL: not sent yet, or no webhook set).
    """

    __tablename__ = "reminder"
    __table_args__ = (
        UniqueConstraint("user_id", "item_key", "remind_on", name="uq_reminder_item_day"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    item_key: Mapped[str] = mapped_column(String(80))
    kind: Mapped[str] = mapped_column(String(32))
    title: Mapped[str] = mapped_column(Text)
    due_date: Mapped[date] = mapped_column(Date)
    link: Mapped[str] = mapped_column(Text)
    overdue: Mapped[bool] = mapped_column(Boolean)
    remind_on: Mapped[date] = mapped_column(Date, index=True)
    created_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=sa_func.now()
    )
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
