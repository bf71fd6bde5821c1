"""Reads behind the OGC API: filtered, paged GeoJSON features and collection extents.

Geometry is stored and served in EPSG:4326 (CRS84 axis order lon/lat, as GeoJSON requires);
bbox is an index-backed ``&&`` plus ``ST_Intersects``; paging is ``ORDER BY id`` so pages are
stable across requests.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Select, Subquery, func, select
from sqlalchemy.orm import Session

from service.ogc.collections import Collection
from service.ogc.params import TimeRange

#: Decimal places of coordinates (1e-7 degrees is about 1 cm).
PRECISION = 7


def _filtered(
    collection: Collection,
    bbox: tuple[float, float, float, float] | None,
    when: TimeRange | None,
) -> Select:
    stmt = collection.select()
    if bbox is not None:
        envelope = func.ST_MakeEnvelope(*bbox, 4326)
        geom = collection.geom()
        stmt = stmt.where(geom.op("&&")(envelope), func.ST_Intersects(geom, envelope))
    # Collections without a time attribute ignore ``datetime`` (documented in docs/ogc.md).
    if when is not None and collection.time is not None:
        column = collection.time()
        if when.start is not None:
            stmt = stmt.where(column >= when.start)
        if when.end is not None:
            stmt = stmt.where(column < when.end)
    return stmt


def _feature(row: Any) -> dict[str, Any]:
    mapping = dict(row._mapping)
    geometry = mapping.pop("geojson")
    mapping.pop("geom", None)
    return {
        "type": "Feature",
        "id": mapping["id"],
        "geometry": json.loads(geometry) if geometry else None,
        "properties": mapping,
    }


def _with_geojson(stmt: Select) -> tuple[Select, Subquery]:
    sub = stmt.subquery("f")
    columns = [c for c in sub.c if c.key != "geom"]
    return select(*columns, func.ST_AsGeoJSON(sub.c.geom, PRECISION).label("geojson")), sub


def items(
    session: Session,
    collection: Collection,
    bbox: tuple[float, float, float, float] | None,
    when: TimeRange | None,
    limit: int,
    offset: int,
) -> tuple[list[dict[str, Any]], int]:
    """One page of features and the number of features matching the filters."""
    stmt = _filtered(collection, bbox, when)
    matched = session.execute(select(func.count()).select_from(stmt.subquery())).scalar_one()
    page, sub = _with_geojson(stmt)
    rows = session.execute(page.order_by(sub.c.id).limit(limit).offset(offset))
    return [_feature(r) for r in rows], int(matched)


def item(session: Session, collection: Collection, feature_id: str) -> dict[str, Any] | None:
    """One feature by id, or None (also for an id of the wrong type)."""
    key: int | str = feature_id
    if collection.int_ids:
        # isascii: '²' is a digit to isdigit() but not to int(); ids are int4.
        if not (feature_id.isascii() and feature_id.isdigit()) or len(feature_id) > 10:
            return None
        if int(feature_id) > 2**31 - 1:
            return None
        key = int(feature_id)
    page, sub = _with_geojson(collection.select())
    row = session.execute(page.where(sub.c.id == key)).first()
    return _feature(row) if row is not None else None


def _utc(moment: datetime | None) -> str | None:
    if moment is None:
        return None
    return moment.astimezone(UTC).isoformat().replace("+00:00", "Z")


def extent(session: Session, collection: Collection) -> dict[str, Any]:
    """The spatial bbox (CRS84) and, for timed collections, the temporal interval."""
    sub = collection.select().subquery()
    box = session.execute(
        select(
            func.ST_XMin(func.ST_Extent(sub.c.geom)),
            func.ST_YMin(func.ST_Extent(sub.c.geom)),
            func.ST_XMax(func.ST_Extent(sub.c.geom)),
            func.ST_YMax(func.ST_Extent(sub.c.geom)),
        )
    ).one()
    result: dict[str, Any] = {}
    if box[0] is not None:
        result["spatial"] = {
            "bbox": [[round(float(v), 6) for v in box]],
            "crs": "http://www.opengis.net/def/crs/OGC/1.3/CRS84",
        }
    if collection.time is not None:
        column = collection.time()
        table_sub = collection.select().add_columns(column.label("_t")).subquery()
        first, last = session.execute(
            select(func.min(table_sub.c._t), func.max(table_sub.c._t))
        ).one()
        result["temporal"] = {
            "interval": [
                [
                    _utc(first),
                    _utc(last),
                ]
            ],
            "trs": "http://www.opengis.net/def/uom/ISO-8601/0/Gregorian",
        }
    return result
