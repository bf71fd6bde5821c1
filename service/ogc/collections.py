"""The OGC API collections: which rows and which public columns each one serves.

Each collection is a SQLAlchemy Core select of ``id``, the public properties and ``geom``
(EPSG:4326) with the public filter already applied; ``service.ogc.queries`` adds bbox,
datetime, paging and GeoJSON on top. Nothing here is visible that the public may not see:
problems lose the reporter, description, photos, assignees and every covert (暗访) report.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Select, String, cast, func, select

from service.areas.models import AdminArea
from service.cross_boundary.models import Crossing
from service.problems.models import Problem
from service.rivers.models import River, Segment


@dataclass(frozen=True)
class Collection:
    """One feature collection: its metadata and how to select its public rows."""

    id: str
    title: str
    description: str
    #: A select whose columns are ``id``, the properties, and ``geom`` (EPSG:4326).
    select: Callable[[], Select]
    #: The ``geom`` column of the underlying table (used for bbox and extent).
    geom: Callable[[], Any]
    #: The timestamp column filtered by ``datetime``; None: the collection has no time.
    time: Callable[[], Any] | None = None
    #: Feature ids are integers (else text codes, e.g. ``areas``).
    int_ids: bool = True
    keywords: tuple[str, ...] = field(default_factory=tuple)


def _rivers() -> Select:
    return select(
        River.id.label("id"),
        River.name,
        River.name_en,
        River.code,
        River.kind,
        River.river_class.label("class"),
        River.patrol_tolerance_m,
        River.positional_accuracy_m,
        River.source,
        River.geom.label("geom"),
    )


def _segments() -> Select:
    return select(
        Segment.id.label("id"),
        Segment.river_id,
        River.name.label("river"),
        Segment.county_code,
        Segment.ord,
        func.round(Segment.length_m).label("length_m"),
        Segment.geom.label("geom"),
    ).join(River, River.id == Segment.river_id)


def _areas() -> Select:
    return select(
        AdminArea.code.label("id"),
        AdminArea.code,
        AdminArea.name,
        AdminArea.level,
        AdminArea.parent_code,
        AdminArea.role,
        AdminArea.area_km2,
        AdminArea.geom.label("geom"),
    )


def _crossings() -> Select:
    neighbor = AdminArea.__table__.alias("neighbor")
    return (
        select(
            Crossing.id.label("id"),
            Crossing.river_id,
            River.name.label("river"),
            Crossing.seq,
            Crossing.direction,
            Crossing.county_code,
            Crossing.neighbor_code,
            neighbor.c.name.label("neighbor"),
            Crossing.neighbor_county_code,
            func.round(Crossing.length_m).label("length_m"),
            Crossing.geom.label("geom"),
        )
        .join(River, River.id == Crossing.river_id)
        .outerjoin(neighbor, neighbor.c.code == Crossing.neighbor_code)
    )


def _problems() -> Select:
    observed_on = func.to_char(func.timezone("Asia/Shanghai", Problem.observed_at), "YYYY-MM-DD")
    return (
        select(
            Problem.id.label("id"),
            Problem.category,
            Problem.state,
            Problem.river_id,
            River.name.label("river"),
            cast(observed_on, String).label("observed_on"),
            Problem.geom.label("geom"),
        )
        .outerjoin(River, River.id == Problem.river_id)
        .where(Problem.covert.is_(False), Problem.state != "duplicate")
    )


COLLECTIONS: dict[str, Collection] = {
    c.id: c
    for c in (
        Collection(
            "rivers",
            "河流 Rivers",
            "Rivers (lines, oriented downstream) and lakes/reservoirs (polygons) of the "
            "registry, with their patrol tolerance in metres.",
            _rivers,
            lambda: River.geom,
            keywords=("河流", "river", "lake"),
        ),
        Collection(
            "segments",
            "河段 River segments",
            "River segments inside the city, cut at county boundaries, numbered from "
            "upstream (ord); length_m is geodesic metres.",
            _segments,
            lambda: Segment.geom,
            keywords=("河段", "segment"),
        ),
        Collection(
            "areas",
            "行政区 Administrative areas",
            "The focus city, its counties, and the neighbouring cities and counties "
            "(feature id: the administrative code).",
            _areas,
            lambda: AdminArea.geom,
            int_ids=False,
            keywords=("行政区", "county"),
        ),
        Collection(
            "crossings",
            "跨界断面 Boundary crossings",
            "Where rivers cross the city boundary: inflow, outflow, or along the border "
            "(length_m along it), with the neighbour on the other side.",
            _crossings,
            lambda: Crossing.geom,
            keywords=("跨界", "crossing"),
        ),
        Collection(
            "problems",
            "问题点位 Problems (public fields)",
            "Problems found on the rivers: category, state, river and day observed "
            "(Asia/Shanghai) only; covert-check reports and duplicates are not published. "
            "datetime filters on the observation time.",
            _problems,
            lambda: Problem.geom,
            time=lambda: Problem.observed_at,
            keywords=("问题", "problem"),
        ),
    )
}
