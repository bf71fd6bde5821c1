"""Rows of ``patrol_upload``, ``patrol`` and ``patrol_coverage``."""

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
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, region_default


class PatrolUpload(Base):
    """The raw uploaded file, byte for byte, kept for audit; keyed by its SHA-256 (hex).

    The same file uploaded for two chiefs is stored once.
    """

    __tablename__ = "patrol_upload"

    sha256: Mapped[str] = mapped_column(String(64), primary_key=True)
    size_bytes: Mapped[int] = mapped_column(Integer)
    filename: Mapped[str | None] = mapped_column(Text)
    content_type: Mapped[str | None] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)
    #: The region (city code) of the chief it was first uploaded for: on Citus the upload
    #: sits on the shard of that region, next to its patrols (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(
        String(6), default=region_default("SELECT home_region()")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Patrol(Base):
    """One patrol (巡河) of a chief: the cleaned track and what it was judged to be.

    ``geom`` is the cleaned track in EPSG:4326 as a MultiLineString M (one line per recorded
    piece); M is the fix time in Unix epoch seconds (UTC), NaN for an untimed track.
    ``patrol_date`` is the Asia/Shanghai day the patrol counts for (the day it started, or the
    upload's ``date`` for an untimed track). ``length_m`` is geodesic, metres.
    ``valid``/``invalid_reasons`` come from the rules in settings; a voided patrol keeps them
    but counts for nothing.
    """

    __tablename__ = "patrol"
    __table_args__ = (
        UniqueConstraint("chief_id", "upload_sha256", name="uq_patrol_chief_upload"),
        CheckConstraint("datum IN ('wgs84', 'gcj02')", name="ck_patrol_datum"),
        CheckConstraint(
            "(voided_at IS NULL) = (void_reason IS NULL)", name="ck_patrol_void_reason"
        ),
        Index("ix_patrol_date_valid", "patrol_date", "valid"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    chief_id: Mapped[int] = mapped_column(ForeignKey("official.id"), index=True)
    #: The chief's region (city code): Citus' distribution key (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(
        String(6), default=region_default("SELECT region_of_chief(:chief_id)")
    )
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    upload_sha256: Mapped[str] = mapped_column(ForeignKey("patrol_upload.sha256"), index=True)
    client_id: Mapped[str | None] = mapped_column(String(128), unique=True)
    format: Mapped[str] = mapped_column(String(16))
    datum: Mapped[str] = mapped_column(String(8), default="wgs84")
    patrol_date: Mapped[date] = mapped_column(Date)
    started_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    ended_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    has_times: Mapped[bool] = mapped_column(Boolean)
    duration_min: Mapped[float | None] = mapped_column(Float)
    length_m: Mapped[float] = mapped_column(Float, default=0.0)
    points: Mapped[int] = mapped_column(Integer)
    notes: Mapped[str | None] = mapped_column(Text)
    warnings: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    cleaning: Mapped[dict[str, int]] = mapped_column(JSONB, default=dict)
    valid: Mapped[bool] = mapped_column(Boolean, default=False)
    invalid_reasons: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list)
    voided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    voided_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    void_reason: Mapped[str | None] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
    geom: Mapped[WKBElement] = mapped_column(
        Geometry("MULTILINESTRINGM", srid=4326, spatial_index=True)
    )


class PatrolCoverage(Base):
    """A stretch of a segment a patrol went alongside: ``start_frac``..``end_frac`` in [0, 1].

    Fractions are of the segment's length measured in ``settings.metric_srid`` (planar,
    proportional to the geodesic ``segment.length_m`` to within 0.1% over Leshan). Intervals of
    one patrol on one segment are merged (disjoint). Rebuilt when segments are re-cut.
    """

    __tablename__ = "patrol_coverage"
    __table_args__ = (
        CheckConstraint(
            "start_frac >= 0 AND end_frac <= 1 AND start_frac < end_frac",
            name="ck_patrol_coverage_fracs",
        ),
    )

    patrol_id: Mapped[int] = mapped_column(
        ForeignKey("patrol.id", ondelete="CASCADE"), primary_key=True
    )
    segment_id: Mapped[int] = mapped_column(
        ForeignKey("segment.id", ondelete="CASCADE"), primary_key=True, index=True
    )
    start_frac: Mapped[float] = mapped_column(Float, primary_key=True)
    end_frac: Mapped[float] = mapped_column(Float)
    #: The patrol's region (co-located with it on Citus, even where the track crosses into a
    #: neighbouring city).
    region_code: Mapped[str] = mapped_column(
        String(6),
        default=region_default("SELECT region_code FROM patrol WHERE id = :patrol_id"),
    )
