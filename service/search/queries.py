"""The search box's reads (issue 15): one query string, four kinds of things, each scoped.

- problems by id or by the tracking code of the public report behind them, only those the
  caller may see (``service.problems.queries.scope``; a neighbour city gets the public label);
  only for callers who may read problems at all;
- counties of the city by name or code (public geography);
- rivers by Chinese or English name or code, with the extent of their Leshan segments;
- officials (river chiefs) by name, with the extent of the rivers they hold today.

Names match anywhere in the name (``ILIKE`` with the wildcards escaped). Extents are EPSG:4326.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.scope import Scope
from service.officials.models import Assignment, Official
from service.officials.queries import active_on
from service.problems.models import CATEGORIES, Problem
from service.problems.queries import public_only
from service.problems.queries import scope as problem_scope
from service.public.models import PublicReport
from service.public.service import normalise_code
from service.rivers.models import River, Segment
from service.search.schemas import SearchHit
from service.timeutil import today_local


def _bbox(values: Sequence[Any]) -> list[float] | None:
    """[w, s, e, n] from the four ``_extent`` columns (None for no geometry)."""
    if len(values) != 4 or any(v is None for v in values):
        return None
    return [round(float(v), 6) for v in values]


def _extent(geom: object) -> list[object]:
    return [func.ST_XMin(geom), func.ST_YMin(geom), func.ST_XMax(geom), func.ST_YMax(geom)]


def problems(session: Session, user: Scope, q: str, limit: int) -> list[SearchHit]:
    """Problems ``q`` names by id or tracking code, if ``user`` may see them."""
    ids = [int(q)] if q.isdigit() and len(q) <= 9 else []
    code = normalise_code(q)
    by_code = (
        select(PublicReport.problem_id).where(PublicReport.code == code).scalar_subquery()
        if 4 <= len(code) <= 16
        else None
    )
    named = [Problem.id.in_(ids)] if ids else []
    if by_code is not None:
        named.append(Problem.id.in_(by_code))
    if not named:
        return []
    rows = session.execute(
        select(Problem, River.name, func.ST_X(Problem.geom), func.ST_Y(Problem.geom))
        .outerjoin(River, River.id == Problem.river_id)
        .where(or_(*named), problem_scope(session, user))
        .order_by(Problem.id)
        .limit(limit)
    ).all()
    hits = []
    for problem, river, lon, lat in rows:
        where = river or ""
        label = f"#{problem.id} {CATEGORIES[problem.category]} {where}".strip()
        if not public_only(user):
            label += f" · {problem.description[:30]}"
        hits.append(
            SearchHit(
                kind="problem",
                id=str(problem.id),
                label=label,
                point=[round(float(lon), 7), round(float(lat), 7)],
            )
        )
    return hits


def counties(session: Session, q: str, limit: int) -> list[SearchHit]:
    """Counties of the focus city by name or code."""
    rows = session.execute(
        select(AdminArea.code, AdminArea.name, *_extent(AdminArea.geom))
        .where(
            AdminArea.role == "focus_county",
            or_(AdminArea.name.icontains(q, autoescape=True), AdminArea.code == q),
        )
        .order_by(func.length(AdminArea.name), AdminArea.code)
        .limit(limit)
    ).all()
    return [SearchHit(kind="county", id=r[0], label=r[1], bbox=_bbox(tuple(r)[2:6])) for r in rows]


def rivers(session: Session, q: str, limit: int) -> list[SearchHit]:
    """Rivers by name (zh or en) or code; the extent of their segments in the city."""
    seg = (
        select(Segment.river_id, func.ST_Extent(Segment.geom).label("box"))
        .group_by(Segment.river_id)
        .subquery()
    )
    geom = func.coalesce(seg.c.box, func.Box2D(River.geom))
    rows = session.execute(
        select(River.id, River.name, *_extent(geom))
        .outerjoin(seg, seg.c.river_id == River.id)
        .where(
            or_(
                River.name.icontains(q, autoescape=True),
                River.name_en.icontains(q, autoescape=True),
                River.code == q,
            )
        )
        # Rivers in the city first, then shorter (closer) names.
        .order_by(seg.c.river_id.is_(None), func.length(River.name), River.id)
        .limit(limit)
    ).all()
    return [
        SearchHit(kind="river", id=str(r[0]), label=r[1], bbox=_bbox(tuple(r)[2:6])) for r in rows
    ]


def officials(session: Session, q: str, limit: int) -> list[SearchHit]:
    """River chiefs by name, with the extent of the rivers they hold today (public, as on
    the signboards by the rivers)."""
    today = today_local()
    held = (
        select(Assignment.official_id, func.ST_Extent(Segment.geom).label("box"))
        .join(Segment, Segment.river_id == Assignment.river_id)
        .where(Assignment.role == "river_chief", active_on(today))
        .group_by(Assignment.official_id)
        .subquery()
    )
    rows = session.execute(
        select(Official.id, Official.name, Official.title, *_extent(held.c.box))
        .outerjoin(held, held.c.official_id == Official.id)
        .where(Official.name.icontains(q, autoescape=True))
        .order_by(held.c.official_id.is_(None), func.length(Official.name), Official.id)
        .limit(limit)
    ).all()
    return [
        SearchHit(
            kind="official",
            id=str(r[0]),
            label=f"{r[1]}（{r[2]}）" if r[2] else r[1],
            bbox=_bbox(tuple(r)[3:7]),
        )
        for r in rows
    ]
