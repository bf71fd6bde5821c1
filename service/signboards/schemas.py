"""API shapes of signboards (公示牌), what a board shows, and its public page."""

from __future__ import annotations

import math
from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import BaseModel, Field, StringConstraints, model_validator

from service.bounds import ObservedDate
from service.inputs import InputModel

Number = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, max_length=40, pattern=r"^[^\s/]+$"),
]
Note = Annotated[str, StringConstraints(strip_whitespace=True, max_length=500)]
Paper = Literal["A4", "A3"]
#: never_printed: no printing recorded; current: the last printing shows what the board would
#: show today; out_of_date: a chief (or the phone number, the link, a name) changed since.
PrintStatus = Literal["never_printed", "current", "out_of_date"]


def _check_point(lon: float | None, lat: float | None) -> None:
    if (lon is None) != (lat is None):
        raise ValueError("give both lon and lat, or neither")
    if lon is not None and lat is not None:
        if not (math.isfinite(lon) and math.isfinite(lat)):
            raise ValueError("lon and lat must be finite numbers")
        if not (-180 <= lon <= 180 and -90 <= lat <= 90):
            raise ValueError("lon/lat are WGS84 degrees")


class SignboardIn(InputModel):
    """A new board by a reach; without a point it stands at the reach's middle."""

    reach_id: int
    number: Number = Field(description="the board's number as painted on it")
    lon: float | None = Field(default=None, description="WGS84 degrees")
    lat: float | None = Field(default=None, description="WGS84 degrees")
    installed_on: ObservedDate | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _point(self) -> SignboardIn:
        _check_point(self.lon, self.lat)
        return self


class SignboardPatch(InputModel):
    """Change what the body names: number, place (lon and lat together), reach, date, note."""

    reach_id: int | None = None
    number: Number | None = None
    lon: float | None = None
    lat: float | None = None
    installed_on: ObservedDate | None = None
    note: Note | None = None

    @model_validator(mode="after")
    def _point(self) -> SignboardPatch:
        _check_point(self.lon, self.lat)
        if "number" in self.model_fields_set and self.number is None:
            raise ValueError("a board keeps a number")
        if "reach_id" in self.model_fields_set and self.reach_id is None:
            raise ValueError("a board stands by a reach")
        return self


class BoardChief(BaseModel):
    level: str
    level_label: str = Field(description="市级河长, 县级河长 …")
    reach_name: str
    name: str
    title: str | None


class BoardContent(BaseModel):
    """What a board shows (and what a printing recorded)."""

    river: str
    reach_code: str
    reach_name: str
    level: str
    start: str = Field(description="the reach's upstream end, as printed")
    end: str = Field(description="the reach's downstream end, as printed")
    length_km: float
    chiefs: list[BoardChief]
    phone: str
    url: str


class SignboardOut(BaseModel):
    id: int
    number: str
    reach_id: int
    reach_code: str
    reach_name: str
    river_id: int
    river_name: str
    lon: float
    lat: float
    installed_on: date | None
    note: str | None
    has_photo: bool
    is_demo: bool
    page_url: str = Field(description="what its QR code holds: public base URL + /r/{reach code}")
    print_status: PrintStatus
    out_of_date: bool = Field(description="printed, and a chief or another printed line changed")
    last_printed_at: datetime | None
    last_printed_paper: Paper | None


class PageOut(BaseModel):
    """The public page of a reach (``/r/{code}``): who answers for it today and how it does."""

    reach_id: int
    code: str
    on: date
    ended: bool
    content: BoardContent
    coverage: float = Field(description="share of the reach patrolled this year, 0-1")
    covered_km: float
    patrols: int
    open_problems: int
    report_url: str
