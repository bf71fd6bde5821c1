"""Reads of administrative areas."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea


def areas_geojson(
    session: Session, level: str | None, role: str | None = None, simplify_deg: float | None = None
) -> dict[str, Any]:
    """Areas as a GeoJSON FeatureCollection (EPSG:4326), optionally simplified (degrees)."""
    geom: Any = AdminArea.geom
    if simplify_deg:
        geom = func.ST_SimplifyPreserveTopology(AdminArea.geom, simplify_deg)
    stmt = select(
        AdminArea.code,
        AdminArea.name,
        AdminArea.level,
        AdminArea.parent_code,
        AdminArea.role,
        AdminArea.area_km2,
        func.ST_AsGeoJSON(geom, 6).label("geometry"),
    ).order_by(AdminArea.level, AdminArea.code)
    if level is not None:
        stmt = stmt.where(AdminArea.level == level)
    if role is not None:
        stmt = stmt.where(AdminArea.role == role)
    features = [
        {
            "type": "Feature",
            "id": r.code,
            "geometry": json.loads(r.geometry),
            "properties": {
                "code": r.code,
                "name": r.name,
                "level": r.level,
                "parent_code": r.parent_code,
                "role": r.role,
                "area_km2": r.area_km2,
            },
        }
        for r in session.execute(stmt)
    ]
    return {"type": "FeatureCollection", "features": features}


def area_by_point(session: Session, lon: float, lat: float, level: str) -> AdminArea | None:
    """The area of ``level`` containing the point (EPSG:4326), if any is loaded."""
    return session.scalar(
        select(AdminArea).where(
            AdminArea.level == level,
            func.ST_Intersects(AdminArea.geom, func.ST_SetSRID(func.ST_MakePoint(lon, lat), 4326)),
        )
    )
