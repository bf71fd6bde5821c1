"""Writes of problems: report (route, dedupe, history row 1) and transitions."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

from geoalchemy2.elements import WKTElement
from sqlalchemy import select
from sqlalchemy.orm import Session

from service.areas.models import AdminArea
from service.db import refresh_for_update
from service.errors import InvalidInput
from service.officials.models import LiaisonUnit
from service.problems.models import Problem, ProblemPhoto
from service.problems.routing import route_point, to_wgs84
from service.problems.schemas import Duplicate, ProblemIn, ProblemTransitionIn
from service.problems.workflow import OPEN_STATES, PROBLEM_FLOW
from service.reaches.models import Township
from service.settings import get_settings
from service.sql import load_sql
from service.timeutil import LOCAL_TZ, local_date, now_utc
from service.workflow import Actor, WorkflowEvent

#: Clock skew tolerated on ``observed_at`` (phones are often a few minutes off).
FUTURE_SKEW = timedelta(minutes=10)


def _aware(moment: datetime) -> datetime:
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=LOCAL_TZ)


def possible_duplicates(session: Session, problem: Problem) -> list[Duplicate]:
    """Open problems of the same category within the duplicate radius (geodesic metres)."""
    rows = session.execute(load_sql("problem_duplicates"), _dup_params(session, problem)).all()
    return [
        Duplicate(
            id=r.id,
            state=r.state,
            observed_at=r.observed_at,
            distance_m=round(float(r.distance_m), 1),
        )
        for r in rows
    ]


def _dup_params(session: Session, problem: Problem) -> dict[str, Any]:
    lon, lat = session.execute(
        select(Problem.geom.ST_X(), Problem.geom.ST_Y()).where(Problem.id == problem.id)
    ).one()
    return {
        "lon": float(lon),
        "lat": float(lat),
        "category": problem.category,
        "radius_m": get_settings().problem_duplicate_radius_m,
        "open_states": sorted(OPEN_STATES),
        "exclude_id": problem.id,
    }


def report_problem(
    session: Session,
    body: ProblemIn,
    actor: Actor | None,
    *,
    now: datetime | None = None,
    synthetic: bool = False,
) -> Problem:
    """Route, store and open a problem (history row 1); 422 if it cannot be placed.

    The due date starts at the report day + ``problem_default_due_days``; assignment may set
    another. ``now`` lets the demo backdate a report.
    """
    now = now or now_utc()
    observed_at = _aware(body.observed_at)
    if observed_at > now + FUTURE_SKEW:
        raise InvalidInput("observed_at is in the future")
    if body.patrol_id is not None:
        from service.patrols.models import Patrol

        if session.get(Patrol, body.patrol_id) is None:
            raise InvalidInput(f"patrol {body.patrol_id} does not exist")
    lon, lat = to_wgs84(body.lon, body.lat, body.datum)
    routing = route_point(session, lon, lat, local_date(observed_at))
    problem = Problem(
        category=body.category,
        description=body.description.strip(),
        geom=WKTElement(f"POINT({lon!r} {lat!r})", srid=4326),
        input_lon=body.lon,
        input_lat=body.lat,
        datum=body.datum,
        observed_at=observed_at,
        reported_at=now,
        reporter_id=actor.id if actor is not None else None,
        patrol_id=body.patrol_id,
        river_id=routing.river_id,
        segment_id=routing.segment_id,
        county_code=routing.county_code,
        reach_id=routing.reach_id,
        township_code=routing.township_code,
        distance_m=routing.distance_m,
        off_river=routing.off_river,
        chief_official_id=routing.chief.id if routing.chief else None,
        liaison_unit_id=routing.liaison_unit.id if routing.liaison_unit else None,
        covert=body.covert,
        is_synthetic=synthetic,
        state=PROBLEM_FLOW.initial,
        due_date=local_date(now) + timedelta(days=get_settings().problem_default_due_days),
    )
    session.add(problem)
    session.flush()
    data: dict[str, Any] = {"off_river": True} if routing.off_river else {}
    PROBLEM_FLOW.start(session, problem, actor, note=problem.description, data=data, at=now)
    return problem


def _validate(
    session: Session, problem: Problem, body: ProblemTransitionIn, today: date
) -> dict[str, Any]:
    """Entity checks after the engine's (state 409, role 403, missing 422); returns ``data``."""
    data: dict[str, Any] = {}
    if body.action == "assign":
        given = [
            a
            for a in (body.assignee_county, body.assignee_unit_id, body.assignee_township)
            if a is not None
        ]
        if len(given) > 1:
            raise InvalidInput("assign to one county, township office or unit, not several")
        if (
            body.assignee_township is not None
            and session.get(Township, body.assignee_township) is None
        ):
            raise InvalidInput(f"{body.assignee_township!r} is not a township of this city")
        if body.assignee_county is not None:
            county = session.get(AdminArea, body.assignee_county)
            if county is None or county.parent_code != get_settings().focus_city_code:
                raise InvalidInput(f"{body.assignee_county!r} is not a county of this city")
        if body.assignee_unit_id is not None and (
            session.get(LiaisonUnit, body.assignee_unit_id) is None
        ):
            raise InvalidInput(f"unit {body.assignee_unit_id} does not exist")
    if body.due_date is not None and body.due_date < today:
        raise InvalidInput(f"due_date {body.due_date} is in the past")
    if body.action == "mark_duplicate":
        original = session.get(Problem, body.duplicate_of)
        if original is None:
            raise InvalidInput(f"problem {body.duplicate_of} does not exist")
        if original.id == problem.id:
            raise InvalidInput("a problem cannot be a duplicate of itself")
        if original.state == "duplicate":
            raise InvalidInput(
                f"problem {original.id} is itself a duplicate of {original.duplicate_of}; "
                "mark this one against the original"
            )
        data["duplicate_of"] = original.id
    if body.action == "rectified":
        photo_ids = session.scalars(
            select(ProblemPhoto.id)
            .where(
                ProblemPhoto.problem_id == problem.id,
                ProblemPhoto.kind == "evidence",
                ProblemPhoto.event_seq.is_(None),
            )
            .order_by(ProblemPhoto.id)
        ).all()
        data["photo_ids"] = list(photo_ids)
    return data


