"""API shapes of the cross-boundary views and of agreement input.

Agreements, joint meetings and the next convener are answered in
``service.governance.agreements.schemas``.
"""

from __future__ import annotations

import datetime as dt
from datetime import date
from typing import Annotated, Any, Literal

from pydantic import AliasChoices, BaseModel, ConfigDict, Field, model_validator

from service.bounds import ObservedDate, PlausibleDate
from service.governance.agreements.schemas import AgreementOut, JointMeetingOut, OpenActionItemOut
from service.inputs import InputModel
from service.water_quality.schemas import NeighborWaterQuality


class CrossingOut(BaseModel):
    lon: float = Field(description="EPSG:4326; for `along`, the stretch's midpoint")
    lat: float
    direction: Literal["inflow", "outflow", "along"]
    neighbor_county: str | None = Field(description="county on the other side (name)")


class SharedRiverOut(BaseModel):
    river_id: int
    name: str = Field(examples=["岷江"])
    crossings: list[CrossingOut]
    along_border_km: float = Field(description="length following the border with this city")
    length_in_city_km: float = Field(description="length inside the focus city, geodesic")
    upstream_city: str | None = Field(
        description="city the river comes from (None if it rises inside)", examples=["眉山市"]
    )
    downstream_city: str | None = Field(
        description="city it flows on to (None if it ends inside)", examples=["宜宾市"]
    )


class NeighborOut(BaseModel):
    neighbor_code: str = Field(examples=["511400"])
    neighbor_name: str = Field(examples=["眉山市"])
    shared_border_km: float
    rivers: list[SharedRiverOut]


class AgreementIn(InputModel):
    title: str = Field(min_length=1, max_length=500, examples=["岷江流域乐山眉山联防联控合作协议"])
    document_no: str | None = Field(default=None, max_length=200)
    signed_on: ObservedDate
    valid_until: PlausibleDate | None = None
    rotation: list[str] = Field(
        min_length=2,
        max_length=10,
        description="party city codes in convening order, the focus city included",
        examples=[["511100", "511400"]],
    )
    river_ids: list[int] = Field(min_length=1, max_length=100)
    meeting_interval_months: int = Field(default=12, ge=1, le=60)
    notes: str | None = Field(default=None, max_length=5000)

    @model_validator(mode="after")
    def _dates(self) -> AgreementIn:
        if self.valid_until is not None and self.valid_until < self.signed_on:
            raise ValueError("valid_until is before signed_on")
        return self


class CrossingDetail(BaseModel):
    """A crossing with one neighbour as staff see it (codes, Leshan county, along length)."""

    river_id: int
    river_name: str
    seq: int
    direction: Literal["inflow", "outflow", "along"]
    lon: float
    lat: float
    neighbor_county_code: str | None
    neighbor_county: str | None
    county_code: str | None
    county_name: str | None
    length_km: float


class ReachOut(BaseModel):
    """A boundary reach: the piece of a segment within the buffer of the shared border."""

    river_id: int
    river_name: str
    segment_id: int
    county_code: str
    county_name: str
    start_frac: float = Field(description="along the segment, 0 = upstream end")
    end_frac: float
    length_km: float
    covered_km: float
    coverage: float = Field(description="covered_km / length_km, 0..1")
    geometry: dict[str, Any] = Field(description="GeoJSON LineString, EPSG:4326")


class ReachCoverage(BaseModel):
    length_km: float
    covered_km: float
    coverage: float


class BorderProblem(BaseModel):
    """A problem near the border as anyone may see it."""

    id: int
    category: str
    category_label: str
    state: str
    state_label: str
    river_id: int | None
    river: str | None
    date: dt.date = Field(description="the Asia/Shanghai day it was observed")
    lon: float
    lat: float


class BorderProblemStaff(BorderProblem):
    """A problem near the border as the focus city's staff see it."""

    description: str
    observed_at: str = Field(description="ISO 8601 with offset")
    county_code: str
    county_name: str
    due_date: dt.date | None
    overdue: bool
    covert: bool


class NeighborViewOut(BaseModel):
    """The neighbour view (staff, and that city's neighbor_viewer). Problems carry public
    fields only for a neighbor_viewer (id, category, state, river, date, lon, lat)."""

    neighbor_code: str
    neighbor_name: str
    # "from" is a keyword: the field is from_ in Python and "from" in JSON.
    from_: date = Field(validation_alias=AliasChoices("from", "from_"), serialization_alias="from")
    to: date
    buffer_km: float
    shared_border_km: float
    rivers: list[SharedRiverOut]
    crossings: list[CrossingDetail]
    reaches: list[ReachOut]
    reach_coverage: ReachCoverage
    # Staff first: a public problem lacks the staff fields, so it is never taken for one.
    problems: list[Annotated[BorderProblemStaff | BorderProblem, Field(union_mode="left_to_right")]]
    problems_by_state: dict[str, int]
    agreements: list[AgreementOut]
    meetings: list[JointMeetingOut]
    open_action_items: list[OpenActionItemOut]
    water_quality: NeighborWaterQuality


class AgreementPatch(InputModel):
    """Fields to change; ``rotation`` and ``river_ids`` replace the lists whole."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = Field(default=None, min_length=1, max_length=500)
    document_no: str | None = Field(default=None, max_length=200)
    signed_on: ObservedDate | None = None
    valid_until: PlausibleDate | None = None
    rotation: list[str] | None = Field(default=None, min_length=2, max_length=10)
    river_ids: list[int] | None = Field(default=None, min_length=1, max_length=100)
    meeting_interval_months: int | None = Field(default=None, ge=1, le=60)
    notes: str | None = Field(default=None, max_length=5000)
