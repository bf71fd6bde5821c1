"""Shared query-parameter parsing (bbox, dates) with 422 messages that say what is wrong."""

from __future__ import annotations

from datetime import date
from typing import Annotated

from fastapi import Depends, Query

from service.errors import InvalidInput
from service.timeutil import today_local

BBox = tuple[float, float, float, float]


def parse_bbox(value: str | None) -> BBox | None:
    """``minlon,minlat,maxlon,maxlat`` in EPSG:4326 degrees."""
    if value is None or value == "":
        return None
    try:
        parts = tuple(float(p) for p in value.split(","))
    except ValueError as exc:
        raise InvalidInput("bbox must be four numbers: minlon,minlat,maxlon,maxlat") from exc
    if len(parts) != 4:
        raise InvalidInput("bbox must be four numbers: minlon,minlat,maxlon,maxlat")
    x1, y1, x2, y2 = parts
    if not (-180 <= x1 < x2 <= 180 and -90 <= y1 < y2 <= 90):
        raise InvalidInput("bbox must be lon/lat degrees with min < max (EPSG:4326)")
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
        date | None, Query(description="the day (YYYY-MM-DD, Asia/Shanghai); default today")
    ] = None,
) -> date:
    return on or today_local()


OnDep = Annotated[date, Depends(on_param)]


#: ``from``/``to``: an inclusive period of local (Asia/Shanghai) days.
FromQ = Annotated[date | None, Query(alias="from", description="first day, YYYY-MM-DD (local)")]
ToQ = Annotated[date | None, Query(alias="to", description="last day, YYYY-MM-DD (local)")]


def check_range(start: date | None, end: date | None) -> None:
    """``from`` must not be after ``to``."""
    if start is not None and end is not None and start > end:
        raise InvalidInput("'from' must not be after 'to'")


#: An optional calendar-year filter (Asia/Shanghai); bounded so no date arithmetic overflows.
YearFilter = Annotated[
    int | None, Query(ge=1900, le=2200, description="calendar year (Asia/Shanghai)")
]
