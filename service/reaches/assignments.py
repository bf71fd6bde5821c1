"""Assignments hold reaches: creating one checks the reach it holds (the office's roster
writes; ``POST /api/v1/assignments``). Ending one is the roster's own
(``service.officials.service.end_assignment``)."""

from __future__ import annotations

from datetime import date

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from service.errors import InvalidInput, NotFound
from service.officials.models import Assignment, LiaisonUnit, Official
from service.officials.schemas import AssignmentIn
from service.reaches.models import Reach
from service.rivers.models import River, Segment


def _reach_on(
    session: Session, river_id: int, level: str, on: date, *extra: object
) -> Reach | None:
    """The river's reach of ``level`` in force on ``on`` (the first upstream)."""
    return session.scalar(
        select(Reach)
        .where(
            Reach.river_id == river_id,
            Reach.level == level,
            Reach.valid_from <= on,
            or_(Reach.valid_to.is_(None), Reach.valid_to >= on),
            *extra,  # type: ignore[arg-type]
        )
        .order_by(Reach.from_m)
        .limit(1)
    )


def _default_reach(session: Session, data: AssignmentIn, segment: Segment | None) -> Reach | None:
    """The reach an assignment given by river (and segment) holds, when it can be told."""
    assert data.river_id is not None
    if data.role == "liaison_unit" or (data.role == "river_chief" and data.level == "city"):
        return _reach_on(session, data.river_id, "city", data.valid_from)
    if data.role == "river_chief" and data.level == "county" and segment is not None:
        return _reach_on(
            session,
            data.river_id,
            "county",
            data.valid_from,
            Reach.admin_code == segment.county_code,
            Reach.from_m <= segment.from_m + 1.0,
            Reach.to_m >= segment.to_m - 1.0,
        )
    if data.role == "river_chief" and data.level in ("township", "village"):
        raise InvalidInput(f"a {data.level} chief holds a reach: give reach_id")
    return None


def _check_reach(data: AssignmentIn, reach: Reach) -> None:
    if data.river_id is not None and data.river_id != reach.river_id:
        raise InvalidInput(
            f"reach {reach.id} is a reach of river {reach.river_id}, not {data.river_id}"
        )
    if data.role == "river_chief" and data.level != reach.level:
        raise InvalidInput(
            f"reach {reach.code} is a {reach.level} reach: its chief is a {reach.level} chief, "
            f"not {data.level}"
        )
    if reach.valid_from > data.valid_from or (
        reach.valid_to is not None and (data.valid_to is None or data.valid_to > reach.valid_to)
    ):
        raise InvalidInput(
            f"reach {reach.code} is in force {reach.valid_from} to {reach.valid_to or 'now'}: "
            "the assignment must lie within it"
        )


def create_assignment(session: Session, data: AssignmentIn) -> Assignment:
    """Check that what it names exists, then add the row (history: rows are ended, not edited)."""
    if data.river_id is not None and session.get(River, data.river_id) is None:
        raise NotFound(f"river {data.river_id} not found")
    segment = None
    if data.segment_id is not None:
        segment = session.get(Segment, data.segment_id)
        if segment is None or segment.river_id != data.river_id:
            raise InvalidInput(
                f"segment {data.segment_id} is not a segment of river {data.river_id}"
            )
    if data.official_id is not None and session.get(Official, data.official_id) is None:
        raise NotFound(f"official {data.official_id} not found")
    if data.liaison_unit_id is not None and session.get(LiaisonUnit, data.liaison_unit_id) is None:
        raise NotFound(f"liaison unit {data.liaison_unit_id} not found")
    reach = None
    if data.reach_id is not None:
        reach = session.get(Reach, data.reach_id)
        if reach is None:
            raise NotFound(f"reach {data.reach_id} not found")
        _check_reach(data, reach)
    elif data.river_id is not None:
        reach = _default_reach(session, data, segment)
    county_code = segment.county_code if segment is not None else None
    if reach is not None and reach.level != "city":
        county_code = reach.admin_code[:6]
    fields = data.model_dump()
    fields["river_id"] = reach.river_id if reach is not None else data.river_id
    fields["reach_id"] = reach.id if reach is not None else None
    row = Assignment(**fields, county_code=county_code)
    session.add(row)
    session.flush()
    return row
