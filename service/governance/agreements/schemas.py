"""Shapes of agreements, their joint meetings and open decided items, and the next convener.

The cross-boundary API answers with these (``/cooperation-agreements``, ``/joint-meetings/next``
and the neighbour view); the services here return them.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class PartyOut(BaseModel):
    code: str
    name: str | None
    rotation_order: int


class RiverRef(BaseModel):
    river_id: int
    name: str


class AgreementOut(BaseModel):
    id: int
    title: str
    document_no: str | None
    signed_on: date
    valid_until: date | None
    meeting_interval_months: int
    notes: str | None
    parties: list[PartyOut] = Field(description="in rotation order (the convening order)")
    rivers: list[RiverRef]
    is_synthetic: bool


class JointMeetingOut(BaseModel):
    """A joint meeting (联席会议) held under an agreement."""

    id: int
    agreement_id: int | None
    title: str
    held_on: date
    place: str | None
    convener_code: str | None
    convener_name: str | None
    attendees: list[str]
    summary: str | None
    rivers: list[RiverRef]
    is_synthetic: bool


class OpenActionItemOut(BaseModel):
    """A decided item of a joint meeting still open (done but not yet verified counts)."""

    id: int
    meeting_id: int
    meeting_title: str
    meeting_held_on: date
    title: str
    river_id: int | None
    assignee: str | None = Field(description="the county's or the liaison unit's name")
    due_date: date | None
    state: str
    state_label: str
    overdue: bool


class LastMeeting(BaseModel):
    id: int
    held_on: date
    convener_code: str | None
    place: str | None


class NextConvenerOut(BaseModel):
    agreement_id: int
    rotation: list[PartyOut]
    last_meeting: LastMeeting | None
    next_convener_code: str = Field(examples=["511400"])
    next_convener_name: str | None = Field(examples=["眉山市"])
    due_on: date = Field(description="last meeting + the agreed interval (signing day if none)")
