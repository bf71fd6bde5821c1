"""Governance's re-cut hook (declared in ``service.domains``).

Re-cutting deletes and re-creates a river's segments, so a segment health assessment loses
its ``segment_id`` (ON DELETE SET NULL) but keeps its ``county_code``; this hook re-links it
to the river's longest new segment in that county, so it is not mistaken for a whole-river
assessment.
"""

from __future__ import annotations

from sqlalchemy import text
from sqlalchemy.orm import Session

_RELINK = text(
    """
    UPDATE health_assessment h
    SET segment_id = (
        SELECT s.id FROM segment s
        WHERE s.river_id = h.river_id AND s.county_code = h.county_code
        ORDER BY s.length_m DESC, s.id LIMIT 1)
    WHERE h.river_id = ANY(:ids) AND h.county_code IS NOT NULL AND h.segment_id IS NULL
    """
)


def relink_after_recut(session: Session, river_ids: list[int]) -> None:
    """Segment health assessments of these rivers point at a new segment in their county."""
    if river_ids:
        session.execute(_RELINK, {"ids": list(river_ids)})
