"""API shapes of meetings, minutes and decided items."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.bounds import ObservedDate, PlausibleDate
from service.inputs import InputModel
from service.workflow.schemas import WorkflowEventOut

MeetingKind = Literal["general", "onsite", "basin", "joint", "office"]


class MeetingIn(InputModel):
    kind: MeetingKind = Field(examples=["onsite"])
    title: str = Field(min_length=1, max_length=300, examples=["岷江巡河现场会议"])
    held_on: PlausibleDate
    place: str | None = Field(default=None, max_length=300, examples=["五通桥区"])
    chair_official_id: int
    convener_unit_id: int | None = Field(
        default=None, description="organising liaison unit (onsite/basin); null = the office"
    )
    convener_code: str | None = Field(default=None, max_length=12, description="joint only")
    agreement_id: int | None = Field(default=None, description="joint only")
    river_ids: list[int] = Field(default_factory=list, max_length=50)
    attendees: list[str] = Field(default_factory=list, max_length=200)
    summary: str | None = Field(default=None, max_length=20000)


class MinutesOut(BaseModel):
    id: int
    meeting_id: int
    body: str
    state: str
    drafting_unit_id: int | None
    approved_by_official_id: int | None
    approved_on: date | None
    document_number: str | None
    history: list[WorkflowEventOut]


class MeetingOut(BaseModel):
    id: int
    kind: str
    title: str
    held_on: date
    place: str | None
    chair_official_id: int | None
    chair_name: str | None
    convener_unit_id: int | None
    convener: str
    convener_code: str | None
    agreement_id: int | None
    river_ids: list[int]
    attendees: list[str]
    summary: str | None
    is_synthetic: bool
    minutes_state: str | None
    document_number: str | None
    action_items: int


class MinutesIn(InputModel):
    body: str = Field(min_length=1, max_length=50000)
    on: ObservedDate | None = Field(default=None, description="day of the step (default today)")


class StepIn(InputModel):
    """A step of the minutes: ``approve``, ``return`` (with a note) or ``issue``."""

    model_config = ConfigDict(extra="forbid")
    action: Literal["approve", "return", "issue", "revise"]
    note: str | None = Field(default=None, max_length=4000)
    body: str | None = Field(default=None, max_length=50000, description="revise only")
    on: ObservedDate | None = None


class ActionItemIn(InputModel):
    title: str = Field(min_length=1, max_length=500, examples=["完成沙湾段非法采砂整治"])
    detail: str | None = Field(default=None, max_length=10000)
    river_id: int | None = None
    assignee_county: str | None = Field(default=None, max_length=12, examples=["511111"])
    assignee_unit_id: int | None = None
    due_date: PlausibleDate
    on: ObservedDate | None = Field(default=None, description="day assigned (default today)")


class PatrolActionItemIn(ActionItemIn):
    """A decided item from a patrol (巡河确定事项, §4 general chief, §6 municipal chiefs)."""

    patrol_id: int


class ActionItemStepIn(InputModel):
    model_config = ConfigDict(extra="forbid")
    action: Literal["supervise", "progress", "done", "reject", "verify", "report"]
    note: str | None = Field(default=None, max_length=4000)
    on: ObservedDate | None = None


class ActionItemOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    meeting_id: int | None
    patrol_id: int | None
    title: str
    detail: str | None
    river_id: int | None
    assignee_county: str | None
    assignee_unit_id: int | None
    assignee_name: str | None
    supervisor_unit_id: int | None
    report_to_official_id: int | None
    due_date: date | None
    state: str
    done_on: date | None
    overdue: bool
    allowed_actions: list[str]
    history: list[WorkflowEventOut]
