"""Rows of ``reach`` and ``township``.

A reach is a stretch of one river between two measures along the river's downstream line
(``from_m`` < ``to_m``, metres in ``settings.metric_srid`` from the line's upstream end, see
``service/sql/reach_measure.sql``). Segments are the physical pieces (cut at county lines);
a reach holds whatever parts of the river's segments fall inside its measure range, so its
length and coverage come from the segments and it never needs its own copy of the line. The
geometry kept here is only for drawing and for re-placing after a re-import.
"""

from __future__ import annotations

from datetime import date, datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

LEVELS = ("city", "county", "township", "village")
BANKS = ("left", "right", "both")


class Township(Base):
    """A township-level unit (乡/镇/街道) of the focus city: its 9-digit statistical code.

    No polygon: the national statistics give codes and names only, and a reach is a stretch
    of a river, so it needs none (``gis_data/leshan/townships.csv``).
    """

    __tablename__ = "township"
    __table_args__ = (CheckConstraint("code ~ '^[0-9]{9}$'", name="ck_township_code"),)

    code: Mapped[str] = mapped_column(String(9), primary_key=True)
    name: Mapped[str] = mapped_column(Text)
    county_code: Mapped[str] = mapped_column(ForeignKey("admin_area.code"), index=True)
    source: Mapped[str | None] = mapped_column(Text)


class Reach(Base):
    """河段: a stretch of ``river`` from ``from_m`` to ``to_m`` held by one level's chiefs.

    ``admin_code``: 511100 for the city reach, the county's 6 digits, or the township's 9
    digits for township and village reaches (a village reach also names its village).
    ``code``: the county's 6 digits (the city's for the city reach) and a 6-digit sequence,
    as DB34/T 3735.1-2020 numbers reaches. ``start_geom``/``end_geom``: where the reach was
    cut, kept so it can be placed again on a re-imported line. ``length_m``: geodesic metres
    of the river's segments inside the range (the part inside the city). ``bank`` narrows who
    is responsible for a point; coverage always counts the line. Days ``valid_from`` ..
    ``valid_to`` are inclusive (Asia/Shanghai); a re-drawn reach is a new row.
    """

    __tablename__ = "reach"
    __table_args__ = (
        CheckConstraint(
            "level IN ('city', 'county', 'township', 'village')", name="ck_reach_level"
        ),
        CheckConstraint(
            "(level IN ('city', 'county') AND admin_code ~ '^[0-9]{6}$') OR "
            "(level IN ('township', 'village') AND admin_code ~ '^[0-9]{9}$')",
            name="ck_reach_admin_code",
        ),
        CheckConstraint(
            "(level = 'village') = (village_name IS NOT NULL)", name="ck_reach_village_name"
        ),
        CheckConstraint("code ~ '^[0-9]{12}$'", name="ck_reach_code"),
        CheckConstraint("from_m >= 0 AND to_m > from_m", name="ck_reach_measures"),
        CheckConstraint("bank IS NULL OR bank IN ('left', 'right', 'both')", name="ck_reach_bank"),
        CheckConstraint("valid_to IS NULL OR valid_to >= valid_from", name="ck_reach_dates"),
        Index("ix_reach_river_level", "river_id", "level"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    river_id: Mapped[int] = mapped_column(ForeignKey("river.id", ondelete="CASCADE"))
    level: Mapped[str] = mapped_column(String(12))
    admin_code: Mapped[str] = mapped_column(String(9), index=True)
    village_name: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str] = mapped_column(String(12), unique=True)
    name: Mapped[str] = mapped_column(Text)
    parent_id: Mapped[int | None] = mapped_column(
        ForeignKey("reach.id", ondelete="SET NULL"), index=True
    )
    from_m: Mapped[float] = mapped_column(Float)
    to_m: Mapped[float] = mapped_column(Float)
    length_m: Mapped[float] = mapped_column(Float, default=0.0)
    bank: Mapped[str | None] = mapped_column(String(5))
    start_geom: Mapped[WKBElement] = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=False)
    )
    end_geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=False))
    geom: Mapped[WKBElement | None] = mapped_column(
        Geometry("MULTILINESTRING", srid=4326, spatial_index=True)
    )
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)
    is_demo: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
