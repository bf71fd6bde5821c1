"""HTTP: reaches (河段), cutting them, and who is responsible at a point (thin routes)."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response, status
from sqlalchemy import select

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.db import SessionDep
from service.errors import InvalidInput, NotFound
from service.pagination import PageDep, paginate
from service.params import OnDep
from service.reaches import queries, service
from service.reaches.geometry import place
from service.reaches.locate import responsibility
from service.reaches.models import Township
from service.reaches.schemas import (
    Level,
    ReachCutIn,
    ReachEndIn,
    ReachOut,
    Responsibility,
    Snapped,
    TownshipOut,
)
from service.rivers.models import River
from service.settings import get_settings
from service.web.compress import json_response
from service.web.queries import clamp_zoom, precision_for, tolerance_deg

router = APIRouter(prefix="/api/v1", tags=["reaches"])
Public = Depends(requires("registry.read"))
Office = Annotated[UserAccount, Depends(requires("reaches.write"))]
LonQ = Annotated[float, Query(ge=-180, le=180, description="longitude, WGS84 degrees")]
LatQ = Annotated[float, Query(ge=-90, le=90, description="latitude, WGS84 degrees")]

#: Which levels the map draws at a zoom: whole rivers far out, then finer reaches.
ZOOM_LEVELS = ((10, ("city",)), (12, ("county",)), (14, ("county", "township")))


def levels_for_zoom(zoom: int) -> tuple[str, ...]:
    for below, levels in ZOOM_LEVELS:
        if zoom < below:
            return levels
    return ("township", "village")


@router.get(
    "/reaches", response_model=list[ReachOut], operation_id="list_reaches", dependencies=[Public]
)
def list_reaches(
    session: SessionDep,
    response: Response,
    page: PageDep,
    on: OnDep,
    river_id: int | None = None,
    level: Level | None = None,
    admin_code: Annotated[
        str | None, Query(pattern=r"^[0-9]{6}([0-9]{3})?$", description="county or township")
    ] = None,
    include_ended: bool = False,
) -> Any:
    """Reaches in force on ``on`` (default today) with their chiefs that day, by river, level
    (city, county, township, village) and place along the river."""
    rows = queries.list_reaches(
        session,
        on,
        river_id=river_id,
        level=level,
        admin_code=admin_code,
        include_ended=include_ended,
    )
    return paginate(rows, page, response)


@router.get("/reaches.geojson", operation_id="reaches_geojson", dependencies=[Public], tags=["map"])
def reaches_geojson(
    request: Request,
    session: SessionDep,
    on: OnDep,
    zoom: Annotated[int, Query(ge=0, le=22, description="map zoom: picks levels and detail")] = 12,
    level: Level | None = None,
    river_id: int | None = None,
) -> Response:
    """Reaches for the map (EPSG:4326): by default the levels that suit ``zoom`` (city far
    out, then county, township, village), each with its level, code and chiefs' names."""
    zoom = clamp_zoom(zoom)
    body = queries.reaches_geojson(
        session,
        on,
        levels=(level,) if level else levels_for_zoom(zoom),
        river_id=river_id,
        simplify_deg=tolerance_deg(zoom),
        precision=precision_for(zoom),
    )
    return json_response(request, body, "application/geo+json")


@router.get(
    "/reaches/snap", response_model=Snapped, operation_id="snap_to_river", dependencies=[Public]
)
def snap(session: SessionDep, river_id: int, lon: LonQ, lat: LatQ) -> Any:
    """Snap a map point to a river inside the city: its measure along the downstream line."""
    river = session.get(River, river_id)
    if river is None:
        raise NotFound(f"river {river_id} not found")
    _, found = place(session, river_id, points=[(lon, lat)])
    if not found:
        raise InvalidInput(f"{river.name} has no line inside the city")
    p = found[0]
    limit = max(get_settings().problem_snap_limit_m, river.patrol_tolerance_m)
    if p.distance_m > limit:
        raise InvalidInput(
            f"the point lies {p.distance_m:.0f} m from {river.name}, farther than {limit:.0f} m",
            code="point_off_river",
        )
    return {
        "river_id": river_id,
        "measure_m": round(p.measure_m, 1),
        "lon": round(p.lon, 7),
        "lat": round(p.lat, 7),
        "distance_m": round(p.distance_m, 1),
    }


@router.get(
    "/reaches/{reach_id}", response_model=ReachOut, operation_id="get_reach", dependencies=[Public]
)
def get_reach(session: SessionDep, reach_id: int, on: OnDep) -> Any:
    return queries.get_reach(session, reach_id, on)


@router.post(
    "/reaches",
    response_model=ReachOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="cut_reach",
    responses={409: {"description": "overlaps a reach of the same level, bank and period"}},
)
def cut_reach(session: SessionDep, body: ReachCutIn, _user: Office) -> Any:
    """Cut a township or village reach by measure or by two map points (snapped to the
    river); it must lie inside a county reach of its township's county (township) or a
    township reach of its township (village)."""
    reach = service.cut_reach(session, body)
    out = queries.get_reach(session, reach.id, body.valid_from)
    session.commit()
    return out


@router.post("/reaches/{reach_id}/end", response_model=ReachOut, operation_id="end_reach")
def end_reach(session: SessionDep, reach_id: int, body: ReachEndIn, _user: Office) -> Any:
    """End a township or village reach on ``valid_to`` (its last day), with the reaches
    nested in it and their assignments still running then."""
    service.end_reach(session, reach_id, body.valid_to)
    out = queries.get_reach(session, reach_id, body.valid_to)
    session.commit()
    return out


@router.get(
    "/responsibility",
    response_model=Responsibility,
    operation_id="responsibility",
    dependencies=[Public],
    responses={422: {"description": "the point lies outside the city"}},
)
def get_responsibility(session: SessionDep, lon: LonQ, lat: LatQ, on: OnDep) -> Any:
    """谁负责这里: the river at the point and, for each level from city down to village, the
    reach holding the point and its chiefs on ``on`` (default today). A point in the city far
    from every river: ``river`` null and no levels; outside the city: 422."""
    return responsibility(session, lon, lat, on)


@router.get(
    "/townships",
    response_model=list[TownshipOut],
    operation_id="list_townships",
    dependencies=[Public],
)
def list_townships(
    session: SessionDep,
    county: Annotated[str | None, Query(pattern=r"^[0-9]{6}$", description="county code")] = None,
) -> Any:
    """The township-level units (乡/镇/街道) with their 9-digit codes, by code."""
    stmt = select(Township).order_by(Township.code)
    if county is not None:
        stmt = stmt.where(Township.county_code == county)
    return session.scalars(stmt).all()
