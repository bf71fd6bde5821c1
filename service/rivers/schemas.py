"""API shapes for rivers and segments."""

from __future__ import annotations

from pydantic import BaseModel, Field


class RiverFacts(BaseModel):
    """A river as the registry knows it (who is responsible: ``officials.schemas.RiverOut``)."""

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


class SegmentOut(BaseModel):
    id: int
    county_code: str
    county_name: str
    length_km: float
    order: int
