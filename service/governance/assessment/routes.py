"""HTTP: the annual assessment of the counties (考核, §16)."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Response
from pydantic import Field

from service.bounds import ObservedDate
from service.db import SessionDep
from service.errors import NotFound
from service.governance.assessment import service
from service.governance.assessment.compute import assess, sheet
from service.governance.assessment.xlsx import workbook
from service.governance.deps import AssessmentWriter, Reader
from service.governance.lists.xlsx import XLSX_MEDIA_TYPE
from service.inputs import InputModel
from service.params import YearPath

router = APIRouter(prefix="/api/v1", tags=["governance: assessment"])


class ManualScoreIn(InputModel):
    points: float = Field(ge=0, le=100)
    note: str | None = Field(default=None, max_length=2000)


class IssueIn(InputModel):
    issued_on: ObservedDate
    meeting_id: int | None = Field(default=None, description="the 主任会议 that approved it")


@router.get("/assessments/sheet", operation_id="assessment_sheet", dependencies=[Reader])
def get_sheet() -> list[dict[str, Any]]:
    """The score sheet in force: items, maximum points, method and parameters."""
    return [
        {"code": i.code, "item": i.label, "method": i.method, "max": i.max, "params": i.params}
        for i in sheet()
    ]


@router.get(
    "/assessments/{year:int}.xlsx",
    operation_id="assessment_xlsx",
    dependencies=[Reader],
    response_class=Response,
    responses={200: {"content": {XLSX_MEDIA_TYPE: {}}}},
)
def assessment_xlsx(session: SessionDep, year: YearPath) -> Response:
    """The ranking and the evidence of every item as a workbook."""
    return Response(
        workbook(assess(session, year)),
        media_type=XLSX_MEDIA_TYPE,
        headers={"Content-Disposition": f'attachment; filename="assessment-{year}.xlsx"'},
    )


@router.get("/assessments/{year:int}", operation_id="get_assessment", dependencies=[Reader])
def get_assessment(session: SessionDep, year: YearPath) -> dict[str, Any]:
    """``{"year", "counties": [{county_code, county_name, score, rank, items: [{item, points,
    max, evidence}]}]}`` for the city's county-level units, ranked by score (ties share a
    rank); computed items carry the counts and ids they used."""
    return assess(session, year)


@router.put(
    "/assessments/{year:int}/manual-scores/{county_code}/{item}", operation_id="set_manual_score"
)
def set_manual_score(
    session: SessionDep,
    year: YearPath,
    county_code: str,
    item: str,
    data: ManualScoreIn,
    actor: AssessmentWriter,
) -> dict[str, Any]:
    """Enter the assessors' points for a manual item of one county."""
    row = service.set_manual_score(session, year, county_code, item, data.points, data.note, actor)
    session.commit()
    return {
        "year": row.year,
        "county_code": row.county_code,
        "item": row.item,
        "points": row.points,
        "note": row.note,
    }


@router.post("/assessments/{year:int}/issue", operation_id="issue_assessment")
def issue_assessment(
    session: SessionDep, year: YearPath, data: IssueIn, actor: AssessmentWriter
) -> dict[str, Any]:
    """Circulate the year's results in the office's name (numbered), frozen as computed now."""
    row = service.issue(session, year, data.issued_on, data.meeting_id, actor)
    session.commit()
    return service.issued_out(session, row)


@router.get(
    "/assessments/{year:int}/issued", operation_id="get_issued_assessment", dependencies=[Reader]
)
def get_issued(session: SessionDep, year: YearPath) -> dict[str, Any]:
    """The results as circulated (frozen), with the document number."""
    row = service.issued(session, year)
    if row is None:
        raise NotFound(f"the {year} assessment has not been issued")
    return service.issued_out(session, row)
