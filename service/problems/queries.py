"""Reads of problems, scoped to what the caller may see.

Scope (on top of the role matrix): office sees everything; a municipal chief the problems of
their rivers, a county, township or village chief those routed to their reach or a reach
nested in it, every chief those they answer for and their own reports; a liaison unit its
rivers' problems and those assigned to it; a county user its county's problems and those
assigned to it, a township office (``township``) its township's and those assigned to it; a
patrol account its own reports and those its chief answers for; a neighbor_viewer or
anonymous caller only the public view (no covert-check problems, no duplicates, public fields
only).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from sqlalchemy import ColumnElement, Select, false, func, or_, select, true
from sqlalchemy.orm import Session, aliased

from service.areas.models import AdminArea
from service.auth.scope import Scope
from service.errors import NotFound
from service.officials.models import LiaisonUnit, Official
from service.params import BBox
from service.problems.models import CATEGORIES, Problem
from service.problems.schemas import County, Person, ProblemItem, Responsible, Unit
from service.problems.workflow import PROBLEM_FLOW, STATE_LABELS
from service.reaches.queries import city_rivers_of_official, reaches_under_official
from service.rivers.models import River
from service.timeutil import local_date, local_day_start_utc, today_local
from service.workflow.models import WorkflowEvent

STAFF_VIEW_ROLES = frozenset({"office", "chief", "liaison", "county", "township", "patrol"})


def public_only(user: Scope) -> bool:
    """Whether ``user`` sees the public view of problems only."""
    return user.role not in STAFF_VIEW_ROLES


def _answers_for(session: Session, official_id: int) -> ColumnElement[bool]:
    """Problems an official answers for today: routed to them, on a river they are the
    municipal chief of, or on a reach they hold or one nested in it (up the chain)."""
    today = today_local()
    return or_(
        Problem.chief_official_id == official_id,
        Problem.river_id.in_(city_rivers_of_official(session, official_id, today)),
        Problem.reach_id.in_(reaches_under_official(session, official_id, today)),
    )


def scope(session: Session, user: Scope) -> ColumnElement[bool]:
    """SQL condition: the problems ``user`` may see (public view included)."""
    if public_only(user):
        return (Problem.covert.is_(False)) & (Problem.state != "duplicate")
    own = Problem.reporter_id == user.id
    if user.role == "office":
        return true()
    if user.role == "chief":
        if user.official_id is None:
            return own
        return or_(own, _answers_for(session, user.official_id))
    if user.role == "liaison":
        if user.liaison_unit_id is None:
            return own
        return or_(
            own,
            Problem.liaison_unit_id == user.liaison_unit_id,
            Problem.assignee_unit_id == user.liaison_unit_id,
        )
    if user.role == "county":
        if user.county_code is None:
            return own
        return or_(
            own,
            Problem.county_code == user.county_code,
            Problem.assignee_county == user.county_code,
        )
    if user.role == "township":
        if user.township_code is None:
            return own
        return or_(
            own,
            Problem.township_code == user.township_code,
            Problem.assignee_township == user.township_code,
        )
    if user.role == "patrol":
        if user.official_id is None:
            return own
        return or_(own, _answers_for(session, user.official_id))
    return false()


def _base() -> Select[Any]:
    county = aliased(AdminArea)
    return (
        select(
            Problem,
            River.name.label("river_name"),
            county.name.label("county_name"),
            Official,
            LiaisonUnit,
            func.ST_X(Problem.geom).label("lon"),
            func.ST_Y(Problem.geom).label("lat"),
        )
        .outerjoin(River, River.id == Problem.river_id)
        .join(county, county.code == Problem.county_code)
        .outerjoin(Official, Official.id == Problem.chief_official_id)
        .outerjoin(LiaisonUnit, LiaisonUnit.id == Problem.liaison_unit_id)
    )


def item_of(row: Any, today: date) -> ProblemItem:
    """A problem row of ``_base()`` as staff see it in lists."""
    p: Problem = row.Problem
    chief: Official | None = row.Official
    unit: LiaisonUnit | None = row.LiaisonUnit
    return ProblemItem(
        id=p.id,
        category=p.category,
        category_label=CATEGORIES[p.category],
        description=p.description,
        lon=round(float(row.lon), 7),
        lat=round(float(row.lat), 7),
        datum=p.datum,
        input_lon=p.input_lon,
        input_lat=p.input_lat,
        observed_at=p.observed_at,
        reported_at=p.reported_at,
        reporter_id=p.reporter_id,
        patrol_id=p.patrol_id,
        river_id=p.river_id,
        river_name=row.river_name,
        segment_id=p.segment_id,
        reach_id=p.reach_id,
        township_code=p.township_code,
        county_code=p.county_code,
        county_name=row.county_name,
        distance_m=p.distance_m,
        off_river=p.off_river,
        covert=p.covert,
        supervised_at=p.supervised_at,
        responsible=Responsible(
            chief=None
            if chief is None
            else Person(id=chief.id, name=chief.name, title=chief.title),
            liaison_unit=None if unit is None else Unit(id=unit.id, name=unit.name),
            county=County(code=p.county_code, name=row.county_name),
        ),
        state=p.state,
        state_label=STATE_LABELS[p.state],
        due_date=p.due_date,
        overdue=PROBLEM_FLOW.is_overdue(p, today),
        assignee_county=p.assignee_county,
        assignee_unit_id=p.assignee_unit_id,
        assignee_township=p.assignee_township,
        duplicate_of=p.duplicate_of,
        is_synthetic=p.is_synthetic,
    )


def visible_problem(session: Session, problem_id: int, user: Scope) -> Problem:
    """The problem if ``user`` may see it (in any view), else 404."""
    found = session.scalar(select(Problem).where(Problem.id == problem_id, scope(session, user)))
    if found is None:
        raise NotFound(f"problem {problem_id} not found")
    return found


def get_item(session: Session, problem_id: int, user: Scope) -> ProblemItem:
    row = session.execute(
        _base().where(Problem.id == problem_id, scope(session, user))
    ).one_or_none()
    if row is None:
        raise NotFound(f"problem {problem_id} not found")
    return item_of(row, today_local())


def _filtered(
    session: Session,
    user: Scope,
    *,
    state: list[str] | None = None,
    river_id: int | None = None,
    county: str | None = None,
    township: str | None = None,
    overdue: bool | None = None,
    start: date | None = None,
    end: date | None = None,
    category: str | None = None,
    off_river: bool | None = None,
    bbox: BBox | None = None,
    q: str | None = None,
    q_ids: Sequence[int] = (),
) -> Select[Any]:
    stmt = _base().where(scope(session, user))
    if q is not None:
        # Staff also find words of the description; the public view has no descriptions.
        named = Problem.id.in_(list(q_ids)) if q_ids else false()
        stmt = stmt.where(
            named
            if public_only(user)
            else or_(named, Problem.description.icontains(q, autoescape=True))
        )
    if state:
        stmt = stmt.where(Problem.state.in_(state))
    if river_id is not None:
        stmt = stmt.where(Problem.river_id == river_id)
    if county is not None:
        stmt = stmt.where(or_(Problem.county_code == county, Problem.assignee_county == county))
    if township is not None:
        stmt = stmt.where(
            or_(Problem.township_code == township, Problem.assignee_township == township)
        )
    if overdue is not None:
        clause = PROBLEM_FLOW.overdue(Problem, today_local())
        stmt = stmt.where(clause if overdue else ~clause)
    if start is not None:
        stmt = stmt.where(Problem.observed_at >= local_day_start_utc(start))
    if end is not None:
        stmt = stmt.where(Problem.observed_at < local_day_start_utc(end + timedelta(days=1)))
    if category is not None:
        stmt = stmt.where(Problem.category == category)
    if off_river is not None:
        stmt = stmt.where(Problem.off_river.is_(off_river))
    if bbox is not None:
        stmt = stmt.where(Problem.geom.intersects(func.ST_MakeEnvelope(*bbox, 4326)))
    return stmt


#: ``sort`` of the lists -> the column; ties by id (stable pages).
_SORT_COLUMNS: dict[str, Any] = {
    "observed_at": Problem.observed_at,
    "reported_at": Problem.reported_at,
    "due_date": Problem.due_date,
    "id": Problem.id,
    "state": Problem.state,
    "category": Problem.category,
    "county": Problem.county_code,
    "river": River.name,
}


def _order(sort: str) -> list[Any]:
    column = _SORT_COLUMNS[sort.lstrip("-")]
    if sort.startswith("-"):
        return [column.desc().nulls_last(), Problem.id.desc()]
    return [column.asc().nulls_last(), Problem.id.asc()]


def list_problems(
    session: Session,
    user: Scope,
    limit: int,
    offset: int,
    sort: str = "-observed_at",
    **filters: Any,
) -> tuple[int, list[ProblemItem]]:
    """(total, one page) newest observation first (or by ``sort``), paginated in SQL."""
    stmt = _filtered(session, user, **filters)
    total = session.scalar(select(func.count()).select_from(stmt.subquery())) or 0
    rows = session.execute(stmt.order_by(*_order(sort)).limit(limit).offset(offset)).all()
    today = today_local()
    return int(total), [item_of(r, today) for r in rows]


def _staff_properties(item: ProblemItem) -> dict[str, Any]:
    """Every item field but the coordinates, JSON-ready, ``observed_on`` after
    ``observed_at`` (as the map has always read them)."""
    props: dict[str, Any] = {}
    for key, value in item.model_dump(exclude={"lon", "lat"}).items():
        props[key] = value
        if key == "observed_at":
            props["observed_on"] = local_date(item.observed_at)
    return json.loads(json.dumps(props, default=str))


def problems_geojson(session: Session, user: Scope, limit: int, **filters: Any) -> dict[str, Any]:
    """A FeatureCollection (EPSG:4326). Public: category, state, river, date only."""
    stmt = _filtered(session, user, **filters).order_by(Problem.observed_at.desc()).limit(limit)
    public = public_only(user)
    today = today_local()
    features = []
    for row in session.execute(stmt):
        item = item_of(row, today)
        if public:
            props: dict[str, Any] = {
                "category": item.category,
                "category_label": item.category_label,
                "state": item.state,
                "state_label": item.state_label,
                "river_id": item.river_id,
                "river": item.river_name,
                "date": local_date(item.observed_at).isoformat(),
            }
        else:
            props = _staff_properties(item)
        features.append(
            {
                "type": "Feature",
                "id": item.id,
                "geometry": {"type": "Point", "coordinates": [item.lon, item.lat]},
                "properties": props,
            }
        )
    return {"type": "FeatureCollection", "features": features}


def count_problems(session: Session, user: Scope, **filters: Any) -> int:
    """How many problems ``list_problems`` would total with the same filters."""
    stmt = _filtered(session, user, **filters)
    return int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)


def counts_by(session: Session, user: Scope, column: str, **filters: Any) -> dict[str, int]:
    """Counts of the filtered problems per value of ``column`` (``state`` or ``category``):
    each equals the list's total with ``column=value`` added to the filters."""
    ids = _filtered(session, user, **filters).with_only_columns(Problem.id).subquery()
    key = getattr(Problem, column)
    rows = session.execute(
        select(key, func.count()).where(Problem.id.in_(select(ids.c.id))).group_by(key)
    ).all()
    return {str(k): int(n) for k, n in rows}


def median_days_to_close(session: Session, user: Scope, **filters: Any) -> float | None:
    """Median days from report (history row 1) to the last 'closed' row, over the filtered
    problems now closed (as the yearly summary counts them)."""
    filters = {**filters, "state": ["closed"]}
    sub = _filtered(session, user, **filters).with_only_columns(Problem.id).subquery()
    event = WorkflowEvent
    days = (
        select(
            (
                func.extract(
                    "epoch",
                    func.max(event.at).filter(event.to_state == "closed")
                    - func.min(event.at).filter(event.seq == 1),
                )
                / 86400.0
            ).label("d")
        )
        .where(event.entity_type == "problem", event.entity_id.in_(select(sub.c.id)))
        .group_by(event.entity_id)
        .subquery()
    )
    value = session.scalar(select(func.percentile_cont(0.5).within_group(days.c.d)))
    return None if value is None else round(float(value), 1)
