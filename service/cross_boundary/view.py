"""The view of one neighbour city for a joint meeting: boundary reaches and their coverage,
problems near the border, agreements and joint meetings.

Who may see it is decided in :func:`check_view`: staff of the focus city, and the
``neighbor_viewer`` bound to that neighbour's code. A neighbour viewer gets public problem
fields only (the problems module's ``public_only``/``scope`` decide, not this module).
"""

from __future__ import annotations

import json
from collections import Counter, defaultdict
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.auth.scope import Scope
from service.cross_boundary import queries
from service.cross_boundary.models import SharedBorder
from service.cross_boundary.schemas import (
    BorderProblem,
    BorderProblemStaff,
    NeighborViewOut,
    ReachCoverage,
    ReachOut,
)
from service.errors import Forbidden
from service.governance.agreements.joint import joint_meetings, open_action_items
from service.governance.agreements.service import agreements_of
from service.patrols.coverage import covered_pieces
from service.problems.models import CATEGORIES, Problem
from service.problems.queries import public_only, scope
from service.problems.workflow import PROBLEM_FLOW, STATE_LABELS
from service.rivers.models import River
from service.settings import get_settings
from service.sql import load_sql
from service.timeutil import day_range_utc, local_date, today_local
from service.water_quality.neighbor import neighbor_water_quality


def check_view(session: Session, user: Scope, neighbor_code: str) -> AdminArea:
    """The neighbour city if ``user`` may see its view: 404 unknown code, 403 another city's."""
    area = queries.neighbor_area(session, neighbor_code)
    if user.role == "neighbor_viewer" and user.neighbor_code != neighbor_code:
        raise Forbidden(
            f"this account sees the cross-boundary view of {user.neighbor_code} only",
            allowed=[user.neighbor_code],
        )
    return area


def _overlap(a: float, b: float, pieces: list[tuple[float, float]]) -> float:
    """Length (as a fraction) of [a, b] covered by the disjoint ``pieces``."""
    return sum(max(0.0, min(b, hi) - max(a, lo)) for lo, hi in pieces)


def reaches(
    session: Session,
    neighbor_code: str,
    river_ids: list[int],
    buffer_km: float,
    date_from: date,
    date_to: date,
) -> list[ReachOut]:
    """Boundary reaches (segment pieces within ``buffer_km`` of the shared border) with their
    patrol coverage over the period, from the patrols module's merged covered pieces."""
    if not river_ids:
        return []
    rows = session.execute(
        load_sql("cross_boundary_reaches"),
        {
            "neighbor_code": neighbor_code,
            "river_ids": river_ids,
            "buffer_m": buffer_km * 1000.0,
            "srid": get_settings().metric_srid,
        },
    ).all()
    covered: dict[int, list[tuple[float, float]]] = defaultdict(list)
    for river_id in {r.river_id for r in rows}:
        for piece in covered_pieces(session, date_from, date_to, river_id):
            if piece.covered:
                covered[piece.segment_id].append((piece.start_frac, piece.end_frac))
    out = []
    for r in rows:
        covered_m = _overlap(r.start_frac, r.end_frac, covered[r.segment_id]) * r.segment_length_m
        out.append(
            ReachOut(
                river_id=r.river_id,
                river_name=r.river_name,
                segment_id=r.segment_id,
                county_code=r.county_code,
                county_name=r.county_name,
                start_frac=round(r.start_frac, 6),
                end_frac=round(r.end_frac, 6),
                length_km=round(r.length_m / 1000.0, 3),
                covered_km=round(covered_m / 1000.0, 3),
                coverage=round(covered_m / r.length_m, 4) if r.length_m else 0.0,
                geometry=json.loads(r.geojson),
            )
        )
    return out


