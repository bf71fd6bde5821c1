"""Registers the patrol coverage rebuild with the river registry (once per process)."""

from __future__ import annotations

from sqlalchemy.orm import Session

from service.rivers.geography import on_segments_recut


def _rebuild(session: Session, river_ids: list[int]) -> None:
    # Imported late: the models need the package imported first.
    from service.patrols.matching import rebuild_after_recut

    rebuild_after_recut(session, river_ids)


if _rebuild not in on_segments_recut:
    on_segments_recut.append(_rebuild)
