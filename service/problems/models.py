"""Rows of ``problem`` and ``problem_photo``.

A problem's history lives in the generic ``workflow_event`` table (``entity_type``
'problem'); the row caches the current state, assignee and due date (``WorkflowMixin``).
"""

from __future__ import annotations

from datetime import datetime

from geoalchemy2 import Geometry, WKBElement
from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    DateTime,
    Float,
    ForeignKey,
    Integer,
    String,
    Text,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base, region_default
from service.workflow.models import WorkflowMixin

#: code -> zh-CN label (issue 4).
CATEGORIES: dict[str, str] = {
    "sand_mining": "非法采砂",
    "garbage": "垃圾",
    "sewage_outfall": "排污口",
    "illegal_construction": "违建",
    "illegal_fishing": "非法捕捞",
    "water_quality": "水质异常",
    "other": "其他",
}
DATUMS = ("wgs84", "cgcs2000", "gcj02")


def _in_list(column: str, values: tuple[str, ...] | list[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class Problem(WorkflowMixin, Base):
    """A problem found on (or near) a river, at a point (EPSG:4326, converted to WGS84).

    Routing recorded at report time: the nearest ``segment`` within the snap limit and its
    ``river``, the ``county`` containing the point, the geodesic ``distance_m`` (metres) to
    that segment, and who was responsible on the local day of ``observed_at``. ``off_river``:
    inside Leshan but no registered river within the limit (flagged for the office).
    ``covert``: found by a covert check (暗访); hidden from the public entirely.
    """

    __tablename__ = "problem"
    __table_args__ = (
        CheckConstraint(_in_list("category", list(CATEGORIES)), name="ck_problem_category"),
        CheckConstraint(_in_list("datum", DATUMS), name="ck_problem_datum"),
        CheckConstraint("off_river = (river_id IS NULL)", name="ck_problem_off_river"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    category: Mapped[str] = mapped_column(String(24), index=True)
    description: Mapped[str] = mapped_column(Text)
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=True))
    #: The coordinates as submitted, in ``datum`` (kept for audit; ``geom`` is WGS84).
    input_lon: Mapped[float] = mapped_column(Float)
    input_lat: Mapped[float] = mapped_column(Float)
    datum: Mapped[str] = mapped_column(String(8))
    observed_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    reported_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
    reporter_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    patrol_id: Mapped[int | None] = mapped_column(
        ForeignKey("patrol.id", ondelete="SET NULL"), index=True
    )
    river_id: Mapped[int | None] = mapped_column(ForeignKey("river.id"), index=True)
    segment_id: Mapped[int | None] = mapped_column(ForeignKey("segment.id", ondelete="SET NULL"))
    county_code: Mapped[str] = mapped_column(ForeignKey("admin_area.code"), index=True)
    #: The city of ``county_code`` as routed at report time: Citus' distribution key.
    region_code: Mapped[str] = mapped_column(
        String(6), default=region_default("SELECT region_of_county(:county_code)")
    )
    #: The lowest-level reach holding the point on the day observed (its chiefs first, then
    #: up the chain), and that reach's township when it has one (``service.reaches.locate``).
    reach_id: Mapped[int | None] = mapped_column(ForeignKey("reach.id"), index=True)
    township_code: Mapped[str | None] = mapped_column(ForeignKey("township.code"), index=True)
    distance_m: Mapped[float | None] = mapped_column(Float)
    off_river: Mapped[bool] = mapped_column(Boolean, default=False)
    chief_official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"))
    liaison_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"))
    covert: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    duplicate_of: Mapped[int | None] = mapped_column(ForeignKey("problem.id"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    #: 督办: when the problem was last marked supervised (a history row ``supervise`` says
    #: why, e.g. its monitoring section failed its target again); NULL if never.
    supervised_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ProblemPhoto(Base):
    """A photo of a problem (JPEG/PNG as uploaded) and its JPEG thumbnail under ``media_dir``.

    ``path``/``thumb_path`` are relative to ``settings.media_dir``. ``exif_lon``/``exif_lat``
    (WGS84 degrees, as cameras write them) when the file carries a GPS position;
    ``exif_distance_m`` is its geodesic distance to the problem point, in metres.
    ``event_seq`` ties evidence to the history row it was submitted with (rectified, ...).
    """

    __tablename__ = "problem_photo"
    __table_args__ = (
        CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name="ck_photo_type"),
        CheckConstraint("kind IN ('report', 'evidence')", name="ck_photo_kind"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    problem_id: Mapped[int] = mapped_column(
        ForeignKey("problem.id", ondelete="CASCADE"), index=True
    )
    #: The problem's region (co-located with it on Citus).
    region_code: Mapped[str] = mapped_column(
        String(6),
        default=region_default("SELECT region_code FROM problem WHERE id = :problem_id"),
    )
    #: ``evidence`` when uploaded while the problem is being rectified, else ``report``.
    kind: Mapped[str] = mapped_column(String(12), default="report")
    event_seq: Mapped[int | None] = mapped_column(Integer)
    path: Mapped[str] = mapped_column(Text)
    thumb_path: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(16))
    bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64))
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    exif_lon: Mapped[float | None] = mapped_column(Float)
    exif_lat: Mapped[float | None] = mapped_column(Float)
    exif_distance_m: Mapped[float | None] = mapped_column(Float)
    exif_taken_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    uploaded_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    uploaded_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now()
    )
