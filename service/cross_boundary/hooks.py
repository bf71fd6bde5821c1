"""Registers the crossing refresh with the river registry (once per process)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.rivers.geography import on_segments_recut


def _refresh(session: Session, river_ids: list[int]) -> None:
    # Imported late: the models need the package imported first.
    from service.cross_boundary.crossings import refresh_after_recut

    refresh_after_recut(session, river_ids)


if _refresh not in on_segments_recut:
    on_segments_recut.append(_refresh)
