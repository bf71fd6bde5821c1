"""Route a reported point by geography: city, county, river, the chain of reaches, who answers.

Where the point lies comes from ``service.reaches.locate`` (the same routing as
``GET /responsibility``); who answers for it is the chief of the lowest-level reach holding
it on the day of observation, then up the chain (a village chief first, then the township's,
the county's, the city's). The liaison unit is the municipal chief's, which follows up (§8).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy.orm import Session

from service.geo.datum import gcj02_point_to_wgs84
from service.officials.models import LiaisonUnit, Official
from service.officials.queries import liaison_unit_of, municipal_chief
from service.reaches.locate import locate_point
from service.reaches.models import Reach
from service.reaches.queries import reach_chiefs


@dataclass(frozen=True)
class Routing:
    """Where a problem lies and who answers for it (ids; ``river_id`` None = off river).

    ``distance_m``: geodesic metres to the snapped segment; for an off-river point, to the
    nearest segment of the registry (beyond the snap limit) or None if there is none.
    ``reach_id``: the lowest-level reach holding the point; ``township_code`` its township
    (township and village reaches). ``chief``: the first chief up the chain from that reach.
    """

    lon: float
    lat: float
    county_code: str
    county_name: str
    river_id: int | None
    segment_id: int | None
    distance_m: float | None
    reach_id: int | None
    township_code: str | None
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


def _first_chief(session: Session, reach_ids: tuple[int, ...], on: date) -> Official | None:
    """The chief of the lowest reach that has one on ``on`` (village first, city last)."""
    chiefs = reach_chiefs(session, list(reach_ids), on)
    for reach_id in reversed(reach_ids):
        if chiefs.get(reach_id):
            return session.get(Official, chiefs[reach_id][0]["id"])
    return None


def route_point(session: Session, lon: float, lat: float, on: date) -> Routing:
    """Route a WGS84 point; 422 when it lies outside the focus city (naming where it lies)."""
    found = locate_point(session, lon, lat, on)
    chief = unit = None
    township = None
    if found.river_id is not None:
        chief = _first_chief(session, found.reach_ids, on) or municipal_chief(
            session, found.river_id, on
        )
        unit = liaison_unit_of(session, found.river_id, on)
    lowest = session.get(Reach, found.lowest_reach_id) if found.lowest_reach_id else None
    if lowest is not None and lowest.level in ("township", "village"):
        township = lowest.admin_code
    return Routing(
        lon=found.lon,
        lat=found.lat,
        county_code=found.county_code,
        county_name=found.county_name,
        river_id=found.river_id,
        segment_id=found.segment_id,
        distance_m=found.distance_m,
        reach_id=found.lowest_reach_id,
        township_code=township,
        chief=chief,
        liaison_unit=unit,
    )
