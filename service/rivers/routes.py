"""HTTP: the river registry (public reads)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Response

from service.auth.deps import requires
from service.db import SessionDep
from service.officials.river_roster import get_river as river_detail
from service.officials.river_roster import list_rivers as river_list
from service.officials.schemas import RiverDetail, RiverOut
from service.pagination import PageDep, paginate
from service.params import BBoxDep, OnDep
from service.rivers import queries

router = APIRouter(
    prefix="/api/v1", tags=["rivers"], dependencies=[Depends(requires("registry.read"))]
)


@router.get("/rivers", response_model=list[RiverOut], operation_id="list_rivers")
def list_rivers(
    session: SessionDep,
    response: Response,
    page: PageDep,
    on: OnDep,
    all: Annotated[bool, Query(description="include neighbour-region rivers")] = False,
) -> list[RiverOut]:
    """Rivers with segments in Leshan, their chiefs and liaison units on ``on`` (default today)."""
    return paginate(river_list(session, on, include_all=all), page, response)


@router.get("/rivers/{river_id}", response_model=RiverDetail, operation_id="get_river")
def get_river(session: SessionDep, river_id: int, on: OnDep) -> RiverDetail:
    """One river, with its segments from upstream to downstream."""
    return river_detail(session, river_id, on)


@router.get("/segments.geojson", operation_id="segments_geojson")
def segments_geojson(
    session: SessionDep,
    bbox: BBoxDep,
    river_id: int | None = None,
    county: str | None = None,
) -> dict[str, Any]:
    """Segments as a GeoJSON FeatureCollection (EPSG:4326)."""
    return queries.segments_geojson(session, river_id, county, bbox)
