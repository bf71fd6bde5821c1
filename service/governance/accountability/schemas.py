"""API shapes of accountability records and commendations."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.bounds import ObservedDate
from service.inputs import InputModel

AccountabilityKind = Literal["reminder", "circular", "admonition", "accountability"]
CommendationKind = Literal["commendation", "praise", "incentive"]


class Target(InputModel):
    """Exactly one of a county, a liaison unit or a department."""

    county_code: str | None = Field(default=None, max_length=12, examples=["511112"])
    liaison_unit_id: int | None = None
    department_id: int | None = None


class AccountabilityIn(Target):
    kind: AccountabilityKind
    issued_on: ObservedDate
    issued_by: str = Field(default="市河长制办公室", max_length=100)
    river_id: int | None = None
    person: str | None = Field(default=None, max_length=200)
    reason: str = Field(min_length=1, max_length=4000, examples=["巡河发现问题整改滞后"])
    handed_to: str | None = Field(default=None, max_length=200, description="accountability")


class FollowUpIn(InputModel):
    """§21: the office re-checks what an admonition interview demanded."""

    follow_up_on: ObservedDate
    follow_up_note: str = Field(min_length=1, max_length=4000)


class AccountabilityOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    issued_on: date
    issued_by: str
    county_code: str | None
    liaison_unit_id: int | None
    department_id: int | None
    target_name: str | None = None
    river_id: int | None
    person: str | None
    reason: str
    document_number: str | None = None
    handed_to: str | None
    follow_up_on: date | None
    follow_up_note: str | None
    is_synthetic: bool


class CommendationIn(Target):
    kind: CommendationKind
    awarded_on: ObservedDate
    person: str | None = Field(default=None, max_length=200)
    reason: str = Field(min_length=1, max_length=4000)


class CommendationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    kind: str
    awarded_on: date
    county_code: str | None
    liaison_unit_id: int | None
    department_id: int | None
    target_name: str | None = None
    person: str | None
    reason: str
    document_number: str | None = None
    is_synthetic: bool
