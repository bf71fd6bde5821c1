"""Rows of ``signboard`` (公示牌) and ``signboard_print`` (what each printing showed).

A board stands at a point by one reach. Each printing is a row holding what was printed
(the chiefs at every level, the phone number, the link) and its hash; the board is out of
date when the hash of what it would show today differs from its last printing's.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

PAPERS = ("A4", "A3")


class Signboard(Base):
    """河长公示牌: ``number`` as painted on the board, ``geom`` where it stands (EPSG:4326,
    within ``settings.signboard_max_distance_m`` of its reach), ``installed_on`` (local day).
    The photo (JPEG/PNG) lives under ``settings.media_dir``/signboards."""

    __tablename__ = "signboard"
    __table_args__ = (
        CheckConstraint("length(number) BETWEEN 1 AND 40", name="ck_signboard_number"),
        CheckConstraint(
            "photo_content_type IS NULL OR photo_content_type IN ('image/jpeg', 'image/png')",
            name="ck_signboard_photo_type",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    number: Mapped[str] = mapped_column(String(40), unique=True)
    reach_id: Mapped[int] = mapped_column(ForeignKey("reach.id", ondelete="CASCADE"), index=True)
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=True))
    installed_on: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
    photo_path: Mapped[str | None] = mapped_column(Text)
    photo_content_type: Mapped[str | None] = mapped_column(String(16))
    photo_bytes: Mapped[int | None] = mapped_column(BigInteger)
    photo_sha256: Mapped[str | None] = mapped_column(String(64))
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class SignboardPrint(Base):
    """One printing of a board: ``content`` is what it showed (``BoardContent`` as JSON),
    ``content_hash`` the sha256 of its canonical form."""

    __tablename__ = "signboard_print"
    __table_args__ = (CheckConstraint("paper IN ('A4', 'A3')", name="ck_signboard_print_paper"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    signboard_id: Mapped[int] = mapped_column(
        ForeignKey("signboard.id", ondelete="CASCADE"), index=True
    )
    paper: Mapped[str] = mapped_column(String(2))
    content_hash: Mapped[str] = mapped_column(String(64))
    content: Mapped[dict[str, Any]] = mapped_column(JSONB)
    printed_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    printed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
