"""Rows of ``river`` and ``segment``."""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    CheckConstraint,
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
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base

RIVER_KINDS = ("river", "lake", "reservoir")
#: Rivers whose source layer is worse than this are flagged ``coarse_geometry``.
COARSE_ACCURACY_M = 250.0


class River(Base):
    """A river (line, oriented downstream) or a lake/reservoir (polygon), EPSG:4326.

    ``patrol_tolerance_m`` is how far from the line (for lakes: the shoreline) a patrol still
    counts: the larger of the class default and the source layer's positional accuracy.
    """

    __tablename__ = "river"
    __table_args__ = (
        CheckConstraint("kind IN ('river', 'lake', 'reservoir')", name="ck_river_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    name: Mapped[str] = mapped_column(Text, unique=True)
    name_en: Mapped[str | None] = mapped_column(Text)
    code: Mapped[str | None] = mapped_column(String(32), unique=True)
    kind: Mapped[str] = mapped_column(String(12), default="river")
    river_class: Mapped[str] = mapped_column("class", String(16), default="minor")
    positional_accuracy_m: Mapped[float] = mapped_column(Float, default=0.0)
    patrol_tolerance_m: Mapped[float] = mapped_column(Float)
    source_id: Mapped[str | None] = mapped_column(Text)
    source: Mapped[str | None] = mapped_column(Text)
    geom: Mapped[WKBElement] = mapped_column(Geometry("GEOMETRY", srid=4326, spatial_index=True))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class Segment(Base):
    """A piece of a river inside Leshan, cut at county boundaries (a single LineString).

    ``length_m`` is geodesic (``ST_Length(geom::geography)``, WGS84 spheroid), in metres.
    ``ord`` numbers the river's segments from upstream (1) to downstream. ``from_m``/``to_m``:
    where the segment starts and ends along the river's downstream line, planar metres in
    ``settings.metric_srid`` from the line's upstream end (``service/sql/reach_measure.sql``);
    a segment fraction f lies at ``from_m + f * (to_m - from_m)``, which is how reaches
    (measure ranges) find their parts of the segments.
    """

    __tablename__ = "segment"
    __table_args__ = (
        UniqueConstraint("river_id", "ord", name="uq_segment_river_ord"),
        # a city's or county's segments by code prefix (LIKE '5111%'), index only (0019)
        Index(
            "ix_segment_county_prefix",
            "county_code",
            postgresql_ops={"county_code": "text_pattern_ops"},
            postgresql_include=["id", "river_id", "length_m"],
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    river_id: Mapped[int] = mapped_column(ForeignKey("river.id", ondelete="CASCADE"), index=True)
    county_code: Mapped[str] = mapped_column(ForeignKey("admin_area.code"), index=True)
    ord: Mapped[int] = mapped_column(Integer)
    length_m: Mapped[float] = mapped_column(Float)
    from_m: Mapped[float] = mapped_column(Float)
    to_m: Mapped[float] = mapped_column(Float)
    geom: Mapped[WKBElement] = mapped_column(Geometry("LINESTRING", srid=4326, spatial_index=True))
