"""Rows of ``accountability_record`` (提示/通报/约谈/问责线索移交) and ``commendation``.

§20-21: reminders, circulars and admonition interviews are deductions in the annual
assessment; §17-19: commendations, praise and incentives. Each is recorded against exactly
one county, liaison unit or department (``ck_*_target``).
"""

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

ACCOUNTABILITY_KINDS = ("reminder", "circular", "admonition", "accountability")
COMMENDATION_KINDS = ("commendation", "praise", "incentive")
_ONE_TARGET = (
    "(county_code IS NOT NULL)::int + (liaison_unit_id IS NOT NULL)::int"
    " + (department_id IS NOT NULL)::int = 1"
)


class AccountabilityRecord(Base):
    """A reminder, circular, admonition interview or hand-over of accountability leads."""

    __tablename__ = "accountability_record"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('reminder', 'circular', 'admonition', 'accountability')",
            name="ck_accountability_record_kind",
        ),
        CheckConstraint(_ONE_TARGET, name="ck_accountability_record_target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    issued_on: Mapped[date] = mapped_column(Date, index=True)
    #: The body in whose name it was done: 市总河长办公室, 市河长制办公室, 市总河长, 市级河长.
    issued_by: Mapped[str] = mapped_column(Text)
    county_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"), index=True)
    liaison_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    river_id: Mapped[int | None] = mapped_column(ForeignKey("river.id", ondelete="SET NULL"))
    #: The person interviewed or held accountable, free text (may be outside the roster).
    person: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    #: Circulars are numbered documents.
    document_id: Mapped[int | None] = mapped_column(ForeignKey("office_document.id"))
    #: Accountability: the body the leads were handed to (纪检监察机关, 组织部门, ...).
    handed_to: Mapped[str | None] = mapped_column(Text)
    #: Admonitions: the office re-checks what was promised (§21 复核).
    follow_up_on: Mapped[date | None] = mapped_column(Date)
    follow_up_note: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class Commendation(Base):
    """A commendation (表彰), praise (表扬) or incentive (激励)."""

    __tablename__ = "commendation"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('commendation', 'praise', 'incentive')", name="ck_commendation_kind"
        ),
        CheckConstraint(_ONE_TARGET, name="ck_commendation_target"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))
    awarded_on: Mapped[date] = mapped_column(Date, index=True)
    county_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"), index=True)
    liaison_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"))
    department_id: Mapped[int | None] = mapped_column(ForeignKey("department.id"))
    person: Mapped[str | None] = mapped_column(Text)
    reason: Mapped[str] = mapped_column(Text)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("office_document.id"))
    created_by: Mapped[str] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
