"""API shapes of plans and the four annual lists."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.bounds import ObservedDate, PlausibleDate
from service.inputs import InputModel
from service.workflow.schemas import WorkflowEventOut

ListKind = Literal["targets", "problems", "tasks", "responsibilities"]


class ListItemIn(InputModel):
    """One line of a list; unused columns of a kind stay null (see ``AnnualListItem``)."""

    category: str | None = Field(default=None, max_length=200)
    content: str = Field(min_length=1, max_length=4000, examples=["岷江乐山段水质稳定达到Ⅱ类"])
    measure: str | None = Field(default=None, max_length=2000, examples=["Ⅱ类水质达标率100%"])
    county_code: str | None = Field(default=None, max_length=12, examples=["511111"])
    problem_id: int | None = None
    responsible_unit: str | None = Field(default=None, max_length=500)
    cooperating_units: str | None = Field(default=None, max_length=500)
    responsible_person: str | None = Field(default=None, max_length=200)
    due_date: PlausibleDate | None = None
    note: str | None = Field(default=None, max_length=2000)


class ListItemOut(ListItemIn):
    model_config = ConfigDict(from_attributes=True)
    ord: int


class AnnualListsIn(InputModel):
    """All four lists at once: saving replaces what was there (only while drafted)."""

    targets: list[ListItemIn] = Field(default_factory=list, max_length=500)
    problems: list[ListItemIn] = Field(default_factory=list, max_length=500)
    tasks: list[ListItemIn] = Field(default_factory=list, max_length=500)
    responsibilities: list[ListItemIn] = Field(default_factory=list, max_length=500)


class AnnualListsOut(BaseModel):
    id: int
    river_id: int
    river_name: str
    year: int
    state: str
    approved_by_official_id: int | None
    approved_on: date | None
    document_number: str | None
    targets: list[ListItemOut]
    problems: list[ListItemOut]
    tasks: list[ListItemOut]
    responsibilities: list[ListItemOut]
    history: list[WorkflowEventOut]


class RiverPlanIn(InputModel):
    title: str = Field(
        min_length=1, max_length=300, examples=["岷江（乐山段）一河一策管理保护方案（2026—2030年）"]
    )
    period_start: int = Field(ge=2000, le=2100, examples=[2026])
    period_end: int = Field(ge=2000, le=2100, examples=[2030])
    summary: str | None = Field(default=None, max_length=20000)


class RiverPlanOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    river_id: int
    title: str
    period_start: int
    period_end: int
    summary: str | None
    state: str
    approved_by_official_id: int | None
    approved_on: date | None
    document_number: str | None = None


class ApproveIn(InputModel):
    on: ObservedDate | None = Field(
        default=None, description="the day (default today, Asia/Shanghai; not in the future)"
    )
    note: str | None = Field(default=None, max_length=2000)
