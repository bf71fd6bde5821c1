"""API shapes of patrols, coverage and compliance."""

from __future__ import annotations

from datetime import date, datetime

from pydantic import BaseModel, ConfigDict, Field

from service.inputs import InputModel


class RiverCovered(BaseModel):
    river_id: int
    name: str
    covered_km: float = Field(description="length alongside the track, km")
    coverage: float = Field(description="covered share of the river's length inside Leshan, 0..1")


class SegmentCovered(BaseModel):
    segment_id: int
    river_id: int
    county_code: str
    covered_km: float
    intervals: list[list[float]] = Field(
        description="covered [start, end] fractions along the segment (0 = upstream end)"
    )


class PatrolOut(BaseModel):
    """A patrol (巡河) as judged: times UTC, ``date`` the Asia/Shanghai day it counts for."""

    id: int
    chief_id: int
    chief_name: str | None
    date: date
    started_at: datetime | None
    ended_at: datetime | None
    duration_min: float | None
    length_km: float
    points: int
    rivers: list[RiverCovered]
    segments: list[SegmentCovered]
    valid: bool
    invalid_reasons: list[str] = Field(
        description="no_times, too_short_duration, too_short_length, no_coverage_of_own_river"
    )
    counted: bool = Field(description="valid and not voided: counts for coverage and compliance")
    format: str
    datum: str
    client_id: str | None
    notes: str | None
    warnings: list[str]
    cleaning: dict[str, int]
    upload_sha256: str
    is_synthetic: bool
    voided_at: datetime | None
    void_reason: str | None
    created_at: datetime


class VoidIn(InputModel):
    reason: str = Field(min_length=2, max_length=2000, description="why the patrol is voided")


class CoverageRow(BaseModel):
    river_id: int
    name: str
    length_km: float = Field(description="length inside Leshan, km (geodesic)")
    covered_km: float
    coverage: float = Field(description="covered_km / length_km, 0..1")
    patrols: int = Field(description="valid patrols in the period that cover some of it")


class DutyPeriod(BaseModel):
    """A period a chief owed patrols in (JSON ``from``/``to``: inclusive local days)."""

    model_config = ConfigDict(populate_by_name=True, serialize_by_alias=True)

    label: str = Field(examples=["2026Q3", "2026-05", "2026-W23"])
    from_: date = Field(alias="from")
    to: date
    required: int
    done: int = Field(description="patrols counted for the rule in the period")


class ComplianceRow(BaseModel):
    official_id: int
    name: str
    role: str = Field(description="general_chief (市总河长) or river_chief (河长)")
    level: str = Field(description="city, county, township or village: whose rule applies")
    rule: str = Field(description="the level's rule in words (zh-CN)")
    rule_source: str = Field(description="where the rule comes from")
    period: str | None = Field(description="half, quarter, month, xun (旬) or week")
    required_per_period: int
    periods: list[DutyPeriod] = Field(description="the periods owed, with patrols counted")
    reach_ids: list[int] = Field(description="the reaches the chief held at that level")
    coverage: float | None = Field(
        description="coverage of the chief's own reaches this year (to today), 0..1"
    )
    required_total: int = Field(description="patrols owed in the year, prorated, rounded up")
    required_per_half: int = Field(description="the rule's per-half-year minimum (1 or 0)")
    required_h1: int = Field(description="owed in 1 Jan-30 Jun (0 if held for half or less)")
    required_h2: int = Field(description="owed in 1 Jul-31 Dec (0 if held for half or less)")
    h1: int
    h2: int
    total: int
    compliant: bool
    missing: list[str] = Field(
        description='what is still needed, e.g. "1 more patrol by 2026-12-31"'
    )
    held_days: int
    #: The patrols counted for the rule this year (evidence of the assessment; not in the API).
    patrol_ids: list[int] = Field(default_factory=list, exclude=True)
