"""Registering monitoring sections: snap to a river, find the crossing and the counties.

Spatial work: ``service/sql/section_snap.sql`` (nearest river, measure) and
``service.water_quality.routing`` (the reaches on either side). A section sits at a border
crossing when an inflow or outflow crossing of its river (``crossing``, computed by the
cross-boundary domain) lies within ``settings.section_border_match_m`` of it along the river.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from geoalchemy2.elements import WKTElement
from geoalchemy2.shape import from_shape
from shapely import Point
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.errors import Conflict, InvalidInput
from service.settings import get_settings
from service.sql import load_sql
from service.timeutil import today_local
from service.water_quality.exceedance import reroute_problems
from service.water_quality.models import Section
from service.water_quality.routing import reaches_around
from service.water_quality.schemas import SectionIn
from service.workflow import Actor

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Snap:
    """Where a point lies on its river (see ``section_snap.sql`` for units)."""

    river_id: int
    river_name: str
    distance_m: float
    limit_m: float
    within: bool
    measure_m: float
    snapped_lon: float
    snapped_lat: float


@dataclass(frozen=True)
class BorderMatch:
    neighbor_code: str
    direction: str
    county_code: str | None
    neighbor_county_code: str | None
    along_m: float


def snap(session: Session, lon: float, lat: float, river_id: int | None) -> Snap | None:
    """The nearest river with segments in the city (or ``river_id``); None if there is none."""
    settings = get_settings()
    row = session.execute(
        load_sql("section_snap"),
        {
            "lon": lon,
            "lat": lat,
            "limit_m": settings.section_snap_limit_m,
            "river_id": river_id,
            "srid": settings.metric_srid,
        },
    ).one_or_none()
    if row is None:
        return None
    return Snap(
        river_id=row.river_id,
        river_name=row.river_name,
        distance_m=round(float(row.distance_m), 1),
        limit_m=float(row.lim_m),
        within=bool(row.within),
        measure_m=round(float(row.measure_m), 1),
        snapped_lon=float(row.snapped_lon),
        snapped_lat=float(row.snapped_lat),
    )


def border_match(session: Session, river_id: int, measure_m: float) -> BorderMatch | None:
    """The river's inflow/outflow crossing nearest ``measure_m`` along the river, within the
    match distance (``section_border.sql``), if any."""
    settings = get_settings()
    row = session.execute(
        load_sql("section_border"),
        {
            "river_id": river_id,
            "measure_m": measure_m,
            "match_m": settings.section_border_match_m,
            "srid": settings.metric_srid,
        },
    ).one_or_none()
    if row is None:
        return None
    return BorderMatch(
        row.neighbor_code,
        row.direction,
        row.county_code,
        row.neighbor_county_code,
        float(row.along_m),
    )


def _set_snap(section: Section, found: Snap) -> None:
    section.river_id = found.river_id
    section.measure_m = found.measure_m
    section.snap_distance_m = found.distance_m
    section.snapped_geom = from_shape(Point(found.snapped_lon, found.snapped_lat), srid=4326)


def place(session: Session, section: Section, found: Snap, border: BorderMatch | None) -> None:
    """Set where ``section`` lies: measure, snapped point, crossing and counties on either
    side (at a crossing the neighbour's county is on the neighbour's side)."""
    _set_snap(section, found)
    around = reaches_around(session, found.river_id, found.measure_m, today_local())
    up = around.upstream.county_code if around.upstream else None
    down = around.downstream.county_code if around.downstream else None
    if border is not None:
        section.neighbor_code, section.direction = border.neighbor_code, border.direction
        if border.direction == "inflow":
            up, down = border.neighbor_county_code, down or border.county_code
        else:
            up, down = up or border.county_code, border.neighbor_county_code
    elif section.kind != "border":
        section.neighbor_code = section.direction = None
    section.upstream_county_code, section.downstream_county_code = up, down


def register_section(
    session: Session, body: SectionIn, actor: Actor | None, *, synthetic: bool = False
) -> Section:
    """Snap, place and store a section; 409 for a code in use, 422 when the point is not
    near a river of the city or a ``border`` section is not near a crossing."""
    if session.scalar(select(Section.id).where(Section.code == body.code)) is not None:
        raise Conflict(f"section code {body.code!r} is already registered", code="duplicate_code")
    found = snap(session, body.lon, body.lat, body.river_id)
    if found is None:
        which = f"river {body.river_id}" if body.river_id is not None else "any river"
        raise InvalidInput(
            f"{which} of the city has no line to snap to", code="no_river", field="river_id"
        )
    if not found.within:
        raise InvalidInput(
            f"the point is {found.distance_m:.0f} m from the nearest river of the city "
            f"({found.river_name}); sections snap within {found.limit_m:.0f} m",
            code="too_far_from_river",
            nearest_river_id=found.river_id,
            distance_m=found.distance_m,
            limit_m=found.limit_m,
        )
    border = border_match(session, found.river_id, found.measure_m)
    if body.kind == "border" and border is None:
        raise InvalidInput(
            f"a border section (交接断面) must lie within "
            f"{get_settings().section_border_match_m:.0f} m (along the river) of where "
            f"{found.river_name} "
            "crosses the city boundary",
            code="not_at_border",
            field="kind",
        )
    section = Section(
        code=body.code,
        name=body.name.strip(),
        kind=body.kind,
        geom=WKTElement(f"POINT({body.lon!r} {body.lat!r})", srid=4326),
        target_class=body.target_class,
        operator=body.operator.strip() if body.operator else None,
        is_synthetic=synthetic,
        created_by=actor.id if actor is not None else None,
    )
    place(session, section, found, border)
    session.add(section)
    session.flush()
    return section


def point_of(session: Session, section: Section) -> tuple[float, float]:
    lon, lat = session.execute(
        select(func.ST_X(Section.geom), func.ST_Y(Section.geom)).where(Section.id == section.id)
    ).one()
    return float(lon), float(lat)


def resnap_after_recut(session: Session, river_ids: list[int]) -> list[dict[str, Any]]:
    """Re-import hook: sections of these rivers are placed again on the new line (measure,
    snapped point, crossing, counties). Returns the sections now farther from their line than
    the limit (kept, and logged, for the office to check)."""
    session.flush()
    moved: list[dict[str, Any]] = []
    for section in session.scalars(
        select(Section).where(Section.river_id.in_(river_ids)).order_by(Section.id)
    ):
        lon, lat = point_of(session, section)
        found = snap(session, lon, lat, section.river_id)
        if found is None:
            continue
        border = border_match(session, section.river_id, found.measure_m)
        if section.kind == "border" and border is None:
            # The new line no longer reaches the crossing: keep the border it was registered
            # at (the office sees it in the report) rather than lose the 交接 role.
            _set_snap(section, found)
        else:
            place(session, section, found, border)
        if not found.within or (section.kind == "border" and border is None):
            moved.append(
                {"section_id": section.id, "code": section.code, "distance_m": found.distance_m}
            )
            log.warning("section %s needs a look after its river was re-imported", section.code)
    session.flush()
    reroute_problems(session, river_ids)
    return moved
