"""Rows of ``user_account`` and its single-use ``download_link``s."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
)
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


class DownloadLink(Base):
    """A single-use, short-lived link to one GET path for one account (issue 15).

    Browsers cannot put a bearer header on a navigation (``<a download>``, a new tab), so a
    signed-in page asks for a link to the path it wants; fetching the path with the link's
    token (``?download_token=``, :mod:`service.auth.download_links`) runs the route as that
    account, once, within ``expires_at``. Only the SHA-256 of the token is stored; the link is
    void when the account's ``token_version`` moves on (password, role, disable).
    """

    __tablename__ = "download_link"

    id: Mapped[int] = mapped_column(BigInteger, primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    #: The path with its query in canonical form (``download_links.canonical``).
    path: Mapped[str] = mapped_column(Text)
    token_version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
