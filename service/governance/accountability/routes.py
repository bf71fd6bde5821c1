"""HTTP: reminders, circulars, admonitions, accountability; commendations (§17-21)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response, status

from service.db import SessionDep
from service.governance.accountability import service
from service.governance.accountability.models import AccountabilityRecord, Commendation
from service.governance.accountability.schemas import (
    AccountabilityIn,
    AccountabilityKind,
    AccountabilityOut,
    CommendationIn,
    CommendationKind,
    CommendationOut,
    FollowUpIn,
)
from service.governance.common import get_or_404, newest_first
from service.governance.deps import AccountabilityWriter, Reader
from service.pagination import PageDep, paginate
from service.params import YearFilter

router = APIRouter(prefix="/api/v1", tags=["governance: accountability and commendations"])


@router.get(
    "/accountability",
    response_model=list[AccountabilityOut],
    operation_id="list_accountability",
    dependencies=[Reader],
)
def list_records(
    session: SessionDep,
    response: Response,
    page: PageDep,
    year: YearFilter = None,
    kind: AccountabilityKind | None = None,
    county: str | None = None,
) -> list[dict[str, Any]]:
    """提示 / 通报 / 约谈 / 问责线索移交, newest first."""
    rows = newest_first(
        session,
        AccountabilityRecord,
        AccountabilityRecord.issued_on,
        year=year,
        kind=kind,
        county=county,
    )
    return paginate([service.out(session, r) for r in rows], page, response)


@router.post(
    "/accountability",
    response_model=AccountabilityOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="record_accountability",
)
def record(session: SessionDep, data: AccountabilityIn, actor: AccountabilityWriter) -> Any:
    """Record a reminder, circular (numbered), admonition interview or hand-over of leads."""
    row = service.record(session, data, actor)
    session.commit()
    return service.out(session, row)


@router.post(
    "/accountability/{record_id}/follow-up",
    response_model=AccountabilityOut,
    operation_id="follow_up_admonition",
)
def follow_up(
    session: SessionDep, record_id: int, data: FollowUpIn, actor: AccountabilityWriter
) -> Any:
    """§21: record the office's re-check of an admonition interview."""
    row = get_or_404(session, AccountabilityRecord, record_id, "accountability record")
    service.follow_up(session, row, data)
    session.commit()
    return service.out(session, row)


@router.get(
    "/commendations",
    response_model=list[CommendationOut],
    operation_id="list_commendations",
    dependencies=[Reader],
)
def list_commendations(
    session: SessionDep,
    response: Response,
    page: PageDep,
    year: YearFilter = None,
    kind: CommendationKind | None = None,
    county: str | None = None,
) -> list[dict[str, Any]]:
    rows = newest_first(
        session, Commendation, Commendation.awarded_on, year=year, kind=kind, county=county
    )
    return paginate([service.out(session, r) for r in rows], page, response)


@router.post(
    "/commendations",
    response_model=CommendationOut,
    status_code=status.HTTP_201_CREATED,
    operation_id="record_commendation",
)
def commend(session: SessionDep, data: CommendationIn, actor: AccountabilityWriter) -> Any:
    """Record a commendation (表彰), praise (表扬, numbered) or incentive (激励)."""
    row = service.commend(session, data, actor)
    session.commit()
    return service.out(session, row)
