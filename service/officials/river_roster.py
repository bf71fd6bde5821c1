"""Rivers with the people responsible for them on a day: the registry's facts (``rivers``) and
the roster's chiefs and liaison units (this domain), as ``/rivers`` and the river map show them.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from service.errors import NotFound
from service.officials.queries import river_chiefs, river_liaison_units
from service.officials.schemas import RiverDetail, RiverOut
from service.rivers.queries import river_facts, river_segments


def list_rivers(
    session: Session, on: date, include_all: bool = False, river_ids: list[int] | None = None
) -> list[RiverOut]:
    """Rivers with their Leshan length, counties and responsible people on ``on``."""
    facts = river_facts(session, include_all, river_ids)
    ids = [f.id for f in facts]
    chiefs = river_chiefs(session, ids, on)
    units = river_liaison_units(session, ids, on)
    return [
        RiverOut(**dict(f), chiefs=chiefs.get(f.id, []), liaison_units=units.get(f.id, []))
        for f in facts
    ]


def get_river(session: Session, river_id: int, on: date) -> RiverDetail:
    """One river with its segments in upstream-to-downstream order."""
    found = list_rivers(session, on, include_all=True, river_ids=[river_id])
    if not found:
        raise NotFound(f"river {river_id} not found")
    return RiverDetail(**dict(found[0]), segments=river_segments(session, river_id))
