"""Rows of ``river_plan`` (一河一策), ``annual_list`` and ``annual_list_item`` (四张清单).

§12: the liaison unit drafts both with the river chief office and departments, the river's
municipal chief approves, and they are issued in the name of the general chief office.
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
    UniqueConstraint,
    func,
)
from sqlalchemy.orm import Mapped, mapped_column

from service.db import Base
from service.workflow import WorkflowMixin

LIST_KINDS = ("targets", "problems", "tasks", "responsibilities")


class RiverPlan(WorkflowMixin, Base):
    """一河（湖）一策: a river's plan for a period of years.

    Drafted → approved → issued through the workflow engine; ``assignee_unit_id`` is the
    drafting liaison unit.
    """

    __tablename__ = "river_plan"
    __table_args__ = (CheckConstraint("period_end >= period_start", name="ck_river_plan_period"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    river_id: Mapped[int] = mapped_column(ForeignKey("river.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(Text)
    period_start: Mapped[int] = mapped_column(Integer)
    period_end: Mapped[int] = mapped_column(Integer)
    summary: Mapped[str | None] = mapped_column(Text)
    approved_by_official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"))
    approved_on: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("office_document.id"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), server_default=func.now())


class AnnualList(WorkflowMixin, Base):
    """The four annual lists of one river for one year (header; state via the workflow).

    ``assignee_unit_id`` is the drafting liaison unit.
    """

    __tablename__ = "annual_list"
    __table_args__ = (UniqueConstraint("river_id", "year", name="uq_annual_list_river_year"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    river_id: Mapped[int] = mapped_column(ForeignKey("river.id", ondelete="CASCADE"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    approved_by_official_id: Mapped[int | None] = mapped_column(ForeignKey("official.id"))
    approved_on: Mapped[date | None] = mapped_column(Date)
    document_id: Mapped[int | None] = mapped_column(ForeignKey("office_document.id"))
    is_synthetic: Mapped[bool] = mapped_column(Boolean, default=False, server_default="false")
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), server_default=func.now(), onupdate=func.now()
    )


class AnnualListItem(Base):
    """One line of one of the four lists; which columns matter depends on ``kind``.

    targets: category, content, measure (指标值), due_date · problems: category, content,
    county_code, problem_id (a problem point), responsible_unit, measure (整改措施), due_date ·
    tasks: category, content, responsible_unit, cooperating_units, due_date ·
    responsibilities: category, responsible_unit (责任主体), responsible_person, content.
    """

    __tablename__ = "annual_list_item"
    __table_args__ = (
        UniqueConstraint("list_id", "kind", "ord", name="uq_annual_list_item_ord"),
        CheckConstraint(
            "kind IN ('targets', 'problems', 'tasks', 'responsibilities')",
            name="ck_annual_list_item_kind",
        ),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    list_id: Mapped[int] = mapped_column(
        ForeignKey("annual_list.id", ondelete="CASCADE"), index=True
    )
    kind: Mapped[str] = mapped_column(String(16))
    ord: Mapped[int] = mapped_column(Integer)
    category: Mapped[str | None] = mapped_column(Text)
    content: Mapped[str] = mapped_column(Text)
    measure: Mapped[str | None] = mapped_column(Text)
    county_code: Mapped[str | None] = mapped_column(ForeignKey("admin_area.code"))
    #: A problem point (issue 4's ``problem`` table); no FK so lists survive problem clean-up.
    problem_id: Mapped[int | None] = mapped_column(Integer)
    responsible_unit: Mapped[str | None] = mapped_column(Text)
    cooperating_units: Mapped[str | None] = mapped_column(Text)
    responsible_person: Mapped[str | None] = mapped_column(Text)
    due_date: Mapped[date | None] = mapped_column(Date)
    note: Mapped[str | None] = mapped_column(Text)
