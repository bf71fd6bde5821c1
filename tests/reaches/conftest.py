"""Helpers for reach tests: the demo's reaches and tracks along them (real geography)."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
from sqlalchemy import select, text
from sqlalchemy.orm import Session

from service.reaches.models import Reach
from service.rivers.models import River
from tests.patrols.conftest import Point

#: 大渡河 in 沙湾区 (the issue's example): 34 m from the line, on its right bank.
SHAWAN_DADU = (103.6201, 29.3399)


def reaches_of(db: Session, river: str, level: str) -> list[Reach]:
    """The river's reaches of ``level`` in force today, upstream first."""
    return list(
        db.scalars(
            select(Reach)
            .join(River, River.id == Reach.river_id)
            .where(River.name == river, Reach.level == level, Reach.valid_to.is_(None))
            .order_by(Reach.from_m, Reach.id)
        ).all()
    )


def reach_track(
    db: Session,
    reach_id: int,
    a: float,
    b: float,
    *,
    start: datetime,
    speed_kmh: float = 4.0,
    offset_m: float = 40.0,
    step_m: float = 25.0,
) -> list[Point]:
    """Timed WGS84 points ``offset_m`` beside fractions ``a``..``b`` of a reach's line."""
    rows = db.execute(
        text(
            "WITH l AS (SELECT ST_LineMerge(ST_Transform(geom, 4507)) AS g FROM reach "
            "WHERE id = :id), "
            "s AS (SELECT ST_OffsetCurve(ST_LineSubstring((SELECT g FROM l), :a, :b), :off) AS g) "
            "SELECT ST_X(p) AS lon, ST_Y(p) AS lat FROM s, LATERAL (SELECT (ST_DumpPoints("
            "ST_Transform(ST_Segmentize(s.g, :step), 4326))).geom AS p) d"
        ),
        {"id": reach_id, "a": a, "b": b, "off": offset_m, "step": step_m},
    ).all()
    assert len(rows) > 2, f"no line for reach {reach_id}"
    lonlat = np.array([(r.lon, r.lat) for r in rows])
    # ~constant speed: one point per step_m
    seconds = np.arange(len(lonlat)) * step_m / (speed_kmh / 3.6)
    return [
        (float(lon), float(lat), start + timedelta(seconds=float(s)))
        for (lon, lat), s in zip(lonlat, seconds, strict=True)
    ]
