"""Reads of reaches: lists with their chiefs on a day, names of places, the map layer."""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

from sqlalchemy import ColumnElement, and_, func, or_, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.errors import NotFound
from service.officials.models import Assignment, LiaisonUnit, Official
from service.officials.queries import active_on
from service.reaches.models import Reach, Township
from service.rivers.models import River

LEVEL_ORDER = {"city": 0, "county": 1, "township": 2, "village": 3}


def reach_valid_on(on: date) -> ColumnElement[bool]:
    """Reaches in force on local day ``on`` (both ends inclusive)."""
    return and_(Reach.valid_from <= on, or_(Reach.valid_to.is_(None), Reach.valid_to >= on))


def admin_names(session: Session, codes: Iterable[str]) -> dict[str, str]:
    """Names of 6-digit codes (city, counties: ``admin_area``) and 9-digit ones (townships)."""
    wanted = set(codes)
    six = [c for c in wanted if len(c) == 6]
    nine = [c for c in wanted if len(c) == 9]
    out: dict[str, str] = {}
    if six:
        for code, name in session.execute(
            select(AdminArea.code, AdminArea.name).where(AdminArea.code.in_(six))
        ):
            out[code] = name
    if nine:
        for code, name in session.execute(
            select(Township.code, Township.name).where(Township.code.in_(nine))
        ):
            out[code] = name
    return out


