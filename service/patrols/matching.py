"""Run the matching and judging SQL (``service/sql/match_patrols.sql``, ``patrol_validity.sql``).

Both work on a list of patrols at once, so an upload, the demo's thousands of synthetic
patrols and a rebuild after re-cut segments use the same statements.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, text
from sqlalchemy.orm import Session

from service.coverage import sync
from service.db import READ_PLANNER_SETTINGS
from service.patrols.models import PatrolCoverage
from service.rivers.models import Segment
from service.settings import get_settings
from service.sql import load_sql


def no_jit(session: Session) -> None:
    """Turn off PostgreSQL's JIT and generic plans for this transaction (why:
    ``service.db.READ_PLANNER_SETTINGS``; JIT cost 5 s for a 1 s match of 100 patrols)."""
    for name, value in READ_PLANNER_SETTINGS.items():
        session.execute(text(f"SET LOCAL {name} = {value}"))


def _regions(session: Session, patrol_ids: Sequence[int] | None) -> list[str] | None:
    """On Citus, the patrols' regions, so that statements naming them write only their shards
    (a DELETE or UPDATE by id alone locks every shard until commit, and uploads queue behind
    each other); None on one PostGIS, where it changes nothing."""
    if patrol_ids is None or not sync.wants_removed_rows(session):
        return None
    return list(
        session.scalars(
            text("SELECT DISTINCT region_code FROM patrol WHERE id = ANY(:ids)"),
            {"ids": list(patrol_ids)},
        )
    )


def match_patrols(
    session: Session, patrol_ids: Sequence[int] | None, river_ids: Sequence[int] | None = None
) -> None:
    """(Re)compute covered intervals of ``patrol_ids`` (None: all) on ``river_ids`` (None: all)."""
    settings = get_settings()
    regions = _regions(session, patrol_ids)
    stmt = delete(PatrolCoverage)
    if patrol_ids is not None:
        stmt = stmt.where(PatrolCoverage.patrol_id.in_(list(patrol_ids)))
    if river_ids is not None:
        segs = Segment.__table__.select().with_only_columns(Segment.id)
        stmt = stmt.where(
            PatrolCoverage.segment_id.in_(segs.where(Segment.river_id.in_(list(river_ids))))
        )
    if patrol_ids is None:
        session.execute(stmt)
        sync.note_everything(session)
    elif regions is not None:
        # Citus: the store is refreshed at commit from what was removed
        removed = session.execute(
            stmt.where(PatrolCoverage.region_code.in_(regions)).returning(
                PatrolCoverage.segment_id, PatrolCoverage.patrol_id
            )
        ).all()
        sync.note_removed_intervals(session, removed)
        sync.note_patrols(session, patrol_ids)
    else:
        session.execute(stmt)
    no_jit(session)
    session.execute(
        load_sql("match_patrols"),
        {
            "patrol_ids": list(patrol_ids) if patrol_ids is not None else None,
            "regions": regions,
            "river_ids": list(river_ids) if river_ids is not None else None,
            "srid": settings.metric_srid,
            "gap_m": settings.patrol_gap_m,
        },
    )


def judge_patrols(session: Session, patrol_ids: Sequence[int] | None) -> None:
    """Apply the valid-patrol rules of settings to ``patrol_ids`` (None: all)."""
    settings = get_settings()
    if patrol_ids is None:
        sync.note_everything(session)
    else:
        sync.note_patrols(session, patrol_ids)
    no_jit(session)
    session.execute(
        load_sql("patrol_validity"),
        {
            "patrol_ids": list(patrol_ids) if patrol_ids is not None else None,
            "regions": _regions(session, patrol_ids),
            "min_duration_min": settings.patrol_min_duration_min,
            "min_length_m": settings.patrol_min_length_km * 1000.0,
            "min_covered_m": settings.patrol_min_covered_km * 1000.0,
            "min_coverage": settings.patrol_min_coverage,
        },
    )


def measure_lengths(session: Session, patrol_ids: Sequence[int]) -> None:
    """Store each track's geodesic length (WGS84 spheroid), metres."""
    session.execute(
        text(
            "UPDATE patrol SET length_m = ST_Length(ST_Force2D(geom)::geography) "
            "WHERE id = ANY(:ids)"
        ),
        {"ids": list(patrol_ids)},
    )


def rebuild_after_recut(session: Session, river_ids: list[int]) -> None:
    """Re-cut hook (declared in ``service.domains``): re-match stored tracks.

    The old intervals went with the old segments (ON DELETE CASCADE); every stored track is
    matched again against the new segments of ``river_ids``, and all patrols are judged again
    since the verdict depends on coverage.
    """
    if not river_ids:
        return
    match_patrols(session, None, river_ids)
    judge_patrols(session, None)
