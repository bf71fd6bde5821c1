"""Registers the placement of reaches with the river registry (once per process, first)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.rivers.geography import on_segments_recut


def _place(session: Session, river_ids: list[int]) -> None:
    # Imported late: the models need the package imported first.
    from service.reaches.placement import place_reaches

    place_reaches(session, river_ids)


if _place not in on_segments_recut:
    # First: the other hooks (patrol validity, crossings) read the reaches placed here.
    on_segments_recut.insert(0, _place)
