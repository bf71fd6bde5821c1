"""API shapes of inspections (督查) and their findings."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from service.bounds import ObservedDate, PlausibleDate
from service.inputs import InputModel
from service.problems.schemas import Category, Datum


class FindingIn(InputModel):
    lon: float = Field(ge=-180, le=180)
    lat: float = Field(ge=-90, le=90)
    datum: Datum = "wgs84"
    category: Category
    description: str = Field(min_length=1, max_length=4000)
    due_date: PlausibleDate = Field(description="rectification deadline given to the county")


class InspectionIn(InputModel):
    inspected_on: ObservedDate
    title: str = Field(min_length=1, max_length=300, examples=["2026年第一季度河湖长制工作督查"])
    county_code: str | None = Field(default=None, max_length=12, description="inspected county")
    liaison_unit_id: int | None = Field(default=None, description="or the inspected unit")
    river_id: int | None = None
    summary: str | None = Field(default=None, max_length=20000)
    findings: list[FindingIn] = Field(default_factory=list, max_length=200)


class FindingOut(BaseModel):
    id: int
    category: str
    description: str
    lon: float
    lat: float
    problem_id: int | None
    problem_state: str | None
    handed_to_county: str | None
    due_date: date | None


class InspectionOut(BaseModel):
    id: int
    inspected_on: date
    title: str
    organiser: str
    organiser_unit_id: int | None
    county_code: str | None
    liaison_unit_id: int | None
    target_name: str | None
    river_id: int | None
    summary: str | None
    is_synthetic: bool
    findings: list[FindingOut]
