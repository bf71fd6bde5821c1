"""Rows of ``health_assessment`` and ``health_indicator_score`` (河湖健康评价, §13)."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class HealthAssessment(Base):
    """One river's (or segment's) health assessment for one year.

    ``score`` (RHI, 0-100) and ``health_class`` are computed from the indicator scores with
    the configured weights (``service.governance.health.config``) when the row is written.
    ``segment_id`` is NULL for a whole-river assessment.
    """

    __tablename__ = "health_assessment"
    __table_args__ = (
        CheckConstraint("score >= 0 AND score <= 100", name="ck_health_assessment_score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    river_id: Mapped[int] = mapped_column(ForeignKey("river.id", ondelete="CASCADE"), index=True)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id", ondelete="SET NULL"))
    #: The county of the assessed segment, kept if segments are re-cut.
    county_code: Mapped[str | None] = mapped_column(String(12))
    year: Mapped[int] = mapped_column(Integer, index=True)
    assessed_on: Mapped[date] = mapped_column(Date)
    score: Mapped[float] = mapped_column(Float)
    health_class: Mapped[str] = mapped_column(String(16))
    report_title: Mapped[str | None] = mapped_column(Text)
    approved_by_official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class HealthIndicatorScore(Base):
    """One indicator's score (0-100) in an assessment."""

    __tablename__ = "health_indicator_score"
    __table_args__ = (
        UniqueConstraint("assessment_id", "indicator", name="uq_health_indicator_score"),
        CheckConstraint("score >= 0 AND score <= 100", name="ck_health_indicator_score"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    assessment_id: Mapped[int] = mapped_column(
        ForeignKey("health_assessment.id", ondelete="CASCADE"), index=True
    )
    indicator: Mapped[str] = mapped_column(String(48))
    score: Mapped[float] = mapped_column(Float)
    measured: Mapped[str | None] = mapped_column(Text)
