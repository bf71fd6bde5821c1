"""Reads of administrative areas."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea


def areas_geojson(
    session: Session,
    level: str | None = None,
    role: str | None = None,
    simplify_deg: float | None = None,
    *,
    precision: int = 6,
    area_km2: bool = True,
    label_at: bool = False,
) -> dict[str, Any]:
    """Areas as a GeoJSON FeatureCollection (EPSG:4326), optionally simplified (degrees).

    ``precision``: decimal places of the coordinates. ``area_km2``: each area's size in km².
    ``label_at``: a point inside the polygon where its name label goes (degrees, 4 places).
    """
    geom: Any = AdminArea.geom
    if simplify_deg:
        geom = func.ST_SimplifyPreserveTopology(AdminArea.geom, simplify_deg)
    columns: list[Any] = [
        AdminArea.code,
        AdminArea.name,
        AdminArea.level,
        AdminArea.parent_code,
        AdminArea.role,
        AdminArea.area_km2,
        func.ST_AsGeoJSON(geom, precision).label("geometry"),
    ]
    if label_at:
        columns += [
            func.ST_X(func.ST_PointOnSurface(AdminArea.geom)).label("lx"),
            func.ST_Y(func.ST_PointOnSurface(AdminArea.geom)).label("ly"),
        ]
    stmt = select(*columns).order_by(AdminArea.level, AdminArea.code)
    if level is not None:
        stmt = stmt.where(AdminArea.level == level)
    if role is not None:
        stmt = stmt.where(AdminArea.role == role)
    features = []
    for r in session.execute(stmt):
        properties: dict[str, Any] = {
            "code": r.code,
            "name": r.name,
            "level": r.level,
            "parent_code": r.parent_code,
            "role": r.role,
        }
        if area_km2:
            properties["area_km2"] = r.area_km2
        if label_at:
            properties["label_at"] = [round(r.lx, 4), round(r.ly, 4)]
        features.append(
            {
                "type": "Feature",
                "id": r.code,
                "geometry": json.loads(r.geometry),
                "properties": properties,
            }
        )
    return {"type": "FeatureCollection", "features": features}
