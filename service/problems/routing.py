"""Route a reported point by geography: city, county, nearest segment, who is responsible.

Spatial work is in ``service/sql/problem_route.sql``; the roster on the day of observation
comes from ``service.officials.queries``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.errors import InvalidInput
from service.geo.datum import gcj02_point_to_wgs84
from service.officials.models import LiaisonUnit, Official
from service.officials.queries import liaison_unit_of, municipal_chief
from service.settings import get_settings
from service.sql import load_sql


@dataclass(frozen=True)
class Routing:
    """Where a problem lies and who answers for it (ids; ``river_id`` None = off river).

    ``distance_m``: geodesic metres to the snapped segment; for an off-river point, to the
    nearest segment of the registry (beyond the snap limit) or None if there is none.
    """

    lon: float
    lat: float
    county_code: str
    county_name: str
    river_id: int | None
    segment_id: int | None
    distance_m: float | None
    chief: Official | None
    liaison_unit: LiaisonUnit | None

    @property
    def off_river(self) -> bool:
        return self.river_id is None


def to_wgs84(lon: float, lat: float, datum: str) -> tuple[float, float]:
    """WGS84 degrees from input degrees; CGCS2000 and WGS84 agree to centimetres here."""
    if datum == "gcj02":
        return gcj02_point_to_wgs84(lon, lat)
    return lon, lat


def route_point(session: Session, lon: float, lat: float, on: date) -> Routing:
    """Route a WGS84 point; 422 when it lies outside the focus city (naming where it lies)."""
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
    focus = session.get(AdminArea, settings.focus_city_code)
    focus_name = focus.name if focus is not None else settings.focus_city_code
    if row.county_code is None:
        if row.city_name is not None and row.city_code != settings.focus_city_code:
            raise InvalidInput(
                f"the point lies in {row.city_name}, outside {focus_name}",
                code="outside_city",
                city_code=row.city_code,
                city_name=row.city_name,
            )
        raise InvalidInput(
            f"the point ({lon:.6f}, {lat:.6f}) lies outside {focus_name} and the neighbouring "
            "cities in the data",
            code="outside_city",
            city_code=None,
            city_name=None,
        )
    chief = unit = None
    if row.river_id is not None:
        chief = municipal_chief(session, row.river_id, on)
        unit = liaison_unit_of(session, row.river_id, on)
    distance = row.distance_m if row.river_id is not None else row.nearest_distance_m
    return Routing(
        lon=lon,
        lat=lat,
        county_code=row.county_code,
        county_name=row.county_name,
        river_id=row.river_id,
        segment_id=row.segment_id,
        distance_m=None if distance is None else round(float(distance), 1),
        chief=chief,
        liaison_unit=unit,
    )
