"""Inspections (督查, §15): findings become problems handed to the county.

Each finding is reported through the problem workflow (``service.problems.service``: routed
by geography, history row 1) and at once assigned (交办) to the county it lies in, with the
inspection's deadline. A finding outside the inspected county is refused (422): the county
inspected is the one that must rectify. All findings or none are written.
"""

from __future__ import annotations

from datetime import datetime, time
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import Forbidden, InvalidInput
from service.governance.common import (
    Actor,
    check_county,
    check_river,
    check_unit,
    get_or_404,
    target_name,
)
from service.governance.inspections.models import Inspection, InspectionFinding
from service.governance.inspections.schemas import InspectionIn
from service.governance.permissions import speaks_for_river_unit
from service.officials.models import LiaisonUnit
from service.problems.models import Problem
from service.problems.schemas import ProblemIn, ProblemTransitionIn
from service.problems.service import report_problem, transition
from service.timeutil import LOCAL_TZ


def create_inspection(
    session: Session, data: InspectionIn, actor: Actor, *, is_synthetic: bool = False
) -> Inspection:
    """Record an inspection and hand each finding to its county as an assigned problem."""
    if (data.county_code is None) == (data.liaison_unit_id is None):
        raise InvalidInput("inspect exactly one county (county_code) or one unit")
    if data.county_code is not None:
        check_county(session, data.county_code)
    if data.liaison_unit_id is not None:
        check_unit(session, data.liaison_unit_id)
    if data.river_id is not None:
        check_river(session, data.river_id)
    organiser = None
    if actor.role == "liaison":
        # §15: a liaison unit inspects the work on its own river.
        if data.river_id is None or not speaks_for_river_unit(
            session, actor, data.river_id, data.inspected_on
        ):
            raise Forbidden("a liaison unit inspects only the river it serves (give river_id)")
        organiser = actor.liaison_unit_id
    for f in data.findings:
        if f.due_date < data.inspected_on:
            raise InvalidInput("a finding's due_date must not be before the inspection")
    row = Inspection(
        inspected_on=data.inspected_on,
        title=data.title,
        organiser_unit_id=organiser,
        county_code=data.county_code,
        liaison_unit_id=data.liaison_unit_id,
        river_id=data.river_id,
        summary=data.summary,
        created_by=actor.username,
        is_synthetic=is_synthetic,
    )
    session.add(row)
    session.flush()
    at = datetime.combine(data.inspected_on, time(15, 0), tzinfo=LOCAL_TZ)
    for f in data.findings:
        problem = report_problem(
            session,
            ProblemIn(
                lon=f.lon,
                lat=f.lat,
                datum=f.datum,
                category=f.category,
                description=f"【督查】{f.description}",
                observed_at=at,
                covert=False,
            ),
            actor,
            now=at,
            synthetic=is_synthetic,
        )
        county = problem.county_code
        if county is None:
            raise InvalidInput(f"finding at {f.lon},{f.lat} is in no county of the city")
        if data.county_code is not None and county != data.county_code:
            raise InvalidInput(
                f"finding at {f.lon},{f.lat} lies in county {county}, not in the inspected "
                f"county {data.county_code}"
            )
        transition(
            session,
            problem,
            ProblemTransitionIn(
                action="assign",
                assignee_county=county,
                due_date=f.due_date,
                note=f"督查发现，交办{target_name(session, county, None)}整改",
            ),
            actor,
            at=at,
        )
        session.add(
            InspectionFinding(
                inspection_id=row.id,
                category=f.category,
                description=f.description,
                lon=f.lon,
                lat=f.lat,
                problem_id=problem.id,
                handed_to_county=county,
                due_date=f.due_date,
            )
        )
    session.flush()
    return row


def get(session: Session, inspection_id: int) -> Inspection:
    return get_or_404(session, Inspection, inspection_id, "inspection")


def out(session: Session, row: Inspection) -> dict[str, Any]:
    findings = session.scalars(
        select(InspectionFinding)
        .where(InspectionFinding.inspection_id == row.id)
        .order_by(InspectionFinding.id)
    ).all()
    states = dict(
        session.execute(
            select(Problem.id, Problem.state).where(
                Problem.id.in_([f.problem_id for f in findings if f.problem_id is not None])
            )
        ).all()
    )
    organiser = "市河长制办公室"
    if row.organiser_unit_id is not None:
        organiser = (
            session.scalar(select(LiaisonUnit.name).where(LiaisonUnit.id == row.organiser_unit_id))
            or organiser
        )
    return {
        **{
            c: getattr(row, c)
            for c in (
                "id",
                "inspected_on",
                "title",
                "organiser_unit_id",
                "county_code",
                "liaison_unit_id",
                "river_id",
                "summary",
                "is_synthetic",
            )
        },
        "organiser": organiser,
        "target_name": target_name(session, row.county_code, row.liaison_unit_id),
        "findings": [
            {
                **{
                    c: getattr(f, c)
                    for c in (
                        "id",
                        "category",
                        "description",
                        "lon",
                        "lat",
                        "problem_id",
                        "handed_to_county",
                        "due_date",
                    )
                },
                "problem_state": states.get(f.problem_id) if f.problem_id else None,
            }
            for f in findings
        ],
    }
