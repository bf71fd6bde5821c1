"""Rows of ``official``, ``liaison_unit``, ``department`` and ``assignment``."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
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
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

ASSIGNMENT_ROLES = ("general_chief", "deputy_general_chief", "river_chief", "liaison_unit")
CHIEF_LEVELS = ("city", "county", "township", "village")


class Official(Base):
    """A person in the river chief system (a chief at some level). Demo people are fictional."""

    __tablename__ = "official"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    title: Mapped[str | None] = mapped_column(Text)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class LiaisonUnit(Base):
    """市级河长联络员单位: the department that organises a chief's patrols and meetings."""

    __tablename__ = "liaison_unit"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class Department(Base):
    """A municipal functional department (water, ecology, natural resources, ...)."""

    __tablename__ = "department"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class Assignment(Base):
    """Who (an official or a liaison unit) is responsible for what, from when to when.

    ``valid_from`` and ``valid_to`` are both inclusive days (Asia/Shanghai); ``valid_to`` NULL
    means still in force. General chiefs are city-wide: their rows have no river.
    """

    __tablename__ = "assignment"
    __table_args__ = (
        CheckConstraint(
            "role IN ('general_chief', 'deputy_general_chief', 'river_chief', 'liaison_unit')",
            name="ck_assignment_role",
        ),
        CheckConstraint(
            "(official_id IS NULL) <> (liaison_unit_id IS NULL)", name="ck_assignment_holder"
        ),
        CheckConstraint(
            "(role = 'liaison_unit') = (liaison_unit_id IS NOT NULL)", name="ck_assignment_unit"
        ),
        CheckConstraint(
            "role <> 'river_chief' OR level IN ('city', 'county', 'township', 'village')",
            name="ck_assignment_level",
        ),
        CheckConstraint(
            "role IN ('general_chief', 'deputy_general_chief') OR river_id IS NOT NULL",
            name="ck_assignment_river",
        ),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="ck_assignment_dates"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    river_id: Mapped[int | None] = mapped_column(
        ForeignKey("river.id", ondelete="CASCADE"), index=True
    )
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id", ondelete="SET NULL"))
    #: The reach a river chief or liaison unit answers for (general chiefs: none, city-wide).
    reach_id: Mapped[int | None] = mapped_column(ForeignKey("reach.id"), index=True)
    official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)
    liaison_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"), index=True)
    role: Mapped[str] = mapped_column(String(24))
    level: Mapped[str | None] = mapped_column(String(12))
    #: County of the chief's reach (county, township or village level; the first 6 digits of
    #: a township code), kept so county-wide questions need no join.
    county_code: Mapped[str | None] = mapped_column(String(12))
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