def problems_near(
    session: Session,
    user: Scope,
    neighbor_code: str,
    buffer_km: float,
    date_from: date,
    date_to: date,
    shared_river_ids: list[int] | None = None,
) -> list[BorderProblem]:
    """Problems observed in the period within ``buffer_km`` of the shared border that ``user``
    may see; public fields only unless the caller is staff (``problems.queries.public_only``).
    A neighbour city's viewer sees only problems on the rivers it shares (``shared_river_ids``):
    a problem near the border on a river of Leshan alone is none of its business (issue 14)."""
    border = select(SharedBorder.geom).where(SharedBorder.neighbor_code == neighbor_code)
    lo, hi = day_range_utc(date_from, date_to)
    county = AdminArea
    stmt = (
        select(
            Problem,
            River.name.label("river_name"),
            county.name.label("county_name"),
            func.ST_X(Problem.geom).label("lon"),
            func.ST_Y(Problem.geom).label("lat"),
        )
        .outerjoin(River, River.id == Problem.river_id)
        .join(county, county.code == Problem.county_code)
        .where(
            scope(session, user),
            Problem.observed_at >= lo,
            Problem.observed_at < hi,
            func.ST_DWithin(
                func.Geography(Problem.geom),
                func.Geography(border.scalar_subquery()),
                buffer_km * 1000.0,
            ),
        )
        .order_by(Problem.observed_at.desc(), Problem.id.desc())
    )
    if user.role == "neighbor_viewer":
        stmt = stmt.where(Problem.river_id.in_(shared_river_ids or []))
    public = public_only(user)
    today = today_local()
    out: list[BorderProblem] = []
    for row in session.execute(stmt):
        p: Problem = row.Problem
        seen = BorderProblem(
            id=p.id,
            category=p.category,
            category_label=CATEGORIES[p.category],
            state=p.state,
            state_label=STATE_LABELS[p.state],
            river_id=p.river_id,
            river=row.river_name,
            date=local_date(p.observed_at),
            lon=round(float(row.lon), 6),
            lat=round(float(row.lat), 6),
        )
        if not public:
            seen = BorderProblemStaff(
                **dict(seen),
                description=p.description,
                observed_at=p.observed_at.isoformat(),
                county_code=p.county_code,
                county_name=row.county_name,
                due_date=p.due_date,
                overdue=PROBLEM_FLOW.is_overdue(p, today),
                covert=p.covert,
            )
        out.append(seen)
    return out


def neighbor_view(
    session: Session,
    user: Scope,
    neighbor_code: str,
    date_from: date,
    date_to: date,
    buffer_km: float,
) -> NeighborViewOut:
    """Everything item 3 of the cross-boundary issue lists, for one neighbour city."""
    area = check_view(session, user, neighbor_code)
    found = queries.summary(session, only=neighbor_code)[0]
    river_ids = [r.river_id for r in found.rivers]
    reach_rows = reaches(session, neighbor_code, river_ids, buffer_km, date_from, date_to)
    length = sum(r.length_km for r in reach_rows)
    covered = sum(r.covered_km for r in reach_rows)
    problems = problems_near(session, user, neighbor_code, buffer_km, date_from, date_to, river_ids)
    agreements = agreements_of(session, neighbor_code)
    joint = joint_meetings(session, [a.id for a in agreements])
    today = today_local()
    last_joint = max((m.held_on for m in joint if m.held_on <= today), default=None)
    return NeighborViewOut(
        neighbor_code=area.code,
        neighbor_name=area.name,
        from_=date_from,
        to=date_to,
        buffer_km=buffer_km,
        shared_border_km=found.shared_border_km,
        rivers=found.rivers,
        crossings=queries.crossing_details(session, neighbor_code),
        reaches=reach_rows,
        reach_coverage=ReachCoverage(
            length_km=round(length, 3),
            covered_km=round(covered, 3),
            coverage=round(covered / length, 4) if length else 0.0,
        ),
        problems=problems,
        problems_by_state=dict(Counter(p.state for p in problems)),
        agreements=agreements,
        meetings=joint,
        open_action_items=open_action_items(session, [m.id for m in joint]),
        # 交接断面水质清单 and inflow exceedances for the next joint meeting (issue 20).
        water_quality=neighbor_water_quality(
            session, neighbor_code, date_from, date_to, last_joint
        ),
    )
