"""Reads of the roster: who was responsible for what on a given day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from datetime import date

from sqlalchemy import ColumnElement, and_, or_, select
from sqlalchemy.orm import Session

from service.officials.models import Assignment, LiaisonUnit, Official
from service.officials.schemas import ChiefRef, LiaisonUnitRef

LEVEL_ORDER = {"city": 0, "county": 1, "township": 2, "village": 3}


def active_on(on: date) -> ColumnElement[bool]:
    """Assignments in force on local day ``on`` (both ends inclusive)."""
    return and_(
        Assignment.valid_from <= on,
        or_(Assignment.valid_to.is_(None), Assignment.valid_to >= on),
    )


def river_chiefs(session: Session, river_ids: Sequence[int], on: date) -> dict[int, list[ChiefRef]]:
    """``river_chief`` holders per river on ``on``: city level first, then county, ..."""
    rows = session.execute(
        select(Assignment, Official)
        .join(Official, Official.id == Assignment.official_id)
        .where(
            Assignment.river_id.in_(river_ids),
            Assignment.role == "river_chief",
            active_on(on),
        )
    ).all()
    out: dict[int, list[ChiefRef]] = defaultdict(list)
    for a, o in sorted(
        rows,
        key=lambda r: (LEVEL_ORDER.get(r[0].level or "", 9), r[0].county_code or "", r[1].id),
    ):
        assert a.river_id is not None
        out[a.river_id].append(
            ChiefRef(
                id=o.id,
                name=o.name,
                title=o.title,
                role=a.role,
                level=a.level,
                county_code=a.county_code,
                assignment_id=a.id,
            )
        )
    return out


def river_liaison_units(
    session: Session, river_ids: Sequence[int], on: date
) -> dict[int, list[LiaisonUnitRef]]:
    """Liaison units per river on ``on``."""
    rows = session.execute(
        select(Assignment, LiaisonUnit)
        .join(LiaisonUnit, LiaisonUnit.id == Assignment.liaison_unit_id)
        .where(Assignment.river_id.in_(river_ids), active_on(on))
        .order_by(LiaisonUnit.id)
    ).all()
    out: dict[int, list[LiaisonUnitRef]] = defaultdict(list)
    for a, u in rows:
        assert a.river_id is not None
        out[a.river_id].append(LiaisonUnitRef(id=u.id, name=u.name, assignment_id=a.id))
    return out


def municipal_chief(session: Session, river_id: int, on: date) -> Official | None:
    """The city-level river chief of ``river_id`` on ``on`` (None if the post was vacant)."""
    return session.scalar(
        select(Official)
        .join(Assignment, Assignment.official_id == Official.id)
        .where(
            Assignment.river_id == river_id,
            Assignment.role == "river_chief",
            Assignment.level == "city",
            active_on(on),
        )
        .order_by(Assignment.valid_from.desc())
        .limit(1)
    )


def liaison_unit_of(session: Session, river_id: int, on: date) -> LiaisonUnit | None:
    """The liaison unit of ``river_id`` on ``on``."""
    return session.scalar(
        select(LiaisonUnit)
        .join(Assignment, Assignment.liaison_unit_id == LiaisonUnit.id)
        .where(Assignment.river_id == river_id, active_on(on))
        .order_by(Assignment.valid_from.desc())
        .limit(1)
    )


def general_chiefs(session: Session, on: date) -> list[tuple[Assignment, Official]]:
    """General and deputy general chiefs in office on ``on``."""
    rows = session.execute(
        select(Assignment, Official)
        .join(Official, Official.id == Assignment.official_id)
        .where(Assignment.role.in_(("general_chief", "deputy_general_chief")), active_on(on))
        .order_by(Assignment.role.desc(), Official.id)
    ).all()
    return [(a, o) for a, o in rows]


def rivers_of_official(session: Session, official_id: int, on: date) -> list[int]:
    """Rivers the official is a river chief of on ``on``."""
    return [
        river_id
        for river_id in session.scalars(
            select(Assignment.river_id)
            .where(
                Assignment.official_id == official_id,
                Assignment.role == "river_chief",
                Assignment.river_id.is_not(None),
                active_on(on),
            )
            .distinct()
        ).all()
        if river_id is not None
    ]