def transition(
    session: Session,
    problem: Problem,
    body: ProblemTransitionIn,
    actor: Actor,
    *,
    at: datetime | None = None,
) -> WorkflowEvent:
    """Take one action on a problem: 409 / 403 / 422 or a new history row."""
    at = at or now_utc()
    fields: dict[str, Any] = {
        "note": body.note,
        "assignee_county": body.assignee_county,
        "assignee_unit_id": body.assignee_unit_id,
        "assignee_township": body.assignee_township,
        "due_date": body.due_date,
    }
    refresh_for_update(session, problem)
    PROBLEM_FLOW.check(
        problem, body.action, actor, data={"duplicate_of": body.duplicate_of}, **fields
    )
    data = _validate(session, problem, body, local_date(at))
    if body.action == "assign" and body.due_date is None and problem.due_date is None:
        # A reopened problem lost its due date: the default clock starts at assignment.
        fields["due_date"] = local_date(at) + timedelta(
            days=get_settings().problem_default_due_days
        )
    event = PROBLEM_FLOW.apply(session, problem, body.action, actor, data=data, at=at, **fields)
    if body.action == "mark_duplicate":
        problem.duplicate_of = data["duplicate_of"]
    if body.action == "reopen":
        problem.duplicate_of = None
    for photo_id in data.get("photo_ids", []):
        photo = session.get(ProblemPhoto, photo_id)
        if photo is not None:
            photo.event_seq = event.seq
    session.flush()
    return event


def resnap_after_recut(session: Session, river_ids: list[int]) -> None:
    """Re-cut hook (declared in ``service.domains``): point the problems of these rivers at
    the new nearest segment of the same river (the river, county and responsibility recorded
    at report stand)."""
    session.execute(load_sql("problem_resnap"), {"river_ids": river_ids})
