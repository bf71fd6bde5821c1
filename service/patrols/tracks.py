"""A stored track as GeoJSON or GPX 1.1 (private: callers check access first)."""

from __future__ import annotations

import math
import struct
from datetime import UTC, datetime
from typing import Any
from xml.sax.saxutils import escape

import numpy as np
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.patrols.models import Patrol


def track_parts(session: Session, patrol_id: int) -> list[np.ndarray]:
    """The stored track's pieces as (n, 3) arrays of lon, lat (EPSG:4326), epoch seconds|NaN."""
    wkb = session.scalar(select(func.ST_AsBinary(Patrol.geom)).where(Patrol.id == patrol_id))
    if wkb is None:
        return []
    return parse_multilinestring_m(bytes(wkb))


def parse_multilinestring_m(wkb: bytes) -> list[np.ndarray]:
    """Read ISO WKB of a little-endian MultiLineString M (what PostGIS ST_AsBinary returns)."""
    order, _kind, nparts = struct.unpack_from("<BII", wkb, 0)
    if order != 1:
        raise ValueError("expected little-endian WKB")
    offset = 9
    parts = []
    for _ in range(nparts):
        _o, _k, npts = struct.unpack_from("<BII", wkb, offset)
        offset += 9
        arr = np.frombuffer(wkb, dtype="<f8", count=npts * 3, offset=offset).reshape(npts, 3)
        offset += npts * 24
        parts.append(arr)
    return parts


def _iso(seconds: float) -> str | None:
    if math.isnan(seconds):
        return None
    return datetime.fromtimestamp(seconds, UTC).isoformat().replace("+00:00", "Z")


def track_geojson(patrol: Patrol, parts: list[np.ndarray]) -> dict[str, Any]:
    """One Feature, MultiLineString in EPSG:4326; times per point in ``coordTimes`` (UTC)."""
    return {
        "type": "Feature",
        "id": patrol.id,
        "geometry": {
            "type": "MultiLineString",
            "coordinates": [[[round(x, 7), round(y, 7)] for x, y, _m in arr] for arr in parts],
        },
        "properties": {
            "patrol_id": patrol.id,
            "chief_id": patrol.chief_id,
            "date": patrol.patrol_date.isoformat(),
            "started_at": patrol.started_at.isoformat() if patrol.started_at else None,
            "ended_at": patrol.ended_at.isoformat() if patrol.ended_at else None,
            "coordTimes": [[_iso(m) for _x, _y, m in arr] for arr in parts],
        },
    }


def track_gpx(patrol: Patrol, parts: list[np.ndarray], name: str | None = None) -> str:
    """GPX 1.1: one ``trk`` with one ``trkseg`` per stored piece (cleaned, WGS84)."""
    lines = [
        '<?xml version="1.0" encoding="UTF-8"?>',
        '<gpx version="1.1" creator="riverchief" xmlns="http://www.topografix.com/GPX/1/1">',
        f"<trk><name>{escape(name or f'patrol {patrol.id} ({patrol.patrol_date})')}</name>",
    ]
    for arr in parts:
        lines.append("<trkseg>")
        for x, y, m in arr:
            when = _iso(m)
            time_el = f"<time>{when}</time>" if when else ""
            lines.append(f'<trkpt lat="{y:.7f}" lon="{x:.7f}">{time_el}</trkpt>')
        lines.append("</trkseg>")
    lines.append("</trk></gpx>")
    return "\n".join(lines) + "\n"
