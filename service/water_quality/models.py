"""Rows of ``section`` (监测断面), ``section_reading``, ``section_reading_import`` and
``section_exceedance``.

A section is a point on a river where the environment bureau samples the water. It is kept as
the point given (``geom``) and as where that point lies along its river: ``measure_m``, metres
along the river's downstream line from its upstream end (planar, ``settings.metric_srid``; the
same measure reaches and segments use), ``snapped_geom`` the point on the line there, and
``snap_distance_m`` (geodesic) between the two. Nothing here refers to a segment: what lies
upstream is asked of ``service.water_quality.routing`` with the river and measure, so a re-cut
of the segments changes nothing stored here (a re-import of the river line re-snaps).
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
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

#: kind -> zh-CN label: 国控, 省控, 市控, 县控 assessment sections and 交接 border sections.
SECTION_KINDS: dict[str, str] = {
    "national": "国控",
    "provincial": "省控",
    "city": "市控",
    "county": "县控",
    "border": "交接",
}
DIRECTIONS = ("inflow", "outflow")
READING_KINDS = {"monthly": "例行监测", "adhoc": "加密/临时监测"}
READING_SOURCES = ("import", "manual", "demo")


def _in_list(column: str, values: tuple[str, ...] | list[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Section(Base):
    """A monitoring section (监测断面) on a river, with its target class (1-5 = I-V).

    ``neighbor_code``/``direction``: set when the section sits at a crossing of the city
    boundary (``inflow``: the water comes from that neighbour city; ``outflow``: it leaves for
    it); a ``border`` section always has them. ``upstream_county_code``/
    ``downstream_county_code``: the counties responsible on either side (交接断面 考核), a
    neighbour's county on the neighbour side. All derived when the section is registered and
    again when its river's line is re-imported.
    """

    __tablename__ = "section"
    __table_args__ = (
        CheckConstraint(_in_list("kind", list(SECTION_KINDS)), name="ck_section_kind"),
        CheckConstraint("target_class BETWEEN 1 AND 5", name="ck_section_target_class"),
        CheckConstraint(
            "(direction IS NULL) = (neighbor_code IS NULL)", name="ck_section_neighbor"
        ),
        CheckConstraint(
            "direction IS NULL OR " + _in_list("direction", DIRECTIONS),
            name="ck_section_direction",
        ),
        CheckConstraint("kind <> 'border' OR neighbor_code IS NOT NULL", name="ck_section_border"),
        CheckConstraint("measure_m >= 0 AND snap_distance_m >= 0", name="ck_section_measure"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    river_id: Mapped[int] = mapped_column(ForeignKey("river.id", ondelete="CASCADE"), index=True)
    #: The point as registered (WGS84) and its place on the river line.
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=True))
    snapped_geom: Mapped[WKBElement] = mapped_column(
        Geometry("POINT", srid=4326, spatial_index=False)
    )
    measure_m: Mapped[float] = mapped_column(Float)
    snap_distance_m: Mapped[float] = mapped_column(Float)
    target_class: Mapped[int] = mapped_column(Integer)
    operator: Mapped[str | None] = mapped_column(Text)
    neighbor_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"), index=True)
    direction: Mapped[str | None] = mapped_column(String(8))
    upstream_county_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"))
    downstream_county_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SectionReadingImport(Base):
    """One imported spreadsheet: who, when, what file (SHA-256) and how many rows."""

    __tablename__ = "section_reading_import"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    filename: Mapped[str] = mapped_column(Text)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    file_format: Mapped[str] = mapped_column(String(8))
    rows: Mapped[int] = mapped_column(Integer)
    imported_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    imported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )


class SectionReading(Base):
    """One sample at a section on one local day: a value per parameter (mg/L; pH unitless),
    NULL when not measured.

    ``below_detection``: parameters reported below the detection limit ("0.01L"), stored as
    half the limit as the 评价办法 averages them. ``water_class`` (1-6), ``worst_parameters``,
    ``ph_in_range`` and ``target_met`` are the classification when written
    (``service.water_quality.standard``).
    """

    __tablename__ = "section_reading"
    __table_args__ = (
        UniqueConstraint("section_id", "sampled_on", name="uq_section_reading_day"),
        CheckConstraint(_in_list("kind", list(READING_KINDS)), name="ck_section_reading_kind"),
        CheckConstraint(_in_list("source", READING_SOURCES), name="ck_section_reading_source"),
        CheckConstraint(
            "water_class IS NULL OR water_class BETWEEN 1 AND 6", name="ck_section_reading_class"
        ),
        CheckConstraint(
            'num_nonnulls("do", codmn, cod, bod5, nh3n, tp, tn, ph) > 0',
            name="ck_section_reading_values",
        ),
        Index("ix_section_reading_sampled_on", "sampled_on"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    sampled_on: Mapped[date] = mapped_column(Date)
    kind: Mapped[str] = mapped_column(String(8), default="monthly")
    do: Mapped[float | None] = mapped_column(Float)
    codmn: Mapped[float | None] = mapped_column(Float)
    cod: Mapped[float | None] = mapped_column(Float)
    bod5: Mapped[float | None] = mapped_column(Float)
    nh3n: Mapped[float | None] = mapped_column(Float)
    tp: Mapped[float | None] = mapped_column(Float)
    tn: Mapped[float | None] = mapped_column(Float)
    ph: Mapped[float | None] = mapped_column(Float)
    below_detection: Mapped[list[str]] = mapped_column(
        ARRAY(String(8)), default=list, server_default="{}"
    )
    water_class: Mapped[int | None] = mapped_column(Integer)
    worst_parameters: Mapped[list[str]] = mapped_column(
        ARRAY(String(8)), default=list, server_default="{}"
    )
    ph_in_range: Mapped[bool | None] = mapped_column(Boolean)
    target_met: Mapped[bool | None] = mapped_column(Boolean)
    source: Mapped[str] = mapped_column(String(8), default="manual")
    import_id: Mapped[int | None] = mapped_column(
        ForeignKey("section_reading_import.id", ondelete="SET NULL"), index=True
    )
    entered_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class SectionExceedance(Base):
    """A month in which a section's class (of the month's mean values) was worse than its
    target, and the 水质异常 problem it opened or, repeated while that problem was open,
    supervised (``repeat``)."""

    __tablename__ = "section_exceedance"
    __table_args__ = (
        UniqueConstraint("section_id", "month", name="uq_section_exceedance_month"),
        CheckConstraint("extract(day from month) = 1", name="ck_section_exceedance_month"),
        CheckConstraint("water_class > target_class", name="ck_section_exceedance_worse"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    section_id: Mapped[int] = mapped_column(ForeignKey("section.id", ondelete="CASCADE"))
    #: First day of the month.
    month: Mapped[date] = mapped_column(Date, index=True)
    water_class: Mapped[int] = mapped_column(Integer)
    target_class: Mapped[int] = mapped_column(Integer)
    worst_parameters: Mapped[list[str]] = mapped_column(ARRAY(String(8)), default=list)
    problem_id: Mapped[int | None] = mapped_column(
        ForeignKey("problem.id", ondelete="SET NULL"), index=True
    )
    repeat: Mapped[bool] = mapped_column(Boolean, default=False)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
