"""Compute and store crossings (跨界断面) and shared borders; refreshed when geography changes.

Why the defaults (settings ``crossing_*``): the river lines (GSHHG WDBII) lie a median
0.3-0.5 km from the true channels, the boundaries (Amap, datum-corrected) much closer. A band of
300 m around the boundary is wide enough that a river which truly forms the border stays in or
weaves across it, and narrow enough that a river crossing at an angle leaves it within about a
kilometre. A boundary river drawn 0.3-0.5 km off weaves across the border: two or more
crossings with band pieces less than 3 km apart make a run "along" the border; a run that stays
in the band for 3 km (10x the band) without crossing is "along" too. On the Leshan data the
result is the same for bands from 200 to 400 m; at 500 m 岷江 (before 青神) and 青衣江 (at 洪雅)
approach the border obliquely within 0.5 km for 4-5 km and would become "along" as well.
"""

from __future__ import annotations

from sqlalchemy import delete, exists, select
from sqlalchemy.orm import Session

from service.cross_boundary.models import Crossing, SharedBorder
from service.rivers.models import River
from service.settings import get_settings
from service.sql import load_sql

#: Pieces an along run is cut into to tell which neighbour county lies across, metres.
BIT_M = 100.0


def refresh_crossings(session: Session, river_ids: list[int] | None = None) -> int:
    """Recompute the crossings of ``river_ids`` (all rivers when None); returns rows written."""
    settings = get_settings()
    if river_ids is None:
        river_ids = list(session.scalars(select(River.id)))
    session.execute(delete(Crossing).where(Crossing.river_id.in_(river_ids)))
    if not river_ids:
        return 0
    result = session.execute(
        load_sql("crossings"),
        {
            "river_ids": river_ids,
            "city_code": settings.focus_city_code,
            "srid": settings.metric_srid,
            "tolerance_m": settings.crossing_tolerance_m,
            "merge_gap_m": settings.crossing_merge_gap_m,
            "min_along_m": settings.crossing_min_along_m,
            "bit_m": BIT_M,
        },
    )
    return int(getattr(result, "rowcount", 0) or 0)


def refresh_borders(session: Session) -> int:
    """Recompute the focus city's shared border with each neighbour city; returns rows."""
    session.execute(delete(SharedBorder))
    result = session.execute(
        load_sql("cross_boundary_borders"), {"city_code": get_settings().focus_city_code}
    )
    return int(getattr(result, "rowcount", 0) or 0)


def refresh_all(session: Session) -> dict[str, int]:
    """Borders and every river's crossings (after areas or rivers changed)."""
    borders = refresh_borders(session)
    crossings = refresh_crossings(session)
    session.flush()
    return {"shared_borders": borders, "crossings": crossings}


def refresh_after_recut(session: Session, river_ids: list[int]) -> None:
    """Re-cut hook (declared in ``service.domains``): the re-cut rivers' crossings (and
    borders if never computed).

    Areas are loaded before rivers are re-cut, so a first load gets both here.
    """
    session.flush()
    if not session.scalar(select(exists().where(SharedBorder.neighbor_code.is_not(None)))):
        refresh_borders(session)
    refresh_crossings(session, river_ids)
