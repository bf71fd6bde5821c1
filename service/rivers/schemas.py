"""API shapes for rivers and segments."""

from __future__ import annotations

from pydantic import BaseModel, Field


class ChiefRef(BaseModel):
    id: int
    name: str
    title: str | None = None
    role: str
    level: str | None
    county_code: str | None = None
    assignment_id: int


class LiaisonUnitRef(BaseModel):
    id: int
    name: str
    assignment_id: int


class RiverOut(BaseModel):
    id: int
    name: str = Field(examples=["岷江"])
    name_en: str | None = Field(examples=["Min River"])
    code: str | None = None
    kind: str = Field(examples=["river"])
    river_class: str = Field(examples=["major"])
    length_km: float = Field(description="length inside Leshan, geodesic, km", examples=[105.5])
    patrol_tolerance_m: float
    positional_accuracy_m: float
    counties: list[str] = Field(description="county codes the river's segments lie in")
    cross_boundary: bool
    coarse_geometry: bool = Field(
        description="the source layer is too coarse to judge 100 m-scale patrol coverage"
    )
    chiefs: list[ChiefRef]
    liaison_units: list[LiaisonUnitRef]


class SegmentOut(BaseModel):
    id: int
    county_code: str
    county_name: str
    length_km: float
    order: int


class RiverDetail(RiverOut):
    segments: list[SegmentOut]
