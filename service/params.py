"""Shared query-parameter parsing (bbox, dates) with 422 messages that say what is wrong.

Dates and years use the bounds of ``service.bounds`` (2000-01-01 .. 2100-12-31), so a far
date is a 422 naming the parameter, never an overflow further down.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Path, Query
from pydantic import FiniteFloat

from service.bounds import EARLIEST_YEAR, LATEST_YEAR, PlausibleDate
from service.errors import InvalidInput
from service.timeutil import today_local

BBox = tuple[float, float, float, float]


def parse_bbox(value: str | None) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` in EPSG:4326 degrees."""
    if value is None or value == "":
        return None
    message = "bbox must be four numbers: minlon,minlat,maxlon,maxlat"
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError as exc:
        raise InvalidInput(message, field="bbox") from exc
    if len(parts) != 4:
        raise InvalidInput(message, field="bbox")
    x1, y1, x2, y2 = parts
    if not (-180 <= x1 < x2 <= 180 and -90 <= y1 < y2 <= 90):  # NaN fails these too
        raise InvalidInput("bbox must be lon/lat degrees with min < max (EPSG:4326)", field="bbox")
    return (x1, y1, x2, y2)


def bbox_param(
    bbox: Annotated[
        str | None, Query(description="minlon,minlat,maxlon,maxlat (EPSG:4326)")
    ] = None,
) -> BBox | None:
    return parse_bbox(bbox)


BBoxDep = Annotated[BBox | None, Depends(bbox_param)]


def on_param(
    on: Annotated[
        PlausibleDate | None,
        Query(description="the day (YYYY-MM-DD, Asia/Shanghai); default today"),
    ] = None,
) -> date:
    return on or today_local()


OnDep = Annotated[date, Depends(on_param)]


#: ``from``/``to``: an inclusive period of local (Asia/Shanghai) days, 2000-01-01..2100-12-31.
FromQ = Annotated[
    PlausibleDate | None, Query(alias="from", description="first day, YYYY-MM-DD (local)")
]
ToQ = Annotated[PlausibleDate | None, Query(alias="to", description="last day, YYYY-MM-DD (local)")]


def check_range(start: date | None, end: date | None) -> None:
    """``from`` must not be after ``to``."""
    if start is not None and end is not None and start > end:
        raise InvalidInput("'from' must not be after 'to'", code="empty_period", field="from")


_YEAR_DOC = f"calendar year (Asia/Shanghai), {EARLIEST_YEAR}..{LATEST_YEAR}"
#: An optional calendar-year filter (Asia/Shanghai); bounded so no date arithmetic overflows.
YearFilter = Annotated[int | None, Query(ge=EARLIEST_YEAR, le=LATEST_YEAR, description=_YEAR_DOC)]
#: A required calendar year in the query.
YearQ = Annotated[int, Query(ge=EARLIEST_YEAR, le=LATEST_YEAR, description=_YEAR_DOC)]
#: A calendar year in the path (``/assessments/{year}``).
YearPath = Annotated[int, Path(ge=EARLIEST_YEAR, le=LATEST_YEAR, description=_YEAR_DOC)]
#: A finite float form field or query parameter (``nan``/``inf`` are 422, ``not_finite``).
Finite = FiniteFloat
