"""API shapes of monitoring sections, their readings and water-quality classes."""

from __future__ import annotations

from datetime import date, datetime
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, FiniteFloat

from service.bounds import ObservedDate
from service.inputs import InputModel

SectionKind = Literal["national", "provincial", "city", "county", "border"]
ReadingKind = Literal["monthly", "adhoc"]
Direction = Literal["inflow", "outflow"]


class SectionIn(InputModel):
    """A section to register: the point is snapped to the nearest river with segments in the
    city within the snapping limit (or to ``river_id`` when given, e.g. at a confluence)."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "name": "悦来渡口",
                    "code": "SC-511100-001",
                    "kind": "national",
                    "lon": 103.7625,
                    "lat": 29.708,
                    "target_class": 2,
                    "operator": "乐山市生态环境监测站",
                }
            ]
        },
    )

    name: str = Field(min_length=1, max_length=200)
    code: str = Field(
        pattern=r"^[0-9A-Za-z][0-9A-Za-z_.-]{0,31}$",
        description="the bureau's section code: letters, digits, '-', '_', '.'; up to 32",
    )
    kind: SectionKind = Field(
        description="national 国控, provincial 省控, city 市控, county 县控, border 交接"
    )
    lon: FiniteFloat = Field(ge=-180, le=180, description="longitude, WGS84 degrees")
    lat: FiniteFloat = Field(ge=-90, le=90, description="latitude, WGS84 degrees")
    target_class: int = Field(ge=1, le=5, description="target class 1-5 (I-V)")
    operator: str | None = Field(default=None, max_length=200, description="运维单位")
    river_id: int | None = Field(default=None, description="snap to this river only")


class County(BaseModel):
    code: str
    name: str


class ClassOut(BaseModel):
    """A class for a period: ``water_class`` 1-6 (6 = 劣V), None without readings."""

    water_class: int | None = Field(serialization_alias="class")
    label: str | None
    target_met: bool | None


class LatestClass(ClassOut):
    month: date = Field(description="first day of the latest month with readings")


class SectionOut(BaseModel):
    id: int
    code: str
    name: str
    kind: SectionKind
    kind_label: str
    river_id: int
    river_name: str
    lon: float
    lat: float
    snapped_lon: float
    snapped_lat: float
    measure_m: float = Field(description="metres along the river's downstream line")
    snap_distance_m: float = Field(description="geodesic metres from the point to the line")
    target_class: int
    target_label: str
    operator: str | None
    neighbor_code: str | None
    neighbor_name: str | None
    direction: Direction | None
    upstream_county: County | None
    downstream_county: County | None
    latest: LatestClass | None
    is_synthetic: bool


class ReadingIn(InputModel):
    """A reading entered by hand. ``values``: parameter code -> mg/L (pH unitless); codes
    ``do`` 溶解氧, ``codmn`` 高锰酸盐指数, ``cod`` 化学需氧量, ``bod5`` 五日生化需氧量,
    ``nh3n`` 氨氮, ``tp`` 总磷, ``tn`` 总氮, ``ph``."""

    model_config = ConfigDict(
        json_schema_extra={
            "examples": [
                {
                    "sampled_on": "2026-03-05",
                    "kind": "monthly",
                    "values": {"do": 5.5, "codmn": 4.5, "nh3n": 1.2, "tp": 0.15},
                }
            ]
        },
    )

    sampled_on: ObservedDate
    kind: ReadingKind = "monthly"
    values: dict[str, FiniteFloat] = Field(min_length=1, max_length=8)


class ReadingOut(BaseModel):
    id: int | None = Field(description="None in a preview")
    section_id: int
    section_code: str
    sampled_on: date
    kind: ReadingKind
    values: dict[str, float]
    below_detection: list[str]
    water_class: int | None = Field(serialization_alias="class")
    label: str | None
    by_parameter: dict[str, int] = Field(description="class of each classed parameter")
    worst_parameters: list[str]
    ph_in_range: bool | None
    target_class: int
    target_met: bool | None
    row: int | None = Field(default=None, description="spreadsheet row (header = 1)")
    is_synthetic: bool = False


class BadRow(BaseModel):
    """A refused spreadsheet row: its number (the header is row 1), the column at fault when
    there is one, a stable ``code`` and the reason."""

    row: int
    column: str | None
    code: str
    reason: str


class SectionExceeded(BaseModel):
    """Event ``water_quality.section_exceeded`` and its API shape: ``section`` was worse than
    its target in ``month`` (first day). ``problem_id`` is the 水质异常 problem it opened
    (``repeat`` False) or supervised, 督办 (``repeat`` True: a history row on the open one);
    ``county_code`` the county of the reach that problem was routed to; ``neighbor_code`` and
    ``direction`` set at a border section (the neighbour hears of it at the joint meeting)."""

    model_config = ConfigDict(frozen=True)

    exceedance_id: int
    section_id: int
    section_code: str
    section_name: str
    river_id: int
    river_name: str
    month: date
    water_class: int = Field(serialization_alias="class")
    target_class: int
    worst_parameters: tuple[str, ...]
    problem_id: int | None
    repeat: bool
    county_code: str | None
    neighbor_code: str | None
    direction: Direction | None
    sampled_on: date = Field(description="the month's last sampling day")
    is_synthetic: bool = Field(description="demo data: never notified")
    at: datetime


class RiverWaterQualityOut(BaseModel):
    """A river's class for a year from its sections (the health assessment's 水质优劣程度):
    the class of the mean over its sections of their annual means; None without readings."""

    river_id: int
    year: int
    sections: int = Field(description="sections with readings that year")
    water_class: int | None = Field(serialization_alias="class")
    worst: list[str]
    means: dict[str, float]
    share_i_to_iii: float | None = Field(description="share of sections of class I-III")
    measured: str | None


class ImportOut(BaseModel):
    dry_run: bool
    import_id: int | None
    rows: int = Field(description="rows imported (or, in a preview, that would be)")
    readings: list[ReadingOut]
    refused: list[BadRow]
    exceedances: list[SectionExceeded]


class ReadingEntryOut(BaseModel):
    """A reading entered by hand and the exceedance it caused, if any."""

    reading: ReadingOut
    exceedances: list[SectionExceeded]


class SectionRef(BaseModel):
    """Which section, on which river, at which border (shared by the class lists)."""

    id: int
    code: str
    name: str
    kind: SectionKind
    river_id: int
    river_name: str
    neighbor_code: str | None
    direction: Direction | None
    target_class: int


class SectionMonthOut(SectionRef):
    """``GET /water-quality``: one section's class for the month (or year)."""

    water_class: int | None = Field(serialization_alias="class")
    label: str | None
    target_met: bool | None
    readings: int
    worst_parameters: list[str]
    means: dict[str, float] = Field(description="mean value per parameter over the period")


class MonthClass(BaseModel):
    month: date
    water_class: int | None = Field(serialization_alias="class")
    target_met: bool | None


class SectionSeries(SectionRef):
    """A section's class by month (the river panel's chart, the 交接断面水质清单)."""

    lon: float
    lat: float
    upstream_county: County | None
    downstream_county: County | None
    months: list[MonthClass]
    period_class: int | None = Field(
        description="class of the means over the whole period (a calendar year: the annual)"
    )
    period_target_met: bool | None


class AgendaItem(SectionExceeded):
    """A month an inflow section from a neighbour city failed its target: an item for the
    next joint meeting with that city, with the state of the problem it opened or supervised."""

    kind: Literal["water_quality_exceedance"] = "water_quality_exceedance"
    label: str
    title: str
    problem_state: str | None
    problem_state_label: str | None


class NeighborWaterQuality(BaseModel):
    """Water quality in the cross-boundary view: the 交接断面水质清单 (inflow sections first)
    and the exceedances for the next joint meeting (since the last one, ``since``)."""

    border_sections: list[SectionSeries]
    agenda: list[AgendaItem]
    since: date | None
