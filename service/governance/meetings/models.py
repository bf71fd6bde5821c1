"""Rows of ``meeting``, ``meeting_river``, ``minutes`` and ``action_item``.

Meetings (§5, §7-8, §10, §16): kinds ``general`` (总河长会议), ``onsite`` (巡河现场会议),
``basin`` (流域专题会议), ``joint`` (联席会议, under a cooperation agreement, convened in
rotation: ``convener_code``), ``office`` (主任会议). Minutes and decided items move through the
shared workflow engine; their ``state`` columns cache the last history row.
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
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base
from service.workflow import WorkflowMixin

MEETING_KINDS = ("general", "onsite", "basin", "joint", "office")


class Meeting(Base):
    """A meeting of the river chief system, chaired by an official."""

    __tablename__ = "meeting"
    __table_args__ = (
        CheckConstraint(
            "kind IN ('general', 'onsite', 'basin', 'joint', 'office')", name="ck_meeting_kind"
        ),
        CheckConstraint(
            "kind = 'joint' OR (agreement_id IS NULL AND convener_code IS NULL)",
            name="ck_meeting_joint_fields",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    kind: Mapped[str] = mapped_column(String(12), index=True)
    title: Mapped[str] = mapped_column(Text)
    held_on: Mapped[date] = mapped_column(Date, index=True)
    place: Mapped[str | None] = mapped_column(Text)
    chair_official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"), index=True)
    #: Who organised it (承办): a liaison unit (onsite/basin), else NULL = the office.
    convener_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"))
    #: Joint meetings: the convening city's code (Leshan or a neighbour), by rotation.
    convener_code: Mapped[str | None] = mapped_column(String(12))
    #: Joint meetings: the cooperation agreement (issue 5's ``cooperation_agreement``).
    agreement_id: Mapped[int | None] = mapped_column(
        ForeignKey("cooperation_agreement.id", ondelete="SET NULL"), index=True
    )
    attendees: Mapped[list[str]] = mapped_column(ARRAY(Text), default=list, server_default="{}")
    summary: Mapped[str | None] = mapped_column(Text)
    created_by: Mapped[str] = mapped_column(Text)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class MeetingRiver(Base):
    """The rivers a meeting dealt with."""

    __tablename__ = "meeting_river"

    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), primary_key=True
    )
    river_id: Mapped[int] = mapped_column(
        ForeignKey("river.id", ondelete="CASCADE"), primary_key=True, index=True
    )


class Minutes(WorkflowMixin, Base):
    """会议纪要: drafted → approved (by the chair) → issued (with an office document number).

    ``assignee_unit_id`` (from the workflow mixin) is the drafting liaison unit; NULL when
    the office drafts.
    """

    __tablename__ = "minutes"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), unique=True
    )
    body: Mapped[str] = mapped_column(Text)
    approved_by_official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"))
    approved_on: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("office_document.id"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class ActionItem(WorkflowMixin, Base):
    """会议议定事项: assigned to one county or liaison unit (workflow mixin) with a due date.

    Supervised (督办) by the meeting's organiser (``supervisor_unit_id``; NULL = the office)
    and reported to ``report_to_official_id`` (the chair).
    """

    __tablename__ = "action_item"
    __table_args__ = (
        CheckConstraint(
            "(assignee_county IS NULL) <> (assignee_unit_id IS NULL)",
            name="ck_action_item_assignee",
        ),
        CheckConstraint(
            "meeting_id IS NOT NULL OR patrol_id IS NOT NULL", name="ck_action_item_source"
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    meeting_id: Mapped[int | None] = mapped_column(
        ForeignKey("meeting.id", ondelete="CASCADE"), index=True
    )
    #: §4, §6: items decided on a patrol (巡河确定事项) instead of at a meeting. Patrols are
    #: voided, never deleted, while an item refers to them (no ON DELETE action).
    patrol_id: Mapped[int | None] = mapped_column(ForeignKey("patrol.id"), index=True)
    title: Mapped[str] = mapped_column(Text)
    detail: Mapped[str | None] = mapped_column(Text)
    river_id: Mapped[int | None] = mapped_column(ForeignKey("river.id", ondelete="SET NULL"))
    supervisor_unit_id: Mapped[int | None] = mapped_column(ForeignKey("liaison_unit.id"))
    report_to_official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"))
    #: Local day the assignee reported it done (for "done on time" in the assessment).
    done_on: Mapped[date | None] = mapped_column(Date)
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())
