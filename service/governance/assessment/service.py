"""Assessment writes: manual item scores, and issuing the year's results (§16)."""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from service.errors import Conflict, InvalidInput
from service.governance.assessment.compute import assess, sheet
from service.governance.assessment.models import AssessmentManualScore, AssessmentResult
from service.governance.common import Actor, check_county, get_or_404
from service.governance.documents import document_number, issue_document
from service.governance.meetings.models import Meeting


def set_manual_score(
    session: Session,
    year: int,
    county_code: str,
    item_code: str,
    points: float,
    note: str | None,
    actor: Actor,
    *,
    is_synthetic: bool = False,
) -> AssessmentManualScore:
    """Enter (or correct) a manual item's points, 0..max of the item."""
    check_county(session, county_code)
    item = next((i for i in sheet() if i.code == item_code), None)
    if item is None or item.method != "manual":
        manual = [i.code for i in sheet() if i.method == "manual"]
        raise InvalidInput(f"{item_code!r} is not a manual item of the score sheet", valid=manual)
    if not 0 <= points <= item.max:
        raise InvalidInput(f"points of {item_code} must be 0-{item.max:g}, got {points:g}")
    if issued(session, year) is not None:
        raise Conflict(f"the {year} assessment is issued; its scores no longer change")
    row = session.scalar(
        select(AssessmentManualScore).where(
            AssessmentManualScore.year == year,
            AssessmentManualScore.county_code == county_code,
            AssessmentManualScore.item == item_code,
        )
    )
    if row is None:
        row = AssessmentManualScore(
            year=year,
            county_code=county_code,
            item=item_code,
            points=points,
            note=note,
            entered_by=actor.username,
            is_synthetic=is_synthetic,
        )
        session.add(row)
    else:
        row.points, row.note, row.entered_by = points, note, actor.username
    session.flush()
    return row


def issued(session: Session, year: int) -> AssessmentResult | None:
    return session.scalar(select(AssessmentResult).where(AssessmentResult.year == year))


def issue(
    session: Session,
    year: int,
    on: date,
    meeting_id: int | None,
    actor: Actor,
    *,
    is_synthetic: bool = False,
) -> AssessmentResult:
    """§16: after the office's 主任会议 approves, results are circulated in the office's name.

    The computed sheet is frozen into the row, so later data changes do not alter what was
    circulated.
    """
    if on.year <= year and on < date(year, 12, 1):
        raise InvalidInput(f"the {year} assessment cannot be issued before December {year}")
    if issued(session, year) is not None:
        raise Conflict(f"the {year} assessment is already issued")
    if meeting_id is not None:
        meeting = get_or_404(session, Meeting, meeting_id, "meeting")
        if meeting.kind != "office" or meeting.held_on > on:
            raise InvalidInput("meeting_id must be a 主任会议 (kind office) held by the issue date")
    results = assess(session, year)
    doc = issue_document(
        session,
        kind="assessment",
        title=f"{year}年度河湖长制工作考核结果",
        issued_on=on,
        ref_id=None,
        is_synthetic=is_synthetic,
    )
    row = AssessmentResult(
        year=year,
        meeting_id=meeting_id,
        issued_on=on,
        document_id=doc.id,
        results=results,
        created_by=actor.username,
        is_synthetic=is_synthetic,
    )
    session.add(row)
    session.flush()
    doc.ref_id = row.id
    session.flush()
    return row


def issued_out(session: Session, row: AssessmentResult) -> dict[str, Any]:
    return {
        "year": row.year,
        "issued_on": row.issued_on,
        "meeting_id": row.meeting_id,
        "document_number": document_number(session, row.document_id),
        "results": row.results,
    }
