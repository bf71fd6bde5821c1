"""Reads of the river registry (who is responsible for a river: ``service.officials``)."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.rivers.models import COARSE_ACCURACY_M, River, Segment
from service.rivers.schemas import RiverFacts, SegmentOut
from service.settings import get_settings


def _rows(session: Session, river_ids: list[int] | None, include_all: bool) -> list[Any]:
    city = (
        select(AdminArea.geom)
        .where(AdminArea.code == get_settings().focus_city_code)
        .scalar_subquery()
    )
    seg = (
        select(
            Segment.river_id,
            func.sum(Segment.length_m).label("length_m"),
            func.array_agg(func.distinct(Segment.county_code)).label("counties"),
        )
        .group_by(Segment.river_id)
        .subquery()
    )
    stmt = (
        select(
            River,
            func.coalesce(seg.c.length_m, 0.0).label("length_m"),
            seg.c.counties,
            func.coalesce(
                func.ST_Intersects(River.geom, city) & ~func.ST_Within(River.geom, city), False
            ).label("cross_boundary"),
        )
        .outerjoin(seg, seg.c.river_id == River.id)
        .order_by(func.coalesce(seg.c.length_m, 0.0).desc(), River.id)
    )
    if not include_all:
        stmt = stmt.where(seg.c.river_id.is_not(None))
    if river_ids is not None:
        stmt = stmt.where(River.id.in_(river_ids))
    return list(session.execute(stmt).all())


def river_facts(
    session: Session, include_all: bool = False, river_ids: list[int] | None = None
) -> list[RiverFacts]:
    """Rivers with their Leshan length and counties, longest first (``include_all``: also
    the neighbour-region rivers with no segment in Leshan)."""
    out = []
    for r in _rows(session, river_ids, include_all):
        river: River = r.River
        out.append(
            RiverFacts(
                id=river.id,
                name=river.name,
                name_en=river.name_en,
                code=river.code,
                kind=river.kind,
                river_class=river.river_class,
                length_km=round(float(r.length_m) / 1000.0, 3),
                patrol_tolerance_m=river.patrol_tolerance_m,
                positional_accuracy_m=river.positional_accuracy_m,
                counties=sorted(r.counties or []),
                cross_boundary=bool(r.cross_boundary),
                coarse_geometry=river.positional_accuracy_m >= COARSE_ACCURACY_M,
            )
        )
    return out


def river_segments(session: Session, river_id: int) -> list[SegmentOut]:
    """The river's segments from upstream to downstream."""
    segs = session.execute(
        select(Segment.id, Segment.county_code, AdminArea.name, Segment.length_m, Segment.ord)
        .join(AdminArea, AdminArea.code == Segment.county_code)
        .where(Segment.river_id == river_id)
        .order_by(Segment.ord)
    ).all()
    return [
        SegmentOut(
            id=s.id,
            county_code=s.county_code,
            county_name=s.name,
            length_km=round(s.length_m / 1000.0, 3),
            order=s.ord,
        )
        for s in segs
    ]


def segments_geojson(
    session: Session,
    river_id: int | None,
    county: str | None,
    bbox: tuple[float, float, float, float] | None,
    simplify_deg: float | None = None,
) -> dict[str, Any]:
    """Segments as a GeoJSON FeatureCollection (EPSG:4326)."""
    geom: Any = Segment.geom
    if simplify_deg:
        geom = func.ST_SimplifyPreserveTopology(Segment.geom, simplify_deg)
    stmt = (
        select(
            Segment.id,
            Segment.river_id,
            River.name,
            Segment.county_code,
            Segment.length_m,
            Segment.ord,
            func.ST_AsGeoJSON(geom, 6).label("geometry"),
        )
        .join(River, River.id == Segment.river_id)
        .order_by(Segment.river_id, Segment.ord)
    )
    if river_id is not None:
        stmt = stmt.where(Segment.river_id == river_id)
    if county is not None:
        stmt = stmt.where(Segment.county_code == county)
    if bbox is not None:
        stmt = stmt.where(func.ST_Intersects(Segment.geom, func.ST_MakeEnvelope(*bbox, 4326)))
    features = [
        {
            "type": "Feature",
            "id": r.id,
            "geometry": json.loads(r.geometry),
            "properties": {
                "id": r.id,
                "river_id": r.river_id,
                "river_name": r.name,
                "county_code": r.county_code,
                "length_km": round(r.length_m / 1000.0, 3),
                "order": r.ord,
            },
        }
        for r in session.execute(stmt)
    ]
    return {"type": "FeatureCollection", "features": features}
