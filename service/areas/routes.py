"""HTTP: administrative areas (public)."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Depends, Query

from service.areas import queries
from service.auth.deps import requires
from service.db import SessionDep

router = APIRouter(
    prefix="/api/v1", tags=["areas"], dependencies=[Depends(requires("registry.read"))]
)


@router.get("/areas.geojson", operation_id="areas_geojson")
def areas_geojson(
    session: SessionDep,
    level: Annotated[Literal["city", "county"] | None, Query()] = None,
    role: Annotated[
        Literal["focus_city", "focus_county", "neighbor_city", "neighbor_county"] | None, Query()
    ] = None,
) -> dict[str, Any]:
    """Leshan, its counties, the neighbour cities and counties as GeoJSON (EPSG:4326)."""
    return queries.areas_geojson(session, level, role)
