"""Roster writes (office only): ending assignments (creating one checks the reach it holds:
``service.reaches.assignments``)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.errors import InvalidInput, NotFound
from service.officials.models import Assignment


def end_assignment(session: Session, assignment_id: int, valid_to: object) -> Assignment:
    row = session.get(Assignment, assignment_id)
    if row is None:
        raise NotFound(f"assignment {assignment_id} not found")
    if valid_to < row.valid_from:  # type: ignore[operator]
        raise InvalidInput("valid_to must not be before the assignment's valid_from")
    row.valid_to = valid_to  # type: ignore[assignment]
    session.flush()
    return row
