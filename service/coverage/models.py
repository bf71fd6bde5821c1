"""Rows of the coverage store (migration 0016), written only by its triggers and rebuild.

``coverage_segment_period``: per segment and period (``grain`` d/m/y: an Asia/Shanghai day,
a calendar month or year, starting ``period_start``), the union of the covered intervals of
valid, not voided patrols of the period (``covered``, a ``fracmultirange`` of fractions of the
segment, [0, 1]) and its total length (``covered_frac``). ``coverage_river_period``: per river
and period, how many such patrols covered some of the river (a patrol counts for one day,
so a month is the sum of its days). ``coverage_segment_version``: bumped when a segment's
coverage changes (its tiles' ETags carry it).

Keyed by segment (river) id: a row's region is its segment's county's city, so the store
follows a per-region layout without a column of its own.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import CHAR, BigInteger, Date, Float, ForeignKey, Index, Integer, String
from sqlalchemy.orm import Mapped, mapped_column
from sqlalchemy.types import UserDefinedType

from service.db import Base

GRAINS = ("d", "m", "y")


class FracMultirange(UserDefinedType[Any]):
    """PostgreSQL ``fracmultirange`` (a multirange of float8 fractions), read as text."""

    cache_ok = True

    def get_col_spec(self, **kw: Any) -> str:
        return "fracmultirange"


class CoverageSegmentPeriod(Base):
    __tablename__ = "coverage_segment_period"
    __table_args__ = (
        Index(
            "ix_coverage_segment_period_period",
            "grain",
            "period_start",
            postgresql_include=["segment_id", "covered_frac"],
        ),
    )

    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True
    )
    grain: Mapped[str] = mapped_column(CHAR(1), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    covered: Mapped[str] = mapped_column(FracMultirange())
    covered_frac: Mapped[float] = mapped_column(Float)


class CoverageRiverPeriod(Base):
    __tablename__ = "coverage_river_period"
    __table_args__ = (
        Index(
            "ix_coverage_river_period_period",
            "grain",
            "period_start",
            postgresql_include=["river_id", "patrols", "covered_m"],
        ),
    )

    river_id: Mapped[int] = mapped_column(
        ForeignKey("river.id", ondelete="CASCADE"), primary_key=True
    )
    grain: Mapped[str] = mapped_column(CHAR(1), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    patrols: Mapped[int] = mapped_column(Integer)
    covered_m: Mapped[float] = mapped_column(Float)


class CoverageCountyRiverPeriod(Base):
    """Per county, river and period: the covered metres of the river's segments in the
    county (migration 0019; follows ``coverage_river_period`` by its triggers)."""

    __tablename__ = "coverage_county_river_period"
    __table_args__ = (
        Index("ix_coverage_county_river_period_river", "river_id", "grain", "period_start"),
    )

    grain: Mapped[str] = mapped_column(CHAR(1), primary_key=True)
    period_start: Mapped[date] = mapped_column(Date, primary_key=True)
    county_code: Mapped[str] = mapped_column(String(12), primary_key=True)
    river_id: Mapped[int] = mapped_column(
        ForeignKey("river.id", ondelete="CASCADE"), primary_key=True
    )
    covered_m: Mapped[float] = mapped_column(Float)


class CoverageSegmentVersion(Base):
    __tablename__ = "coverage_segment_version"

    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True
    )
    version: Mapped[int] = mapped_column(BigInteger, index=True)
