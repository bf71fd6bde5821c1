"""Roster writes (office only): officials, liaison units, assignments."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.errors import InvalidInput, NotFound
from service.officials.models import Assignment, LiaisonUnit, Official
from service.officials.schemas import AssignmentIn
from service.rivers.models import River, Segment


def create_assignment(session: Session, data: AssignmentIn) -> Assignment:
    """Check that what it names exists, then add the row (history: rows are ended, not edited)."""
    county_code = None
    if data.river_id is not None and session.get(River, data.river_id) is None:
        raise NotFound(f"river {data.river_id} not found")
    if data.segment_id is not None:
        segment = session.get(Segment, data.segment_id)
        if segment is None or segment.river_id != data.river_id:
            raise InvalidInput(
                f"segment {data.segment_id} is not a segment of river {data.river_id}"
            )
        county_code = segment.county_code
    if data.official_id is not None and session.get(Official, data.official_id) is None:
        raise NotFound(f"official {data.official_id} not found")
    if data.liaison_unit_id is not None and session.get(LiaisonUnit, data.liaison_unit_id) is None:
        raise NotFound(f"liaison unit {data.liaison_unit_id} not found")
    row = Assignment(**data.model_dump(), county_code=county_code)
    session.add(row)
    session.flush()
    return row


def end_assignment(session: Session, assignment_id: int, valid_to: object) -> Assignment:
    row = session.get(Assignment, assignment_id)
    if row is None:
        raise NotFound(f"assignment {assignment_id} not found")
    if valid_to < row.valid_from:  # type: ignore[operator]
        raise InvalidInput("valid_to must not be before the assignment's valid_from")
    row.valid_to = valid_to  # type: ignore[assignment]
    session.flush()
    return row
