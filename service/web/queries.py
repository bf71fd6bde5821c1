"""Map geometry, simplified for the zoom: boundaries and river lines for the web map.

Tolerance is about one screen pixel at the requested zoom (Web Mercator, 256 px tiles), so
nothing visible is lost while a city-wide first render stays a few hundred kilobytes.
Coordinates are rounded to match (a pixel at zoom 8 is ~0.005 deg; 5 decimals is ~1 m).
"""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.areas.queries import areas_geojson
from service.rivers.models import River, Segment
from service.settings import get_settings

MIN_ZOOM = 5
MAX_ZOOM = 16


def tolerance_deg(zoom: int) -> float:
    """Degrees of longitude per 256-px tile pixel at ``zoom`` (equator; finer at 29 N)."""
    return 360.0 / (256 * 2**zoom)


def precision_for(zoom: int) -> int:
    """Decimal places that keep sub-pixel accuracy at ``zoom`` (4 at z5..z9, up to 6)."""
    return 4 if zoom <= 9 else 5 if zoom <= 13 else 6


def clamp_zoom(zoom: int) -> int:
    return max(MIN_ZOOM, min(MAX_ZOOM, zoom))


def areas(session: Session, zoom: int) -> dict[str, Any]:
    """Leshan, its counties, the neighbour cities and their counties (EPSG:4326)."""
    zoom = clamp_zoom(zoom)
    return areas_geojson(
        session,
        simplify_deg=tolerance_deg(zoom),
        precision=precision_for(zoom),
        area_km2=False,
        label_at=True,
    )


def rivers(session: Session, zoom: int) -> dict[str, Any]:
    """Whole river lines (also outside Leshan) as context for the segments, with names."""
    zoom = clamp_zoom(zoom)
    geom = func.ST_SimplifyPreserveTopology(River.geom, tolerance_deg(zoom))
    in_city = select(Segment.river_id).distinct().scalar_subquery()
    stmt = select(
        River.id,
        River.name,
        River.name_en,
        River.kind,
        River.river_class,
        River.id.in_(in_city).label("in_city"),
        func.ST_AsGeoJSON(geom, precision_for(zoom)).label("geometry"),
    ).order_by(River.id)
    features = [
        {
            "type": "Feature",
            "id": r.id,
            "geometry": json.loads(r.geometry),
            "properties": {
                "id": r.id,
                "name": r.name,
                "name_en": r.name_en,
                "kind": r.kind,
                "river_class": r.river_class,
                "in_city": bool(r.in_city),
            },
        }
        for r in session.execute(stmt)
    ]
    return {"type": "FeatureCollection", "features": features}


def city_bounds(session: Session) -> list[list[float]] | None:
    """[[south, west], [north, east]] of the focus city, Leaflet's order."""
    box = session.execute(
        select(
            func.ST_XMin(func.ST_Extent(AdminArea.geom)),
            func.ST_YMin(func.ST_Extent(AdminArea.geom)),
            func.ST_XMax(func.ST_Extent(AdminArea.geom)),
            func.ST_YMax(func.ST_Extent(AdminArea.geom)),
        ).where(AdminArea.code == get_settings().focus_city_code)
    ).one()
    if box[0] is None:
        return None
    return [[round(box[1], 4), round(box[0], 4)], [round(box[3], 4), round(box[2], 4)]]


def segment_extent(session: Session) -> tuple[int, list[list[float]] | None]:
    """How many segments there are and their extent, Leaflet's order (the map's tile mode)."""
    row = session.execute(
        text(
            "SELECT count(*), ST_XMin(ST_Extent(geom)), ST_YMin(ST_Extent(geom)), "
            "ST_XMax(ST_Extent(geom)), ST_YMax(ST_Extent(geom)) FROM segment"
        )
    ).one()
    if not row[0]:
        return 0, None
    return int(row[0]), [[round(row[2], 4), round(row[1], 4)], [round(row[4], 4), round(row[3], 4)]]
