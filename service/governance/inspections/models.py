"""Rows of ``inspection`` (督查, §15) and ``inspection_finding``.

The river chief office inspects the whole city's work, a liaison unit its own river's; each
inspection is of one county or one unit. Findings are handed to the county as problems in
the problem workflow (issue 4): ``problem_id`` points at the problem created for a finding.
"""

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
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base


class Inspection(Base):
    """One inspection (督查) of a county or a unit."""

    __tablename__ = "inspection"
    __table_args__ = (
        CheckConstraint(
            "(county_code IS NULL) <> (liaison_unit_id IS NULL)", name="ck_inspection_target"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspected_on: Mapped[date] = mapped_column(Date, index=True)
    title: Mapped[str] = mapped_column(Text)
    #: Organiser: NULL = the river chief office; else the liaison unit inspecting its river.
    organiser_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"))
    county_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"), index=True)
    liaison_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"))
    river_id: Mapped[int | None] = mapped_column(ForeignKey("river.id", ondelete="SET NULL"))
    summary: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class InspectionFinding(Base):
    """A problem found by an inspection, and the problem it became."""

    __tablename__ = "inspection_finding"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    inspection_id: Mapped[int] = mapped_column(
        ForeignKey("inspection.id", ondelete="CASCADE"), index=True
    )
    category: Mapped[str] = mapped_column(String(32))
    description: Mapped[str] = mapped_column(Text)
    lon: Mapped[float] = mapped_column(Float)
    lat: Mapped[float] = mapped_column(Float)
    #: The problem (issue 4) created for it and handed to the county.
    problem_id: Mapped[int | None] = mapped_column(
        ForeignKey("problem.id", ondelete="SET NULL"), index=True
    )
    handed_to_county: Mapped[str | None] = mapped_column(String(12))
    due_date: Mapped[date | None] = mapped_column(Date)
