"""Reads of crossings and shared borders: the public cross-boundary summary.

Geography is public (the registry is), so nothing here is scoped by role.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from service.areas.models import AdminArea
from service.cross_boundary.models import Crossing, SharedBorder
from service.cross_boundary.schemas import CrossingDetail, CrossingOut, NeighborOut, SharedRiverOut
from service.errors import NotFound
from service.rivers.models import River, Segment


def neighbor_area(session: Session, code: str) -> AdminArea:
    """The neighbour city ``code`` (404 if it is not one)."""
    area = session.get(AdminArea, code)
    if area is None or area.role != "neighbor_city":
        raise NotFound(f"{code!r} is not a neighbour city of the focus city")
    return area


def _crossing_rows(session: Session) -> list[Any]:
    county = aliased(AdminArea)
    city = aliased(AdminArea)
    own = aliased(AdminArea)
    return list(
        session.execute(
            select(
                Crossing.river_id,
                River.name.label("river_name"),
                Crossing.seq,
                Crossing.direction,
                Crossing.neighbor_code,
                city.name.label("neighbor_name"),
                Crossing.neighbor_county_code,
                county.name.label("neighbor_county"),
                Crossing.county_code,
                own.name.label("county_name"),
                Crossing.length_m,
                func.ST_X(Crossing.geom).label("lon"),
                func.ST_Y(Crossing.geom).label("lat"),
            )
            .join(River, River.id == Crossing.river_id)
            .join(city, city.code == Crossing.neighbor_code)
            .outerjoin(county, county.code == Crossing.neighbor_county_code)
            .outerjoin(own, own.code == Crossing.county_code)
            .order_by(Crossing.river_id, Crossing.seq)
        ).all()
    )


def _ends(rows: list[Any]) -> tuple[str | None, str | None]:
    """(upstream city, downstream city) of one river from its crossings, upstream first.

    Upstream: the neighbour of the first point crossing if it is an inflow (the river comes
    from there); downstream: the neighbour of the last one if it is an outflow. A river that
    rises or ends inside the focus city has None at that end.
    """
    points = [r for r in rows if r.direction != "along"]
    if not points:
        return None, None
    up = points[0].neighbor_name if points[0].direction == "inflow" else None
    down = points[-1].neighbor_name if points[-1].direction == "outflow" else None
    return up, down


def summary(session: Session, only: str | None = None) -> list[NeighborOut]:
    """Per neighbour city: shared border, shared rivers, their crossings (the public view).

    Lengths in km (geodesic); ``length_in_city_km`` is the river's length inside the focus
    city (its segments); ``along_border_km`` sums its ``along`` stretches with that neighbour.
    """
    neighbours = session.execute(
        select(AdminArea.code, AdminArea.name, SharedBorder.length_m)
        .outerjoin(SharedBorder, SharedBorder.neighbor_code == AdminArea.code)
        .where(AdminArea.role == "neighbor_city")
        .order_by(func.coalesce(SharedBorder.length_m, 0).desc(), AdminArea.code)
    ).all()
    lengths = dict(
        session.execute(
            select(Segment.river_id, func.sum(Segment.length_m)).group_by(Segment.river_id)
        ).all()
    )
    by_river: dict[int, list[Any]] = defaultdict(list)
    for row in _crossing_rows(session):
        by_river[row.river_id].append(row)
    out = []
    for code, name, border_m in neighbours:
        if only is not None and code != only:
            continue
        rivers = []
        for river_id, rows in by_river.items():
            mine = [r for r in rows if r.neighbor_code == code]
            if not mine:
                continue
            up, down = _ends(rows)
            rivers.append(
                SharedRiverOut(
                    river_id=river_id,
                    name=rows[0].river_name,
                    crossings=[
                        CrossingOut(
                            lon=round(float(r.lon), 6),
                            lat=round(float(r.lat), 6),
                            direction=r.direction,
                            neighbor_county=r.neighbor_county,
                        )
                        for r in mine
                    ],
                    along_border_km=round(
                        sum(r.length_m for r in mine if r.direction == "along") / 1000.0, 3
                    ),
                    length_in_city_km=round(float(lengths.get(river_id, 0.0)) / 1000.0, 3),
                    upstream_city=up,
                    downstream_city=down,
                )
            )
        rivers.sort(key=lambda r: (-r.length_in_city_km, r.river_id))
        out.append(
            NeighborOut(
                neighbor_code=code,
                neighbor_name=name,
                shared_border_km=round(float(border_m) / 1000.0, 3) if border_m else 0.0,
                rivers=rivers,
            )
        )
    return out


def crossing_details(session: Session, neighbor_code: str) -> list[CrossingDetail]:
    """The crossings with one neighbour, with codes, Leshan county and along length (staff view)."""
    return [
        CrossingDetail(
            river_id=r.river_id,
            river_name=r.river_name,
            seq=r.seq,
            direction=r.direction,
            lon=round(float(r.lon), 6),
            lat=round(float(r.lat), 6),
            neighbor_county_code=r.neighbor_county_code,
            neighbor_county=r.neighbor_county,
            county_code=r.county_code,
            county_name=r.county_name,
            length_km=round(r.length_m / 1000.0, 3),
        )
        for r in _crossing_rows(session)
        if r.neighbor_code == neighbor_code
    ]
