"""API shapes of river health assessments."""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field

from service.bounds import ObservedDate
from service.inputs import InputModel


class HealthAssessmentIn(InputModel):
    river_id: int
    segment_id: int | None = Field(default=None, description="null: the whole river in the city")
    year: int = Field(ge=2000, le=2100)
    assessed_on: ObservedDate
    scores: dict[str, float] = Field(
        description="indicator code -> score 0-100 (see GET /api/v1/health/config)",
        examples=[{"shoreline_naturalness": 82, "illegal_shoreline_use": 90}],
    )
    measured: dict[str, str] = Field(default_factory=dict, description="what was measured")
    report_title: str | None = Field(default=None, max_length=300)


class IndicatorScoreOut(BaseModel):
    indicator: str
    name: str
    criterion: str
    score: float
    measured: str | None


class HealthAssessmentOut(BaseModel):
    id: int
    river_id: int
    river_name: str
    segment_id: int | None
    county_code: str | None
    year: int
    assessed_on: date
    score: float
    health_class: str
    health_label: str
    criteria: dict[str, float]
    indicators: list[IndicatorScoreOut]
    report_title: str | None
    approved_by_official_id: int | None
    is_synthetic: bool
