"""The event of this domain: a section worse than its target for a month.

``check_sections`` (``service.water_quality.exceedance``) emits one :class:`SectionExceeded`
per new exceedance as ``EVENT`` (``service.domains``: hooks run in the transaction that
stored the readings; notifications declare one) and returns them. :func:`exceedance_events`
reads the same events back from the ``section_exceedance`` rows (after an id), for a
consumer that polls instead.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from service.problems.models import Problem
from service.rivers.models import River
from service.water_quality.models import Section, SectionExceedance, SectionReading
from service.water_quality.schemas import SectionExceeded

#: The event name notifications (issue 21) subscribe to.
EVENT = "water_quality.section_exceeded"


def _events(session: Session, *conditions: Any, limit: int) -> list[SectionExceeded]:
    last_day = (
        select(func.max(SectionReading.sampled_on))
        .where(
            SectionReading.section_id == SectionExceedance.section_id,
            SectionReading.sampled_on >= SectionExceedance.month,
            SectionReading.sampled_on < SectionExceedance.month + text("interval '1 month'"),
        )
        .scalar_subquery()
    )
    rows = session.execute(
        select(SectionExceedance, Section, River.name, Problem.county_code, last_day.label("day"))
        .join(Section, Section.id == SectionExceedance.section_id)
        .join(River, River.id == Section.river_id)
        .outerjoin(Problem, Problem.id == SectionExceedance.problem_id)
        .where(*conditions)
        .order_by(SectionExceedance.id)
        .limit(limit)
    ).all()
    return [
        SectionExceeded(
            exceedance_id=e.id,
            section_id=s.id,
            section_code=s.code,
            section_name=s.name,
            river_id=s.river_id,
            river_name=river_name,
            month=e.month,
            water_class=e.water_class,
            target_class=e.target_class,
            worst_parameters=tuple(e.worst_parameters),
            problem_id=e.problem_id,
            repeat=e.repeat,
            county_code=county_code,
            neighbor_code=s.neighbor_code,
            direction=s.direction,  # type: ignore[arg-type]  # ck_section_direction
            sampled_on=day or e.month,
            is_synthetic=e.is_synthetic,
            at=e.created_at,
        )
        for e, s, river_name, county_code, day in rows
    ]


def events_of(session: Session, exceedance_ids: list[int]) -> list[SectionExceeded]:
    """The events of these exceedance rows, in the order they were stored."""
    if not exceedance_ids:
        return []
    return _events(session, SectionExceedance.id.in_(exceedance_ids), limit=len(exceedance_ids))


def exceedance_events(
    session: Session, after_id: int = 0, limit: int = 500
) -> list[SectionExceeded]:
    """Events of the exceedances stored after ``after_id``, oldest first (at most ``limit``)."""
    return _events(session, SectionExceedance.id > after_id, limit=limit)


def list_exceedances(
    session: Session,
    start: date,
    end: date,
    *,
    section_id: int | None = None,
    repeat: bool | None = None,
    neighbor_code: str | None = None,
    direction: str | None = None,
    limit: int = 10_000,
) -> list[SectionExceeded]:
    """Exceedances of the months from ``start``'s to ``end``'s, oldest first (``neighbor_code``:
    at the sections on the border with that city only)."""
    conditions: list[Any] = [
        SectionExceedance.month >= start.replace(day=1),
        SectionExceedance.month <= end,
    ]
    if section_id is not None:
        conditions.append(SectionExceedance.section_id == section_id)
    if repeat is not None:
        conditions.append(SectionExceedance.repeat.is_(repeat))
    if neighbor_code is not None:
        conditions.append(Section.neighbor_code == neighbor_code)
    if direction is not None:
        conditions.append(Section.direction == direction)
    return _events(session, *conditions, limit=limit)
