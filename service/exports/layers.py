"""What each exported layer holds: the rows of the list it comes from, with their geometry.

Each builder takes the caller's ``Scope`` and reads through the same query as the list
(``/rivers``, ``/segments.geojson``, ``/problems``, ``/patrols``), so an export never shows
more than the list: a chief gets their own patrols, a neighbour city the public fields of
problems. A layer past its bound is refused (422 ``export_too_large``), never cut silently.
Geometry is EPSG:4326 WKB; track M values are dropped (GeoPackage readers rarely use them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

import shapely
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.scope import Scope
from service.errors import InvalidInput
from service.officials.river_roster import list_rivers
from service.patrols.models import Patrol
from service.patrols.queries import PatrolFilter, coverage_of, filtered_patrols, patrol_of
from service.problems.queries import list_problems, public_only
from service.problems.schemas import public_view
from service.rivers.models import River, Segment
from service.timeutil import today_local

#: Features per layer at most (the whole registry fits; tracks are heavy).
MAX_FEATURES = {"rivers": 5000, "segments": 20000, "problems": 20000, "patrol-tracks": 500}
#: Track vertices per patrol-track export at most.
MAX_TRACK_POINTS = 2_000_000

Value = str | int | float | bool | None


@dataclass
class ExportLayer:
    """Rows of one layer: ``columns`` name the values of each row; ``wkb`` its geometry."""

    name: str
    geometry_type: str
    columns: list[str]
    rows: list[list[Value]] = field(default_factory=list)
    wkb: list[bytes] = field(default_factory=list)


def _too_large(layer: str, total: int, limit: int, what: str = "features") -> InvalidInput:
    return InvalidInput(
        f"{total} {what} are more than an export of {layer} holds ({limit}): narrow the filters",
        code="export_too_large",
        total=total,
        limit=limit,
    )


def _text(value: date | datetime | None) -> str | None:
    """Dates and times as ISO 8601 text (times keep their UTC offset)."""
    return None if value is None else value.isoformat()


def rivers_layer(session: Session, include_all: bool = False) -> ExportLayer:
    """Rivers with their Leshan length, counties, chiefs and liaison units today (public,
    as ``GET /rivers``)."""
    rivers = list_rivers(session, today_local(), include_all)
    if len(rivers) > MAX_FEATURES["rivers"]:
        raise _too_large("rivers", len(rivers), MAX_FEATURES["rivers"])
    geoms: dict[int, bytes] = {
        int(river_id): bytes(wkb)
        for river_id, wkb in session.execute(
            select(River.id, func.ST_AsBinary(River.geom)).where(
                River.id.in_([r.id for r in rivers])
            )
        ).all()
    }
    layer = ExportLayer(
        "rivers",
        "Unknown",
        [
            "id",
            "name",
            "name_en",
            "code",
            "kind",
            "river_class",
            "length_km",
            "counties",
            "cross_boundary",
            "chiefs",
            "liaison_units",
        ],
    )
    for r in rivers:
        layer.rows.append(
            [
                r.id,
                r.name,
                r.name_en,
                r.code,
                r.kind,
                r.river_class,
                r.length_km,
                ",".join(r.counties),
                r.cross_boundary,
                "、".join(c.name for c in r.chiefs),
                "、".join(u.name for u in r.liaison_units),
            ]
        )
        layer.wkb.append(geoms[r.id])
    return layer


def segments_layer(session: Session, river_id: int | None, county: str | None) -> ExportLayer:
    """River segments with their river and county (public, as ``segments.geojson``)."""
    stmt = (
        select(
            Segment.id,
            Segment.river_id,
            River.name,
            Segment.county_code,
            AdminArea.name.label("county_name"),
            Segment.ord,
            Segment.length_m,
            func.ST_AsBinary(Segment.geom).label("wkb"),
        )
        .join(River, River.id == Segment.river_id)
        .join(AdminArea, AdminArea.code == Segment.county_code)
        .order_by(Segment.river_id, Segment.ord)
    )
    if river_id is not None:
        stmt = stmt.where(Segment.river_id == river_id)
    if county is not None:
        stmt = stmt.where(Segment.county_code == county)
    rows = session.execute(stmt.limit(MAX_FEATURES["segments"] + 1)).all()
    if len(rows) > MAX_FEATURES["segments"]:
        total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
        raise _too_large("segments", total, MAX_FEATURES["segments"])
    layer = ExportLayer(
        "segments",
        "LineString",
        ["id", "river_id", "river_name", "county_code", "county_name", "ord", "length_m"],
    )
    for r in rows:
        layer.rows.append(
            [r.id, r.river_id, r.name, r.county_code, r.county_name, r.ord, round(r.length_m, 1)]
        )
        layer.wkb.append(bytes(r.wkb))
    return layer


STAFF_PROBLEM_COLUMNS = [
    "id",
    "category",
    "category_label",
    "state",
    "state_label",
    "description",
    "observed_at",
    "reported_at",
    "river_id",
    "river_name",
    "county_code",
    "county_name",
    "township_code",
    "chief",
    "liaison_unit",
    "due_date",
    "overdue",
    "assignee_county",
    "assignee_unit_id",
    "assignee_township",
    "distance_m",
    "off_river",
    "covert",
    "is_synthetic",
]
PUBLIC_PROBLEM_COLUMNS = [
    "id",
    "category",
    "category_label",
    "state",
    "state_label",
    "river_id",
    "river_name",
    "date",
]


def problems_layer(session: Session, user: Scope, filters: dict[str, Any]) -> ExportLayer:
    """Problems as ``GET /problems`` lists them for ``user`` with the same filters (public
    fields for a neighbour city); newest first."""
    cap = MAX_FEATURES["problems"]
    total, items = list_problems(session, user, cap, 0, **filters)
    if total > cap:
        raise _too_large("problems", total, cap)
    public = public_only(user)
    layer = ExportLayer(
        "problems", "Point", PUBLIC_PROBLEM_COLUMNS if public else STAFF_PROBLEM_COLUMNS
    )
    for item in items:
        if public:
            p = public_view(item)
            row: list[Value] = [
                p.id,
                p.category,
                p.category_label,
                p.state,
                p.state_label,
                p.river_id,
                p.river_name,
                p.date.isoformat(),
            ]
        else:
            chief = item.responsible.chief
            unit = item.responsible.liaison_unit
            row = [
                item.id,
                item.category,
                item.category_label,
                item.state,
                item.state_label,
                item.description,
                _text(item.observed_at),
                _text(item.reported_at),
                item.river_id,
                item.river_name,
                item.county_code,
                item.county_name,
                item.township_code,
                None if chief is None else chief.name,
                None if unit is None else unit.name,
                _text(item.due_date),
                item.overdue,
                item.assignee_county,
                item.assignee_unit_id,
                item.assignee_township,
                None if item.distance_m is None else round(item.distance_m, 1),
                item.off_river,
                item.covert,
                item.is_synthetic,
            ]
        layer.rows.append(row)
        layer.wkb.append(shapely.to_wkb(shapely.Point(item.lon, item.lat)))
    return layer


def patrol_tracks_layer(session: Session, user: Scope, flt: PatrolFilter) -> ExportLayer:
    """Patrol tracks ``user`` may see (as ``GET /patrols``), newest first, 2D."""
    cap = MAX_FEATURES["patrol-tracks"]
    stmt = filtered_patrols(user, flt)
    sub = stmt.subquery()
    total, points = session.execute(
        select(func.count(), func.coalesce(func.sum(sub.c.points), 0))
    ).one()
    if total > cap:
        raise _too_large("patrol-tracks", int(total), cap)
    if points > MAX_TRACK_POINTS:
        raise _too_large("patrol-tracks", int(points), MAX_TRACK_POINTS, "track points")
    rows = session.execute(
        stmt.add_columns(func.ST_AsBinary(func.ST_Force2D(Patrol.geom)).label("wkb")).order_by(
            Patrol.patrol_date.desc(), Patrol.id.desc()
        )
    ).all()
    covered = coverage_of(session, [r[0].id for r in rows])
    layer = ExportLayer(
        "patrol_tracks",
        "MultiLineString",
        [
            "id",
            "chief_id",
            "chief_name",
            "date",
            "started_at",
            "ended_at",
            "duration_min",
            "length_km",
            "rivers",
            "valid",
            "invalid_reasons",
            "counted",
            "format",
            "voided_at",
            "void_reason",
        ],
    )
    for r in rows:
        p = patrol_of(r[0], r[1], covered[r[0].id])
        layer.rows.append(
            [
                p.id,
                p.chief_id,
                p.chief_name,
                p.date.isoformat(),
                _text(p.started_at),
                _text(p.ended_at),
                p.duration_min,
                p.length_km,
                "、".join(f"{c.name} {c.coverage:.1%}" for c in p.rivers),
                p.valid,
                ",".join(p.invalid_reasons),
                p.counted,
                p.format,
                _text(p.voided_at),
                p.void_reason,
            ]
        )
        layer.wkb.append(bytes(r.wkb))
    return layer
