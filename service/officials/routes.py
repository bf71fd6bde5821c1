"""HTTP: the roster. Reads are public; writes are for the river chief office."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response, status
from sqlalchemy import select

from service.auth.deps import requires
from service.auth.models import UserAccount
from service.db import SessionDep
from service.errors import NotFound
from service.officials import service
from service.officials.models import Assignment, LiaisonUnit, Official
from service.officials.schemas import (
    AssignmentEnd,
    AssignmentIn,
    AssignmentOut,
    LiaisonUnitIn,
    LiaisonUnitOut,
    OfficialIn,
    OfficialOut,
)
from service.pagination import PageDep, paginate
from service.reaches import assignments

router = APIRouter(prefix="/api/v1", tags=["roster"])
Reader = Depends(requires("registry.read"))
Writer = Annotated[UserAccount, Depends(requires("registry.write"))]


@router.get(
    "/officials",
    response_model=list[OfficialOut],
    operation_id="list_officials",
    dependencies=[Reader],
)
def list_officials(session: SessionDep, response: Response, page: PageDep) -> list[Official]:
    """Officials of the river chief system (demo people are fictional and marked)."""
    return paginate(session.scalars(select(Official).order_by(Official.id)).all(), page, response)


@router.get(
    "/officials/{official_id}",
    response_model=OfficialOut,
    operation_id="get_official",
    dependencies=[Reader],
)
def get_official(session: SessionDep, official_id: int) -> Official:
    official = session.get(Official, official_id)
    if official is None:
        raise NotFound(f"official {official_id} not found")
    return official


@router.post(
    "/officials",
    response_model=OfficialOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="create_official",
)
def create_official(session: SessionDep, data: OfficialIn, user: Writer) -> Official:
    official = Official(name=data.name, title=data.title)
    session.add(official)
    session.commit()
    return official


@router.get(
    "/liaison-units",
    response_model=list[LiaisonUnitOut],
    operation_id="list_liaison_units",
    dependencies=[Reader],
)
def list_liaison_units(session: SessionDep, response: Response, page: PageDep) -> list[LiaisonUnit]:
    return paginate(
        session.scalars(select(LiaisonUnit).order_by(LiaisonUnit.id)).all(), page, response
    )


@router.post(
    "/liaison-units",
    response_model=LiaisonUnitOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="create_liaison_unit",
)
def create_liaison_unit(session: SessionDep, data: LiaisonUnitIn, user: Writer) -> LiaisonUnit:
    if session.scalar(select(LiaisonUnit).where(LiaisonUnit.name == data.name)):
        from service.errors import Conflict

        raise Conflict(f"liaison unit {data.name!r} exists")
    unit = LiaisonUnit(name=data.name)
    session.add(unit)
    session.commit()
    return unit


@router.get(
    "/assignments",
    response_model=list[AssignmentOut],
    operation_id="list_assignments",
    dependencies=[Reader],
)
def list_assignments(
    session: SessionDep,
    response: Response,
    page: PageDep,
    river_id: int | None = None,
    reach_id: int | None = None,
) -> list[Assignment]:
    """All assignments, past and present: the history of who was responsible when."""
    stmt = select(Assignment).order_by(Assignment.id)
    if river_id is not None:
        stmt = stmt.where(Assignment.river_id == river_id)
    if reach_id is not None:
        stmt = stmt.where(Assignment.reach_id == reach_id)
    return paginate(session.scalars(stmt).all(), page, response)


@router.post(
    "/assignments",
    response_model=AssignmentOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="create_assignment",
)
def create_assignment(session: SessionDep, data: AssignmentIn, user: Writer) -> Assignment:
    row = assignments.create_assignment(session, data)
    session.commit()
    return row


@router.post(
    "/assignments/{assignment_id}/end",
    response_model=AssignmentOut,
    operation_id="end_assignment",
)
def end_assignment(
    session: SessionDep, assignment_id: int, data: AssignmentEnd, user: Writer
) -> Assignment:
    """End an assignment on ``valid_to`` (the last day it was in force)."""
    row = service.end_assignment(session, assignment_id, data.valid_to)
    session.commit()
    return row
