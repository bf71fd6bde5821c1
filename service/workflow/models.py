"""Rows of the workflow engine: one generic history table and the columns a workflow entity has.

``workflow_event`` holds the history of every entity that uses a :class:`~service.workflow.
engine.Workflow` (problems, meeting decided items, ...), keyed by ``(entity_type, entity_id)``
and numbered ``seq`` 1, 2, 3 ... per entity. The entity itself caches its current ``state``
(plus assignee and due date) through :class:`WorkflowMixin` so lists and filters need no join.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    func,
)
from sqlalchemy.dialects.postgresql import JSONB
from sqlalchemy.orm import Mapped, declared_attr, mapped_column

from service.db import Base, region_default


class WorkflowEvent(Base):
    """One change of state of one entity: who, when, from -> to, note, assignee, due date.

    The first row of an entity (``seq`` 1) is its creation (``from_state`` NULL). ``data``
    carries what a particular action needs to keep (a duplicate's original, evidence photo ids).
    ``actor_role`` is kept because an account's role may change later.
    """

    __tablename__ = "workflow_event"
    __table_args__ = (
        UniqueConstraint("entity_type", "entity_id", "seq", name="uq_workflow_event_seq"),
        Index("ix_workflow_event_entity", "entity_type", "entity_id"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    entity_type: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int] = mapped_column(Integer)
    #: The entity's region (a problem's own, else the home city): Citus' distribution key,
    #: so a problem's history is co-located with it (docs/scaling.md).
    region_code: Mapped[str] = mapped_column(
        String(6),
        default=region_default("SELECT region_of_entity(:entity_type, :entity_id)"),
    )
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    from_state: Mapped[str | None] = mapped_column(String(24))
    to_state: Mapped[str] = mapped_column(String(24))
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    actor_role: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    assignee_county: Mapped[str | None] = mapped_column(String(12))
    assignee_unit_id: Mapped[int | None] = mapped_column(Integer)
    assignee_township: Mapped[str | None] = mapped_column(String(9))
    due_date: Mapped[date | None] = mapped_column(Date)
    data: Mapped[dict[str, Any]] = mapped_column(JSONB, default=dict, server_default="{}")
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class WorkflowMixin:
    """Columns of an entity driven by a workflow: cached state, current assignee, due date.

    ``assignee_unit_id`` refers to ``liaison_unit`` (the units accounts are bound to, so the
    assigned unit can act itself); ``assignee_county`` to a county's ``admin_area`` code;
    ``assignee_township`` to a township office (``township`` code, 9 digits).
    """

    state: Mapped[str] = mapped_column(String(24), index=True)
    due_date: Mapped[date | None] = mapped_column(Date)
    state_changed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    @declared_attr
    def assignee_county(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey("admin_area.code"), index=True)

    @declared_attr
    def assignee_unit_id(cls) -> Mapped[int | None]:
        return mapped_column(ForeignKey("liaison_unit.id"))

    @declared_attr
    def assignee_township(cls) -> Mapped[str | None]:
        return mapped_column(ForeignKey("township.code"), index=True)
