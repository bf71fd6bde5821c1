"""Reads of public supervision: the tracking view (public fields only), the moderation queue
with possible duplicates, and the public statistics.

The tracking view is built field by field from an allow-list: nothing of the contact, the
source hash, the exact position or the description can reach it by accident.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from geoalchemy2 import Geography
from sqlalchemy import Float, and_, case, cast, func, select
from sqlalchemy.orm import Session, aliased

from service.areas.models import AdminArea
from service.errors import NotFound
from service.problems.models import CATEGORIES, Problem, ProblemPhoto
from service.problems.workflow import OPEN_STATES
from service.public.models import PublicReply, PublicReport, PublicReportPhoto
from service.public.service import normalise_code
from service.public.status import PUBLIC_LABELS, PUBLIC_REPORT_FLOW, public_status
from service.settings import get_settings
from service.timeutil import local_date


def effective_problem_state(session: Session, problem_id: int | None) -> str | None:
    """The state that speaks for a linked problem: the original's if it was marked a
    duplicate (the problems service allows no chains)."""
    if problem_id is None:
        return None
    problem = session.get(Problem, problem_id)
    if problem is None:
        return None
    if problem.state == "duplicate" and problem.duplicate_of is not None:
        original = session.get(Problem, problem.duplicate_of)
        return original.state if original is not None else problem.state
    return problem.state


def tracking_view(session: Session, code: str) -> dict[str, Any]:
    """What anyone holding the tracking code may see; unknown code -> 404."""
    report = session.scalar(select(PublicReport).where(PublicReport.code == normalise_code(code)))
    if report is None:
        raise NotFound("no report with this tracking code")
    status = public_status(report.state, effective_problem_state(session, report.problem_id))
    county = session.get(AdminArea, report.county_code)
    replies = session.execute(
        select(PublicReply.body, PublicReply.created_at)
        .where(PublicReply.report_id == report.id)
        .order_by(PublicReply.id)
    ).all()
    return {
        "code": report.code,
        "status": status,
        "status_label": PUBLIC_LABELS[status],
        "reason": report.reject_reason if report.state == "rejected" else None,
        "category": report.category,
        "category_label": CATEGORIES[report.category],
        "county_name": county.name if county is not None else None,
        "submitted_on": local_date(report.submitted_at),
        "replies": [{"body": r.body, "on": local_date(r.created_at)} for r in replies],
    }


def _distance(a: Any, b: Any) -> Any:
    return func.ST_Distance(cast(a, Geography), cast(b, Geography))


def possible_duplicates(session: Session, report: PublicReport) -> dict[str, list[dict[str, Any]]]:
    """Open problems and other pending reports within the duplicate radius (geodesic metres,
    any category), and reports or problems carrying a photo with the same SHA-256."""
    radius = get_settings().problem_duplicate_radius_m
    other = aliased(PublicReport)
    here = select(PublicReport.geom).where(PublicReport.id == report.id).scalar_subquery()
    near_problems = session.execute(
        select(
            Problem.id,
            Problem.state,
            Problem.category,
            cast(_distance(Problem.geom, here), Float).label("d"),
        )
        .where(
            Problem.state.in_(sorted(OPEN_STATES)),
            func.ST_DWithin(cast(Problem.geom, Geography), cast(here, Geography), radius),
        )
        .order_by("d")
        .limit(10)
    ).all()
    near_reports = session.execute(
        select(
            other.id,
            other.code,
            other.category,
            cast(_distance(other.geom, here), Float).label("d"),
        )
        .where(
            other.id != report.id,
            other.state == "pending",
            func.ST_DWithin(cast(other.geom, Geography), cast(here, Geography), radius),
        )
        .order_by("d")
        .limit(10)
    ).all()
    hashes = select(PublicReportPhoto.sha256).where(PublicReportPhoto.report_id == report.id)
    same_photo_problems = session.scalars(
        select(ProblemPhoto.problem_id).where(ProblemPhoto.sha256.in_(hashes)).distinct()
    ).all()
    return {
        "problems": [
            {
                "id": r.id,
                "state": r.state,
                "category": r.category,
                "distance_m": round(r.d, 1),
                "same_photo": r.id in same_photo_problems,
            }
            for r in near_problems
        ]
        + [
            {"id": pid, "state": None, "category": None, "distance_m": None, "same_photo": True}
            for pid in same_photo_problems
            if pid not in {r.id for r in near_problems}
        ],
        "reports": [
            {"id": r.id, "code": r.code, "category": r.category, "distance_m": round(r.d, 1)}
            for r in near_reports
        ],
    }


def staff_view(session: Session, report: PublicReport) -> dict[str, Any]:
    """Everything the office needs to moderate, including the private contact."""
    lon, lat = session.execute(
        select(func.ST_X(PublicReport.geom), func.ST_Y(PublicReport.geom)).where(
            PublicReport.id == report.id
        )
    ).one()
    county = session.get(AdminArea, report.county_code)
    status = public_status(report.state, effective_problem_state(session, report.problem_id))
    photos = session.scalars(
        select(PublicReportPhoto.id)
        .where(PublicReportPhoto.report_id == report.id)
        .order_by(PublicReportPhoto.id)
    ).all()
    same_source = session.scalar(
        select(func.count())
        .select_from(PublicReport)
        .where(PublicReport.source_hash == report.source_hash)
    )
    return {
        "id": report.id,
        "code": report.code,
        "state": report.state,
        "state_label": PUBLIC_REPORT_FLOW.state_labels[report.state],
        "public_status": status,
        "public_status_label": PUBLIC_LABELS[status],
        "category": report.category,
        "category_label": CATEGORIES[report.category],
        "description": report.description,
        "lon": round(float(lon), 7),
        "lat": round(float(lat), 7),
        "datum": report.datum,
        "input_lon": report.input_lon,
        "input_lat": report.input_lat,
        "county_code": report.county_code,
        "county_name": county.name if county is not None else None,
        "contact": report.contact,
        "submitted_at": report.submitted_at,
        "problem_id": report.problem_id,
        "reject_reason": report.reject_reason,
        "photo_ids": list(photos),
        "reports_from_same_source": int(same_source or 0),
        "duplicates": possible_duplicates(session, report),
    }


def moderation_queue(
    session: Session, state: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """Reports in ``state`` (default pending), oldest first: the office works the queue FIFO."""
    cond = PublicReport.state == (state or "pending")
    total = session.scalar(select(func.count()).select_from(PublicReport).where(cond)) or 0
    rows = session.scalars(
        select(PublicReport)
        .where(cond)
        .order_by(PublicReport.submitted_at, PublicReport.id)
        .limit(limit)
        .offset(offset)
    ).all()
    return int(total), [staff_view(session, r) for r in rows]


def stats(session: Session, start: date | None, end: date | None) -> dict[str, Any]:
    """Received, accepted (incl. merged), rejected, closed and the median days from
    submission to the linked problem's closing, overall and per county. Counts only."""
    problem = aliased(Problem)
    original = aliased(Problem)
    # The state that speaks for the report: the original's for a problem marked duplicate.
    speaking = case((problem.state == "duplicate", original.state), else_=problem.state)
    closed_at = case(
        (problem.state == "duplicate", original.state_changed_at), else_=problem.state_changed_at
    )
    is_closed = and_(PublicReport.state.in_(("accepted", "merged")), speaking == "closed")
    days = func.extract("epoch", closed_at - PublicReport.submitted_at) / 86400.0
    conds = []
    if start is not None:
        conds.append(func.timezone("Asia/Shanghai", PublicReport.submitted_at) >= start)
    if end is not None:
        conds.append(func.date(func.timezone("Asia/Shanghai", PublicReport.submitted_at)) <= end)
    columns = (
        func.count().label("received"),
        func.count().filter(PublicReport.state.in_(("accepted", "merged"))).label("accepted"),
        func.count().filter(PublicReport.state == "rejected").label("rejected"),
        func.count().filter(PublicReport.state == "pending").label("pending"),
        func.count().filter(is_closed).label("closed"),
        func.percentile_cont(0.5).within_group(days).filter(is_closed).label("median_days"),
    )

    def base(*cols: Any) -> Any:
        return (
            select(*cols, *columns)
            .select_from(PublicReport)
            .outerjoin(problem, problem.id == PublicReport.problem_id)
            .outerjoin(original, original.id == problem.duplicate_of)
            .where(*conds)
        )

    def shape(row: Any) -> dict[str, Any]:
        median = row.median_days
        return {
            "received": row.received,
            "accepted": row.accepted,
            "rejected": row.rejected,
            "pending": row.pending,
            "closed": row.closed,
            "median_days": None if median is None else round(float(median), 1),
        }

    total = session.execute(base()).one()
    per_county = session.execute(
        base(AdminArea.code, AdminArea.name)
        .join(AdminArea, AdminArea.code == PublicReport.county_code)
        .group_by(AdminArea.code, AdminArea.name)
        .order_by(AdminArea.code)
    ).all()
    return {
        "from": start,
        "to": end,
        **shape(total),
        "counties": [{"code": r.code, "name": r.name, **shape(r)} for r in per_county],
    }
