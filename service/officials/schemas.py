"""API shapes for the roster."""

from __future__ import annotations

from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.bounds import PlausibleDate
from service.inputs import InputModel
from service.rivers.schemas import RiverFacts, SegmentOut


class OfficialIn(InputModel):
    name: str = Field(min_length=1, max_length=100, examples=["张三"])
    title: str | None = Field(default=None, max_length=200, examples=["副市长"])


class OfficialOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    title: str | None
    is_demo: bool


class ChiefRef(BaseModel):
    """A river chief holding the post on a day, and the assignment that says so."""

    id: int
    name: str
    title: str | None = None
    role: str
    level: str | None
    county_code: str | None = None
    assignment_id: int


class LiaisonUnitRef(BaseModel):
    """A liaison unit serving a river on a day, and the assignment that says so."""

    id: int
    name: str
    assignment_id: int


class RiverOut(RiverFacts):
    """A river with the people responsible for it on a day (``/rivers``)."""

    chiefs: list[ChiefRef]
    liaison_units: list[LiaisonUnitRef]


class RiverDetail(RiverOut):
    segments: list[SegmentOut]


class LiaisonUnitIn(InputModel):
    name: str = Field(min_length=1, max_length=100, examples=["市水务局"])


class LiaisonUnitOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    name: str
    is_demo: bool


class AssignmentIn(InputModel):
    """Who holds what from when. A river chief or liaison unit holds a reach (``reach_id``);
    given only ``river_id``, a city-level chief or a unit holds the river's city reach and a
    county chief with ``segment_id`` the county reach of that segment."""

    river_id: int | None = None
    reach_id: int | None = None
    segment_id: int | None = None
    official_id: int | None = None
    liaison_unit_id: int | None = None
    role: Literal["general_chief", "deputy_general_chief", "river_chief", "liaison_unit"]
    level: Literal["city", "county", "township", "village"] | None = None
    valid_from: PlausibleDate
    valid_to: PlausibleDate | None = None

    @model_validator(mode="after")
    def _holder(self) -> AssignmentIn:
        if (self.official_id is None) == (self.liaison_unit_id is None):
            raise ValueError("give exactly one of official_id and liaison_unit_id")
        if (self.role == "liaison_unit") != (self.liaison_unit_id is not None):
            raise ValueError(
                "role liaison_unit goes with liaison_unit_id, other roles with official_id"
            )
        if self.role == "river_chief" and self.level is None:
            raise ValueError(
                "a river_chief assignment needs a level (city/county/township/village)"
            )
        if (
            self.role in ("river_chief", "liaison_unit")
            and self.river_id is None
            and self.reach_id is None
        ):
            raise ValueError(f"a {self.role} assignment needs a reach_id (or a river_id)")
        if self.role in ("general_chief", "deputy_general_chief") and self.reach_id is not None:
            raise ValueError("general chiefs are city-wide: they hold no reach")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        return self


class AssignmentEnd(InputModel):
    valid_to: PlausibleDate


class AssignmentOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    river_id: int | None
    reach_id: int | None
    segment_id: int | None
    official_id: int | None
    liaison_unit_id: int | None
    role: str
    level: str | None
    county_code: str | None
    valid_from: date
    valid_to: date | None
