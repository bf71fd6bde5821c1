"""Who is responsible here: a point -> its county, river, measure, and the chain of reaches.

The same routing serves ``GET /responsibility``, problem reports and the map's click: the
city and county from the boundaries (outside the city: 422, naming where the point lies),
the nearest segment within the snap limit (``service/sql/problem_route.sql``), then the
reaches holding the point's measure and bank on the day (``service/sql/reach_locate.sql``).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.errors import InvalidInput
from service.reaches.models import Reach
from service.reaches.queries import LEVEL_ORDER, admin_names, reach_chiefs, reach_units
from service.reaches.schemas import LevelEntry, Responsibility, RiverRef
from service.rivers.models import River
from service.settings import get_settings
from service.sql import load_sql


@dataclass(frozen=True)
class Located:
    """Where a WGS84 point lies. ``river_id`` None: no river within the snap limit.

    ``distance_m``: geodesic metres to the snapped segment, or for an off-river point to the
    nearest segment anywhere (None if there is none). ``measure_m``/``side``: along the
    river's downstream line (metres) and the bank facing downstream. ``reach_ids``: reaches
    holding the point on the day, city first, the lowest level last.
    """

    lon: float
    lat: float
    county_code: str
    county_name: str
    river_id: int | None
    segment_id: int | None
    distance_m: float | None
    measure_m: float | None
    side: str | None
    reach_ids: tuple[int, ...]

    @property
    def lowest_reach_id(self) -> int | None:
        return self.reach_ids[-1] if self.reach_ids else None


def _outside(session: Session, lon: float, lat: float, row: Any) -> InvalidInput:
    settings = get_settings()
    focus = session.get(AdminArea, settings.focus_city_code)
    focus_name = focus.name if focus is not None else settings.focus_city_code
    if row.city_name is not None and row.city_code != settings.focus_city_code:
        return InvalidInput(
            f"the point lies in {row.city_name}, outside {focus_name}",
            code="outside_city",
            city_code=row.city_code,
            city_name=row.city_name,
        )
    return InvalidInput(
        f"the point ({lon:.6f}, {lat:.6f}) lies outside {focus_name} and the neighbouring "
        "cities in the data",
        code="outside_city",
        city_code=None,
        city_name=None,
    )


def locate_point(session: Session, lon: float, lat: float, on: date) -> Located:
    """Locate a WGS84 point on day ``on``; 422 when it lies outside the focus city."""
    settings = get_settings()
    row = session.execute(
        load_sql("problem_route"),
        {
            "lon": lon,
            "lat": lat,
            "limit_m": settings.problem_snap_limit_m,
            "focus_city": settings.focus_city_code,
        },
    ).one()
    if row.county_code is None:
        raise _outside(session, lon, lat, row)
    measure = side = None
    reach_ids: list[int] = []
    if row.segment_id is not None:
        for r in session.execute(
            load_sql("reach_locate"),
            {
                "segment_id": row.segment_id,
                "lon": lon,
                "lat": lat,
                "on": on,
                "srid": settings.metric_srid,
            },
        ):
            measure, side = float(r.measure_m), r.side
            if r.reach_id is not None:
                reach_ids.append(int(r.reach_id))
    distance = row.distance_m if row.river_id is not None else row.nearest_distance_m
    return Located(
        lon=lon,
        lat=lat,
        county_code=row.county_code,
        county_name=row.county_name,
        river_id=row.river_id,
        segment_id=row.segment_id,
        distance_m=None if distance is None else round(float(distance), 1),
        measure_m=None if measure is None else round(measure, 1),
        side=side,
        reach_ids=tuple(reach_ids),
    )


def chain(session: Session, reach_ids: tuple[int, ...], on: date) -> list[LevelEntry]:
    """The reaches, city -> village, each with its chiefs and liaison units on ``on``."""
    if not reach_ids:
        return []
    reaches = {r.id: r for r in session.scalars(select(Reach).where(Reach.id.in_(reach_ids)))}
    chiefs = reach_chiefs(session, list(reach_ids), on)
    units = reach_units(session, list(reach_ids), on)
    names = admin_names(session, {r.admin_code for r in reaches.values()})
    ordered = sorted(
        (reaches[i] for i in reach_ids if i in reaches),
        key=lambda r: (LEVEL_ORDER[r.level], r.to_m - r.from_m, r.id),
    )
    return [
        LevelEntry.model_validate(
            {
                "level": r.level,
                "reach_id": r.id,
                "code": r.code,
                "name": r.name,
                "admin_code": r.admin_code,
                "admin_name": names.get(r.admin_code, r.admin_code),
                "village_name": r.village_name,
                "bank": r.bank,
                "from_m": round(r.from_m, 1),
                "to_m": round(r.to_m, 1),
                "length_km": round((r.length_m or 0.0) / 1000.0, 3),
                "chiefs": chiefs.get(r.id, []),
                "liaison_units": units.get(r.id, []),
            }
        )
        for r in ordered
    ]


def responsibility(session: Session, lon: float, lat: float, on: date) -> Responsibility:
    """The river at the point and, per level, its reach and chiefs on ``on``."""
    found = locate_point(session, lon, lat, on)
    river_out = None
    if found.river_id is not None:
        river = session.get(River, found.river_id)
        assert river is not None and found.distance_m is not None
        river_out = RiverRef(
            id=river.id,
            name=river.name,
            measure_m=found.measure_m if found.measure_m is not None else 0.0,
            distance_m=found.distance_m,
            side=found.side,  # type: ignore[arg-type]
            positional_accuracy_m=river.positional_accuracy_m,
            tolerance_m=river.patrol_tolerance_m,
        )
    return Responsibility(
        lon=lon,
        lat=lat,
        on=on,
        county_code=found.county_code,
        county_name=found.county_name,
        river=river_out,
        levels=chain(session, found.reach_ids, on),
    )
