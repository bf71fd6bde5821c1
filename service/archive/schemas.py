"""API shapes of the river archive (一河一档): what the office types in, and the whole record."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from service.inputs import InputModel

Short = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=120)]
ProblemText = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1, max_length=200)]
#: Bounds of the typed-in lists: a river has a handful of zones and main problems, not hundreds.
MAX_ZONES = 50
MAX_PROBLEMS = 30
#: The longest river of China is 6,300 km; the largest basin 1.8 million km².
MAX_LENGTH_KM = 7000.0
MAX_AREA_KM2 = 2_000_000.0


class WaterFunctionZone(InputModel):
    """水功能区: a stretch of the river with a function (保护区, 保留区, 开发利用区, 缓冲区 …)
    and the water class it must meet (1-5 = I-V)."""

    name: Short
    kind: Short | None = None
    start: Short | None = Field(default=None, description="起始断面 (a place name)")
    end: Short | None = Field(default=None, description="终止断面 (a place name)")
    length_km: float | None = Field(default=None, gt=0, le=MAX_LENGTH_KM)
    target_class: int | None = Field(default=None, ge=1, le=5, description="1-5 = I-V")


class ArchiveIn(InputModel):
    """The typed-in archive fields; a PATCH changes the fields it names (null clears one)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "river_level": "省级河流",
                    "basin": "长江流域岷江水系",
                    "source": "四川省阿坝州松潘县弓杠岭",
                    "mouth": "宜宾市汇入长江",
                    "total_length_km": 735,
                    "catchment_area_km2": 135881,
                    "water_function_zones": [
                        {"name": "岷江乐山保留区", "kind": "保留区", "target_class": 3}
                    ],
                    "main_problems": ["沿岸农业面源污染", "河道采砂管理"],
                }
            ]
        }
    )

    river_level: Short | None = Field(default=None, description="河流等级, e.g. 省级河流")
    basin: Short | None = Field(default=None, description="所属流域")
    source: Short | None = Field(default=None, description="河源")
    mouth: Short | None = Field(default=None, description="河口")
    total_length_km: float | None = Field(default=None, gt=0, le=MAX_LENGTH_KM)
    catchment_area_km2: float | None = Field(default=None, gt=0, le=MAX_AREA_KM2)
    water_function_zones: list[WaterFunctionZone] | None = Field(default=None, max_length=MAX_ZONES)
    main_problems: list[ProblemText] | None = Field(default=None, max_length=MAX_PROBLEMS)
    note: Annotated[str, StringConstraints(strip_whitespace=True, max_length=2000)] | None = None


class PlaceOut(BaseModel):
    """A county or township the river crosses, with the river's length there (km)."""

    code: str
    name: str
    length_km: float


class ArchiveChief(BaseModel):
    name: str
    title: str | None


class ArchiveReach(BaseModel):
    id: int
    level: str
    code: str
    name: str
    admin_name: str
    length_km: float
    chiefs: list[ArchiveChief]


class ArchiveSection(BaseModel):
    """A monitoring section (监测断面) on the river, upstream first."""

    id: int
    code: str
    name: str
    kind: str
    target_class: int
    measure_km: float


class ArchivePlan(BaseModel):
    """一河一策 of a period of years."""

    id: int
    title: str
    period_start: int
    period_end: int
    state: str


class ArchiveList(BaseModel):
    """The four annual lists of one year: how many lines each list has."""

    id: int
    year: int
    state: str
    targets: int
    problems: int
    tasks: int
    responsibilities: int


class ProblemCount(BaseModel):
    category: str
    label: str
    open: int


class ArchiveOut(BaseModel):
    """一河一档 of one river on day ``on``: typed-in fields and computed ones."""

    river_id: int
    on: date
    code: str | None
    name: str
    kind: str
    river_class: str
    river_level: str | None
    basin: str | None
    source: str | None
    mouth: str | None
    total_length_km: float | None
    length_in_city_km: float = Field(description="geodesic length of the river inside the city")
    catchment_area_km2: float | None
    counties: list[PlaceOut]
    townships: list[PlaceOut]
    reaches: list[ArchiveReach]
    sections: list[ArchiveSection]
    water_function_zones: list[WaterFunctionZone]
    main_problems: list[str]
    open_problems: list[ProblemCount] = Field(description="open problem points by category")
    plans: list[ArchivePlan]
    annual_lists: list[ArchiveList]
    note: str | None
    updated_at: datetime | None
