"""API shapes of problems."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

from service.bounds import ObservedDatetime
from service.inputs import InputModel
from service.reaches.schemas import LevelEntry
from service.timeutil import local_date
from service.workflow.schemas import TransitionIn, WorkflowEventOut

Category = Literal[
    "sand_mining",
    "garbage",
    "sewage_outfall",
    "illegal_construction",
    "illegal_fishing",
    "water_quality",
    "other",
]
Datum = Literal["wgs84", "cgcs2000", "gcj02"]


class ProblemIn(InputModel):
    """A report from the field. ``datum`` says what the coordinates are in: ``gcj02`` for
    Amap/Tencent phone apps (converted to WGS84 here), ``wgs84``/``cgcs2000`` for GPS.
    A naive ``observed_at`` is read as Asia/Shanghai time."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "lon": 103.6215,
                    "lat": 29.3396,
                    "datum": "wgs84",
                    "category": "garbage",
                    "description": "岸边堆放生活垃圾约 2 立方米",
                    "observed_at": "2026-03-02T10:30:00+08:00",
                }
            ]
        },
    )

    lon: float = Field(ge=-180, le=180, description="longitude, degrees")
    lat: float = Field(ge=-90, le=90, description="latitude, degrees")
    datum: Datum = "wgs84"
    category: Category
    description: str = Field(min_length=1, max_length=4000)
    observed_at: ObservedDatetime
    patrol_id: int | None = None
    covert: bool = Field(False, description="found by a covert check (暗访): never public")


class ProblemTransitionIn(TransitionIn):
    """``POST /problems/{id}/transitions``; ``duplicate_of`` for ``mark_duplicate``."""

    model_config = ConfigDict(
        extra="forbid",
        json_schema_extra={
            "examples": [
                {
                    "action": "assign",
                    "note": "请沙湾区限期整改",
                    "assignee_county": "511111",
                    "due_date": "2026-04-01",
                }
            ]
        },
    )

    duplicate_of: int | None = None
    assignee_township: str | None = Field(
        default=None,
        pattern=r"^[0-9]{9}$",
        description="assign to a township office (9-digit code) instead of a county or unit",
    )


class Person(BaseModel):
    id: int
    name: str
    title: str | None = None


class Unit(BaseModel):
    id: int
    name: str


class County(BaseModel):
    code: str
    name: str


class Responsible(BaseModel):
    """Who answered for the place on the day the problem was observed."""

    chief: Person | None
    liaison_unit: Unit | None
    county: County


class Duplicate(BaseModel):
    id: int
    state: str
    observed_at: datetime
    distance_m: float


class PhotoOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: int
    kind: str
    event_seq: int | None
    content_type: str
    bytes: int
    sha256: str
    width: int
    height: int
    exif_lon: float | None
    exif_lat: float | None
    exif_distance_m: float | None
    exif_taken_at: datetime | None
    uploaded_by: int | None
    uploaded_at: datetime
    url: str
    thumbnail_url: str


class ProblemPublic(BaseModel):
    """What anyone may see: no reporter, description, photos or assignee."""

    id: int
    category: str
    category_label: str
    state: str
    state_label: str
    river_id: int | None
    river_name: str | None
    date: date


class ProblemItem(BaseModel):
    """A problem as staff see it in lists."""

    id: int
    category: str
    category_label: str
    description: str
    lon: float
    lat: float
    datum: str
    input_lon: float
    input_lat: float
    observed_at: datetime
    reported_at: datetime
    reporter_id: int | None
    patrol_id: int | None
    river_id: int | None
    river_name: str | None
    segment_id: int | None
    reach_id: int | None = Field(description="the lowest-level reach holding the point")
    township_code: str | None = Field(description="that reach's township (9 digits)")
    county_code: str
    county_name: str
    distance_m: float | None
    off_river: bool
    covert: bool
    responsible: Responsible
    state: str
    state_label: str
    due_date: date | None
    overdue: bool
    assignee_county: str | None
    assignee_unit_id: int | None
    assignee_township: str | None = None
    duplicate_of: int | None
    is_synthetic: bool
    supervised_at: datetime | None = Field(
        default=None, description="督办: when last chased (history row ``supervise``)"
    )


class ProblemOut(ProblemItem):
    """One problem with its ordered ``history`` (row 1 is the report) and photos."""

    possible_duplicates: list[Duplicate]
    allowed_actions: list[str]
    history: list[WorkflowEventOut]
    photos: list[PhotoOut]
    chain: list[LevelEntry] = Field(
        default=[], description="reaches holding it and their chiefs, city -> village"
    )


class SummaryGroup(BaseModel):
    """Counts by current state; rates for the annual assessment.

    ``on_time_rate`` = ``on_time`` / ``judged``: judged are problems rectified (last
    rectification counted), closed not fixed, or past their due date; on time = rectified on
    or before the due date. ``median_days_to_close``: report to 销号 (state ``closed``).
    """

    total: int
    counts: dict[str, int]
    overdue: int
    judged: int
    on_time: int
    on_time_rate: float | None
    closed: int
    median_days_to_close: float | None


class CountySummary(SummaryGroup):
    county_code: str
    county_name: str


class RiverSummary(SummaryGroup):
    river_id: int | None
    river_name: str


class ProblemSummary(BaseModel):
    year: int
    as_of: date
    total: SummaryGroup
    counties: list[CountySummary]
    rivers: list[RiverSummary]


def public_view(item: ProblemItem) -> ProblemPublic:
    """The public fields of a problem (``date``: the Asia/Shanghai day it was observed)."""
    return ProblemPublic(
        id=item.id,
        category=item.category,
        category_label=item.category_label,
        state=item.state,
        state_label=item.state_label,
        river_id=item.river_id,
        river_name=item.river_name,
        date=local_date(item.observed_at),
    )