def reach_chiefs(
    session: Session, reach_ids: Sequence[int], on: date
) -> dict[int, list[dict[str, Any]]]:
    """River chiefs holding each reach on ``on``."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not reach_ids:
        return out
    rows = session.execute(
        select(Assignment, Official)
        .join(Official, Official.id == Assignment.official_id)
        .where(
            Assignment.reach_id.in_(list(reach_ids)),
            Assignment.role == "river_chief",
            active_on(on),
        )
        .order_by(Assignment.valid_from, Official.id)
    ).all()
    for a, o in rows:
        assert a.reach_id is not None
        out[a.reach_id].append(
            {
                "id": o.id,
                "name": o.name,
                "title": o.title,
                "level": a.level or "",
                "assignment_id": a.id,
                "is_demo": o.is_demo,
            }
        )
    return out


def reach_units(
    session: Session, reach_ids: Sequence[int], on: date
) -> dict[int, list[dict[str, Any]]]:
    """Liaison units serving each reach on ``on`` (city reaches: the municipal chief's unit)."""
    out: dict[int, list[dict[str, Any]]] = defaultdict(list)
    if not reach_ids:
        return out
    rows = session.execute(
        select(Assignment.reach_id, LiaisonUnit.id, LiaisonUnit.name, Assignment.id)
        .join(LiaisonUnit, LiaisonUnit.id == Assignment.liaison_unit_id)
        .where(Assignment.reach_id.in_(list(reach_ids)), active_on(on))
        .order_by(LiaisonUnit.id)
    ).all()
    for reach_id, unit_id, name, assignment_id in rows:
        assert reach_id is not None
        out[reach_id].append({"id": unit_id, "name": name, "assignment_id": assignment_id})
    return out


LonLat = tuple[float, float]


def reach_ends(session: Session, reaches: Sequence[Reach]) -> dict[int, tuple[LonLat, LonLat]]:
    """Each reach's stored end points (upstream, downstream) as WGS84 (lon, lat)."""
    if not reaches:
        return {}
    rows = session.execute(
        select(
            Reach.id,
            func.ST_X(Reach.start_geom),
            func.ST_Y(Reach.start_geom),
            func.ST_X(Reach.end_geom),
            func.ST_Y(Reach.end_geom),
        ).where(Reach.id.in_([r.id for r in reaches]))
    ).all()
    return {r[0]: ((float(r[1]), float(r[2])), (float(r[3]), float(r[4]))) for r in rows}


def reach_dicts(session: Session, reaches: Sequence[Reach], on: date) -> list[dict[str, Any]]:
    """Reaches as ``ReachOut`` dicts with their chiefs and liaison units on ``on``."""
    ids = [r.id for r in reaches]
    chiefs = reach_chiefs(session, ids, on)
    units = reach_units(session, ids, on)
    names = admin_names(session, {r.admin_code for r in reaches})
    rivers = {
        river_id: name
        for river_id, name in session.execute(
            select(River.id, River.name).where(River.id.in_({r.river_id for r in reaches}))
        )
    }
    ends = reach_ends(session, reaches)
    out = []
    for r in reaches:
        (x0, y0), (x1, y1) = ends[r.id]
        out.append(
            {
                "id": r.id,
                "river_id": r.river_id,
                "river_name": rivers.get(r.river_id, ""),
                "level": r.level,
                "admin_code": r.admin_code,
                "admin_name": names.get(r.admin_code, r.admin_code),
                "village_name": r.village_name,
                "code": r.code,
                "name": r.name,
                "parent_id": r.parent_id,
                "from_m": round(r.from_m, 1),
                "to_m": round(r.to_m, 1),
                "length_km": round((r.length_m or 0.0) / 1000.0, 3),
                "bank": r.bank,
                "start": (round(x0, 7), round(y0, 7)),
                "end": (round(x1, 7), round(y1, 7)),
                "valid_from": r.valid_from,
                "valid_to": r.valid_to,
                "is_demo": r.is_demo,
                "chiefs": chiefs.get(r.id, []),
                "liaison_units": units.get(r.id, []),
            }
        )
    return out


def list_reaches(
    session: Session,
    on: date,
    *,
    river_id: int | None = None,
    level: str | None = None,
    admin_code: str | None = None,
    include_ended: bool = False,
) -> list[dict[str, Any]]:
    """Reaches in force on ``on`` (or all, with ``include_ended``), upstream first by level."""
    stmt = select(Reach)
    if not include_ended:
        stmt = stmt.where(reach_valid_on(on))
    if river_id is not None:
        if session.get(River, river_id) is None:
            raise NotFound(f"river {river_id} not found")
        stmt = stmt.where(Reach.river_id == river_id)
    if level is not None:
        stmt = stmt.where(Reach.level == level)
    if admin_code is not None:
        stmt = stmt.where(Reach.admin_code.startswith(admin_code))
    reaches = sorted(
        session.scalars(stmt).all(),
        key=lambda r: (r.river_id, LEVEL_ORDER[r.level], r.from_m, r.bank or "", r.id),
    )
    return reach_dicts(session, reaches, on)


def get_reach(session: Session, reach_id: int, on: date) -> dict[str, Any]:
    reach = session.get(Reach, reach_id)
    if reach is None:
        raise NotFound(f"reach {reach_id} not found")
    return reach_dicts(session, [reach], on)[0]


def reaches_geojson(
    session: Session,
    on: date,
    *,
    levels: Sequence[str],
    river_id: int | None,
    simplify_deg: float,
    precision: int,
) -> dict[str, Any]:
    """Reaches of ``levels`` in force on ``on`` as a FeatureCollection (EPSG:4326), each
    with its level, code, name and chiefs' names (public: the names are on signboards)."""
    stmt = (
        select(
            Reach,
            River.name.label("river_name"),
            func.ST_AsGeoJSON(
                func.ST_SimplifyPreserveTopology(Reach.geom, simplify_deg), precision
            ).label("geometry"),
        )
        .join(River, River.id == Reach.river_id)
        .where(reach_valid_on(on), Reach.level.in_(list(levels)), Reach.geom.is_not(None))
        .order_by(Reach.river_id, Reach.from_m, Reach.id)
    )
    if river_id is not None:
        stmt = stmt.where(Reach.river_id == river_id)
    rows = session.execute(stmt).all()
    chiefs = reach_chiefs(session, [r.Reach.id for r in rows], on)
    features = []
    for row in rows:
        r: Reach = row.Reach
        features.append(
            {
                "type": "Feature",
                "id": r.id,
                "geometry": json.loads(row.geometry),
                "properties": {
                    "id": r.id,
                    "river_id": r.river_id,
                    "river_name": row.river_name,
                    "level": r.level,
                    "code": r.code,
                    "name": r.name,
                    "admin_code": r.admin_code,
                    "bank": r.bank,
                    "length_km": round((r.length_m or 0.0) / 1000.0, 3),
                    "chiefs": [c["name"] for c in chiefs.get(r.id, [])],
                },
            }
        )
    return {"type": "FeatureCollection", "features": features}


def ancestors(session: Session, reach_id: int | None) -> tuple[int, ...]:
    """``reach_id`` and the reaches it nests in, city first (empty for None)."""
    out: list[int] = []
    current = reach_id
    while current is not None and current not in out and len(out) < 8:
        out.append(current)
        current = session.scalar(select(Reach.parent_id).where(Reach.id == current))
    return tuple(reversed(out))


def reaches_under_official(session: Session, official_id: int, on: date) -> list[int]:
    """Reaches the official is river chief of on ``on``, with every reach nested in them."""
    found = list(
        session.scalars(
            select(Assignment.reach_id).where(
                Assignment.official_id == official_id,
                Assignment.role == "river_chief",
                Assignment.reach_id.is_not(None),
                active_on(on),
            )
        ).all()
    )
    out: set[int] = {r for r in found if r is not None}
    frontier = set(out)
    while frontier:
        children = set(session.scalars(select(Reach.id).where(Reach.parent_id.in_(frontier))))
        frontier = children - out
        out |= children
    return sorted(out)


def city_rivers_of_official(session: Session, official_id: int, on: date) -> list[int]:
    """Rivers the official is municipal (city-level) chief of on ``on``, or chief of without
    a reach (assignments from before reaches, answering for the whole river)."""
    return [
        river_id
        for river_id in session.scalars(
            select(Assignment.river_id)
            .where(
                Assignment.official_id == official_id,
                Assignment.role == "river_chief",
                Assignment.river_id.is_not(None),
                or_(Assignment.level == "city", Assignment.reach_id.is_(None)),
                active_on(on),
            )
            .distinct()
        ).all()
        if river_id is not None
    ]
