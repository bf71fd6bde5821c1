"""API shapes of the cross-boundary views, agreements and the rotation of conveners."""

from __future__ import annotations

from datetime import date
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.bounds import ObservedDate, PlausibleDate
from service.inputs import InputModel


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


class NeighborViewOut(BaseModel):
    """The neighbour view (staff, and that city's neighbor_viewer). Problems carry public
    fields only for a neighbor_viewer (id, category, state, river, date, lon, lat)."""

    neighbor_code: str
    neighbor_name: str
    from_: date = Field(alias="from")
    to: date
    buffer_km: float
    shared_border_km: float
    rivers: list[SharedRiverOut]
    crossings: list[dict[str, Any]]
    reaches: list[dict[str, Any]]
    reach_coverage: dict[str, float]
    problems: list[dict[str, Any]]
    problems_by_state: dict[str, int]
    agreements: list[AgreementOut]
    meetings: list[dict[str, Any]]
    open_action_items: list[dict[str, Any]]


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
