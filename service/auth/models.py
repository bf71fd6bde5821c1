"""Rows of ``user_account``."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, DateTime, ForeignKey, Integer, String, Text, func
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

ROLES = ("office", "chief", "liaison", "county", "township", "patrol", "neighbor_viewer")


class UserAccount(Base):
    """A login. Its role decides what it may do; the bound ids scope what it may see.

    ``token_version`` is part of every token: bumping it (role change, disable, password
    reset) revokes all tokens issued before.
    """

    __tablename__ = "user_account"
    __table_args__ = (
        CheckConstraint(
            "role IN ('office', 'chief', 'liaison', 'county', 'township', 'patrol', "
            "'neighbor_viewer')",
            name="ck_user_account_role",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    password_hash: Mapped[str] = mapped_column(Text)
    role: Mapped[str] = mapped_column(String(16))
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"))
    liaison_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"))
    county_code: Mapped[str | None] = mapped_column(String(12))
    #: A township office's 9-digit code (role ``township``).
    township_code: Mapped[str | None] = mapped_column(String(9))
    neighbor_code: Mapped[str | None] = mapped_column(String(12))
    disabled: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    token_version: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    failed_logins: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    locked_until: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
