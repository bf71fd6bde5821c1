"""API shapes of reaches (河段) and of ``/responsibility`` (谁负责这里)."""

from __future__ import annotations

import math
from datetime import date
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

from service.bounds import PlausibleDate
from service.inputs import InputModel

Level = Literal["city", "county", "township", "village"]
Bank = Literal["left", "right", "both"]
#: The longest river line the city has is a few hundred km; measures beyond are typos.
MAX_MEASURE_M = 5_000_000.0


class ChiefRef(BaseModel):
    """A chief of a reach on the asked day (``level`` is the reach's level)."""

    id: int
    name: str
    title: str | None = None
    level: str
    assignment_id: int
    is_demo: bool = False


class UnitRef(BaseModel):
    id: int
    name: str
    assignment_id: int


class ReachOut(BaseModel):
    """A reach: ``from_m``/``to_m`` along the river's downstream line (metres, EPSG:4507
    planar), ``length_km`` of the river inside the city within them (geodesic)."""

    id: int
    river_id: int
    river_name: str
    level: Level
    admin_code: str = Field(description="511100, a county's 6 digits or a township's 9 digits")
    admin_name: str
    village_name: str | None
    code: str = Field(description="county code (city code for the city reach) + 6-digit sequence")
    name: str
    parent_id: int | None
    from_m: float
    to_m: float
    length_km: float
    bank: Bank | None
    start: tuple[float, float] = Field(description="upstream end, lon/lat (stored cut point)")
    end: tuple[float, float] = Field(description="downstream end, lon/lat (stored cut point)")
    valid_from: date
    valid_to: date | None
    is_demo: bool
    chiefs: list[ChiefRef]
    liaison_units: list[UnitRef] = []


class ReachCutIn(InputModel):
    """Cut a township or village reach: by measures (``from_m``, ``to_m``) or by two map
    points (``points``: [[lon, lat], [lon, lat]] WGS84, each snapped to the river)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "river_id": 1,
                    "level": "township",
                    "admin_code": "511111100",
                    "from_m": 120000,
                    "to_m": 131500,
                    "valid_from": "2026-01-01",
                },
                {
                    "river_id": 1,
                    "level": "village",
                    "admin_code": "511111100",
                    "village_name": "新华村",
                    "bank": "left",
                    "points": [[103.6105, 29.3322], [103.6244, 29.3411]],
                    "valid_from": "2026-01-01",
                },
            ]
        },
    )

    river_id: int
    level: Literal["township", "village"]
    admin_code: str = Field(pattern=r"^[0-9]{9}$", description="the township's 9-digit code")
    village_name: str | None = Field(default=None, min_length=1, max_length=60)
    bank: Bank | None = None
    from_m: float | None = Field(default=None, ge=0, le=MAX_MEASURE_M)
    to_m: float | None = Field(default=None, ge=0, le=MAX_MEASURE_M)
    points: list[tuple[float, float]] | None = Field(
        default=None, min_length=2, max_length=2, description="two [lon, lat] points"
    )
    valid_from: PlausibleDate
    valid_to: PlausibleDate | None = None

    @model_validator(mode="after")
    def _shape(self) -> ReachCutIn:
        by_measure = self.from_m is not None or self.to_m is not None
        if by_measure == (self.points is not None):
            raise ValueError("give either from_m and to_m, or two points")
        if by_measure and (self.from_m is None or self.to_m is None):
            raise ValueError("give both from_m and to_m")
        if self.from_m is not None and self.to_m is not None and self.to_m <= self.from_m:
            raise ValueError("to_m must be greater than from_m (measures run downstream)")
        for lon, lat in self.points or []:
            if not (math.isfinite(lon) and math.isfinite(lat)):
                raise ValueError("points must be finite numbers")
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                raise ValueError("points are [lon, lat] in degrees")
        if (self.level == "village") != (self.village_name is not None):
            raise ValueError("a village reach needs village_name; other levels take none")
        if self.valid_to is not None and self.valid_to < self.valid_from:
            raise ValueError("valid_to must not be before valid_from")
        return self


class ReachEndIn(InputModel):
    valid_to: PlausibleDate = Field(description="the last day the reach is in force")


class Snapped(BaseModel):
    """A map point snapped onto a river (for cutting by clicks)."""

    river_id: int
    measure_m: float
    lon: float
    lat: float
    distance_m: float = Field(description="geodesic metres from the given point to the river")


class Moved(BaseModel):
    """A reach placed again on a re-imported line."""

    reach_id: int
    code: str
    level: str
    moved_m: float | None = Field(
        description="how far its stored end points lie from the new line, metres; null when "
        "it could not be placed (no segment of its county remains)"
    )
    from_m: float
    to_m: float
    note: str


class ReplaceReport(BaseModel):
    river_id: int
    tolerance_m: float
    reaches: int
    moved: list[Moved] = Field(description="reaches that moved more than the river's tolerance")
    added: list[str] = Field(description="codes of county reaches made for new segments")


class TownshipOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    code: str
    name: str
    county_code: str


class LevelEntry(BaseModel):
    """One level of the chain of responsibility at a point."""

    level: Level
    reach_id: int
    code: str
    name: str
    admin_code: str
    admin_name: str
    village_name: str | None
    bank: Bank | None
    from_m: float
    to_m: float
    length_km: float
    chiefs: list[ChiefRef]
    liaison_units: list[UnitRef] = []


class RiverRef(BaseModel):
    id: int
    name: str
    measure_m: float = Field(description="the point's place along the downstream line, m")
    distance_m: float = Field(description="geodesic metres from the point to the river")
    side: Literal["left", "right"] | None = Field(description="bank facing downstream")
    positional_accuracy_m: float
    tolerance_m: float


class Responsibility(BaseModel):
    """Who is responsible at a point on a day: city -> county -> township -> village."""

    lon: float
    lat: float
    on: date
    county_code: str
    county_name: str
    river: RiverRef | None
    levels: list[LevelEntry]
