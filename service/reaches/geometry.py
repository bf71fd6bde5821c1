"""Measures along a river's downstream line: points at measures, measures of points.

A measure is planar metres in ``settings.metric_srid`` (CGCS2000 / GK CM 105E, EPSG:4507)
from the upstream end of the river's line, so a segment fraction maps to a measure linearly
(``segment.from_m``/``to_m``). Lengths shown to people are geodesic (from the segments).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from sqlalchemy.orm import Session

from service.settings import get_settings
from service.sql import load_sql


@dataclass(frozen=True)
class Placed:
    """A place on a river: ``measure_m`` (metres), the point on the line (WGS84 degrees),
    ``distance_m`` from the given point to it (geodesic metres; 0 for a given measure)."""

    measure_m: float
    lon: float
    lat: float
    distance_m: float
    segment_id: int


def place(
    session: Session,
    river_id: int,
    measures: Sequence[float] = (),
    points: Sequence[tuple[float, float]] = (),
) -> tuple[list[Placed], list[Placed]]:
    """(places of ``measures``, places of ``points`` snapped to the river), in input order.

    Both lists are empty when the river has no segments (nothing of it lies in the city).
    """
    rows = session.execute(
        load_sql("reach_point_at"),
        {
            "river_id": river_id,
            "measures": [float(m) for m in measures],
            "lons": [float(p[0]) for p in points],
            "lats": [float(p[1]) for p in points],
            "srid": get_settings().metric_srid,
        },
    ).all()
    by_kind: dict[str, list[Placed]] = {"measure": [], "point": []}
    for r in rows:
        by_kind[r.kind].append(
            Placed(
                float(r.measure_m),
                float(r.lon),
                float(r.lat),
                float(r.distance_m),
                int(r.segment_id),
            )
        )
    return by_kind["measure"], by_kind["point"]


def refresh_geometry(session: Session, reach_ids: Sequence[int]) -> None:
    """Recompute ``length_m`` and the drawn line of ``reach_ids`` from the segments."""
    if reach_ids:
        session.execute(
            load_sql("reach_geometry"),
            {"reach_ids": list(reach_ids), "srid": get_settings().metric_srid},
        )
