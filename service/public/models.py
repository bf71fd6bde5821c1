"""Rows of public supervision (社会监督): ``public_report``, its photos and public replies,
and the proof-of-work challenges handed to anonymous clients.

A report moves through moderation on the shared workflow engine (``entity_type``
'public_report': pending → accepted / merged / rejected), so every step is a
``workflow_event`` row. After acceptance or merging its public status is *derived* from the
linked problem's state (``service.public.status``), never copied.

Private columns (never on a public endpoint): ``contact``, ``source_hash``.
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

from service.db import Base
from service.problems.models import CATEGORIES, DATUMS
from service.workflow.models import WorkflowMixin

REPORT_STATES = ("pending", "accepted", "merged", "rejected")


def _in_list(column: str, values: tuple[str, ...] | list[str]) -> str:
    return f"{column} IN ({', '.join(repr(v) for v in values)})"


class PublicReport(WorkflowMixin, Base):
    """A citizen's report at a point (EPSG:4326, WGS84; the submitted coordinates and datum
    kept as given). ``county_code`` is where the point lies (routing at submission), used for
    the public statistics and the queue. ``problem_id``: the problem it became (accepted) or
    was merged into. ``reject_reason`` is public. ``contact`` (phone or e-mail) is for the
    office only; ``source_hash`` is a keyed hash of the sender's address, so the queue can
    group reports from one source without the row keeping the address (the office-only
    audit log records the address of every write request, this one included).
    """

    __tablename__ = "public_report"
    __table_args__ = (
        CheckConstraint(_in_list("category", list(CATEGORIES)), name="ck_public_report_category"),
        CheckConstraint(_in_list("datum", DATUMS), name="ck_public_report_datum"),
        CheckConstraint(_in_list("state", REPORT_STATES), name="ck_public_report_state"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    code: Mapped[str] = mapped_column(String(16), unique=True)
    category: Mapped[str] = mapped_column(String(24))
    description: Mapped[str] = mapped_column(Text)
    geom: Mapped[WKBElement] = mapped_column(Geometry("POINT", srid=4326, spatial_index=True))
    input_lon: Mapped[float] = mapped_column(Float)
    input_lat: Mapped[float] = mapped_column(Float)
    datum: Mapped[str] = mapped_column(String(8))
    county_code: Mapped[str] = mapped_column(ForeignKey("admin_area.code"), index=True)
    contact: Mapped[str | None] = mapped_column(Text)
    #: The reporter agreed on the form to be told about this report at ``contact``
    #: (service.notifications); without it the contact is never written to.
    notify_consent: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    source_hash: Mapped[str] = mapped_column(String(64), index=True)
    submitted_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), index=True
    )
    problem_id: Mapped[int | None] = mapped_column(
        ForeignKey("problem.id", ondelete="SET NULL"), index=True
    )
    reject_reason: Mapped[str | None] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")


class PublicReportPhoto(Base):
    """A photo sent with a public report, stored under ``media_dir/public/<report id>``.

    ``sha256`` of the bytes as uploaded: the same photo sent again is a duplicate.
    """

    __tablename__ = "public_report_photo"
    __table_args__ = (
        CheckConstraint("content_type IN ('image/jpeg', 'image/png')", name="ck_public_photo_type"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("public_report.id", ondelete="CASCADE"), index=True
    )
    path: Mapped[str] = mapped_column(Text)
    thumb_path: Mapped[str] = mapped_column(Text)
    content_type: Mapped[str] = mapped_column(String(16))
    bytes: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)


class PublicReply(Base):
    """A reply of the office to the reporter, shown on the tracking page (public text)."""

    __tablename__ = "public_reply"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(
        ForeignKey("public_report.id", ondelete="CASCADE"), index=True
    )
    body: Mapped[str] = mapped_column(Text)
    author_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class PowChallenge(Base):
    """A proof-of-work challenge: single use (``used_at``), expiring (``expires_at``).

    Kept in the database rather than in memory so that any worker can verify it and a
    restart does not reopen used ones.
    """

    __tablename__ = "pow_challenge"

    nonce: Mapped[str] = mapped_column(String(64), primary_key=True)
    difficulty: Mapped[int] = mapped_column(Integer)
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    used_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
