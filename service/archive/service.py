"""Writes of the river archive: the office edits the typed-in fields (一河一档)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.archive.models import RiverArchive
from service.archive.schemas import ArchiveIn
from service.errors import NotFound
from service.rivers.models import River


def edit_archive(session: Session, river_id: int, body: ArchiveIn, user_id: int | None) -> None:
    """Change the fields ``body`` names (a null clears one; a list replaces the list); the
    caller reads the archive back and commits."""
    if session.get(River, river_id) is None:
        raise NotFound(f"river {river_id} not found")
    row = session.get(RiverArchive, river_id, with_for_update=True)
    if row is None:
        row = RiverArchive(river_id=river_id, water_function_zones=[], main_problems=[])
        session.add(row)
    for name in body.model_fields_set:
        value = getattr(body, name)
        if name == "water_function_zones":
            value = [z.model_dump() for z in value or []]
        elif name == "main_problems":
            value = list(value or [])
        setattr(row, name, value)
    row.updated_by = user_id
    session.flush()
