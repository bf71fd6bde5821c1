"""API shapes of the overview: every number is a :class:`Figure` naming its list."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class Figure(BaseModel):
    """A number and the request that reproduces it.

    ``list`` is a path with its query. The number is that list's ``X-Total-Count`` (a JSON
    array), its number of items (or GeoJSON features) whose properties equal ``where``, or,
    when ``field`` is set, that field of the JSON answer."""

    value: float | int | None
    list: str
    where: dict[str, Any] | None = None
    field: str | None = None


class RiverCoverageStat(BaseModel):
    river_id: int
    name: str
    length_km: float
    covered_km: float
    coverage: Figure = Field(description="covered share 0..1 (the row of the coverage list)")
    patrols: int


class CountyCoverageStat(BaseModel):
    code: str
    name: str
    length_km: float = Field(description="river length of the county's segments, km")
    covered_km: float
    coverage: Figure = Field(description="covered share 0..1 of the county's river length")


class MonthCount(BaseModel):
    month: str = Field(examples=["2026-05"])
    from_: date = Field(alias="from")
    to: date
    patrols: Figure

    model_config = ConfigDict(populate_by_name=True)


class LevelCompliance(BaseModel):
    level: str = Field(description="city, county, township or village")
    officials: Figure
    behind: Figure = Field(description="officials not (yet) meeting their level's rule")


class BehindOfficial(BaseModel):
    official_id: int
    name: str
    level: str
    total: int
    required_total: int
    missing: list[str]


class ComplianceStat(BaseModel):
    year: int = Field(description="the calendar year of the period's end")
    levels: list[LevelCompliance]
    behind: list[BehindOfficial] = Field(description="who is behind, fewest patrols first")


class Bucket(BaseModel):
    key: str
    label: str
    count: Figure


class CountyProblems(BaseModel):
    code: str
    name: str
    count: Figure
    overdue: Figure


class ProblemStats(BaseModel):
    total: Figure
    closed: Figure = Field(description="销号 (state closed)")
    closure_rate: float | None = Field(description="closed / total")
    median_days_to_close: Figure
    overdue: Figure
    by_state: list[Bucket]
    by_category: list[Bucket]
    by_county: list[CountyProblems]


class PublicReportStats(BaseModel):
    received: Figure
    accepted: Figure
    closed: Figure
    pending: Figure
    median_days: Figure


class CrossBoundaryStats(BaseModel):
    neighbors: Figure = Field(description="neighbouring cities sharing a border")
    shared_rivers: Figure = Field(description="rivers crossing or following the border")


class Overview(BaseModel):
    """驾驶舱: the period at a glance. Sections the caller may not see are null."""

    from_: date = Field(alias="from")
    to: date
    public: bool = Field(description="public figures only (anonymous or ?public=1)")
    generated_at: datetime
    coverage_rivers: list[RiverCoverageStat]
    coverage_counties: list[CountyCoverageStat]
    patrols_by_month: list[MonthCount] | None
    compliance: ComplianceStat | None
    problems: ProblemStats
    public_reports: PublicReportStats
    cross_boundary: CrossBoundaryStats

    model_config = ConfigDict(populate_by_name=True)
