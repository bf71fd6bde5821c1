"""Reads of patrols: detail with covered rivers and segments, lists, tracks (GeoJSON/GPX)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy import Select, exists, func, select
from sqlalchemy.orm import Session

from service.auth.scope import Scope
from service.errors import NotFound
from service.officials.models import Official
from service.pagination import Page
from service.patrols.access import check_may_see, visible_patrols
from service.patrols.models import Patrol, PatrolCoverage, PatrolUpload
from service.patrols.schemas import PatrolOut, RiverCovered, SegmentCovered
from service.rivers.models import River, Segment


def _river_lengths(session: Session) -> dict[int, float]:
    rows = session.execute(
        select(Segment.river_id, func.sum(Segment.length_m)).group_by(Segment.river_id)
    ).all()
    return {int(r[0]): float(r[1]) for r in rows}


@dataclass
class Covered:
    """What one patrol covered: per river, and per segment with the covered intervals."""

    rivers: list[RiverCovered] = field(default_factory=list)
    segments: list[SegmentCovered] = field(default_factory=list)


@dataclass
class _SegmentSum:
    river_id: int
    county_code: str
    metres: float = 0.0
    intervals: list[list[float]] = field(default_factory=list)


def coverage_of(session: Session, patrol_ids: Sequence[int]) -> dict[int, Covered]:
    """Per patrol: the rivers it covered (coverage of the river's Leshan length) and the
    segments, with intervals as fractions along the segment (upstream end 0)."""
    rows = session.execute(
        select(
            PatrolCoverage.patrol_id,
            PatrolCoverage.segment_id,
            PatrolCoverage.start_frac,
            PatrolCoverage.end_frac,
            Segment.river_id,
            Segment.county_code,
            Segment.length_m,
            River.name,
        )
        .join(Segment, Segment.id == PatrolCoverage.segment_id)
        .join(River, River.id == Segment.river_id)
        .where(PatrolCoverage.patrol_id.in_(list(patrol_ids)))
        .order_by(
            PatrolCoverage.patrol_id, Segment.river_id, Segment.ord, PatrolCoverage.start_frac
        )
    ).all()
    lengths = _river_lengths(session) if rows else {}
    # Summed in metres first, rounded once at the end (as the API always has).
    segments: dict[tuple[int, int], _SegmentSum] = {}
    river_m: dict[tuple[int, int], float] = {}
    names: dict[int, str] = {}
    for r in rows:
        covered_m = (r.end_frac - r.start_frac) * r.length_m
        seg = segments.setdefault(
            (r.patrol_id, r.segment_id), _SegmentSum(r.river_id, r.county_code)
        )
        seg.metres += covered_m
        seg.intervals.append([round(r.start_frac, 6), round(r.end_frac, 6)])
        river_m[(r.patrol_id, r.river_id)] = river_m.get((r.patrol_id, r.river_id), 0.0) + covered_m
        names[r.river_id] = r.name
    out = {pid: Covered() for pid in patrol_ids}
    for (pid, river_id), metres in river_m.items():
        out[pid].rivers.append(
            RiverCovered(
                river_id=river_id,
                name=names[river_id],
                covered_km=round(metres / 1000.0, 3),
                coverage=round(metres / lengths[river_id], 4),
            )
        )
    for (pid, segment_id), seg in segments.items():
        out[pid].segments.append(
            SegmentCovered(
                segment_id=segment_id,
                river_id=seg.river_id,
                county_code=seg.county_code,
                covered_km=round(seg.metres / 1000.0, 3),
                intervals=seg.intervals,
            )
        )
    return out


def patrol_of(patrol: Patrol, chief_name: str | None, covered: Covered) -> PatrolOut:
    """The API shape of a patrol."""
    return PatrolOut(
        id=patrol.id,
        chief_id=patrol.chief_id,
        chief_name=chief_name,
        date=patrol.patrol_date,
        started_at=patrol.started_at,
        ended_at=patrol.ended_at,
        duration_min=None if patrol.duration_min is None else round(patrol.duration_min, 1),
        length_km=round(patrol.length_m / 1000.0, 3),
        points=patrol.points,
        rivers=covered.rivers,
        segments=covered.segments,
        valid=patrol.valid,
        invalid_reasons=list(patrol.invalid_reasons),
        counted=patrol.valid and patrol.voided_at is None,
        format=patrol.format,
        datum=patrol.datum,
        client_id=patrol.client_id,
        notes=patrol.notes,
        warnings=list(patrol.warnings),
        cleaning=dict(patrol.cleaning),
        upload_sha256=patrol.upload_sha256,
        is_synthetic=patrol.is_synthetic,
        voided_at=patrol.voided_at,
        void_reason=patrol.void_reason,
        created_at=patrol.created_at,
    )


def patrol_out(session: Session, patrol: Patrol) -> PatrolOut:
    official = session.get(Official, patrol.chief_id)
    return patrol_of(
        patrol, official.name if official else None, coverage_of(session, [patrol.id])[patrol.id]
    )


def visible_patrol(session: Session, user: Scope, patrol_id: int) -> Patrol:
    """The patrol if ``user`` may see it: 404 if absent, 403 if someone else's."""
    patrol = session.get(Patrol, patrol_id)
    if patrol is None:
        raise NotFound(f"patrol {patrol_id} not found")
    check_may_see(session, user, patrol)
    return patrol


@dataclass(frozen=True)
class PatrolFilter:
    """Filters of the patrol list and the patrol-track export (days inclusive)."""

    chief_id: int | None = None
    river_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    valid: bool | None = None
    voided: bool | None = None


def filtered_patrols(user: Scope, flt: PatrolFilter) -> Select[Patrol, str]:
    """(Patrol, chief name) rows ``user`` may see that match ``flt``, unordered."""
    stmt = select(Patrol, Official.name).join(Official, Official.id == Patrol.chief_id)
    stmt = stmt.where(visible_patrols(user))
    if flt.chief_id is not None:
        stmt = stmt.where(Patrol.chief_id == flt.chief_id)
    if flt.date_from is not None:
        stmt = stmt.where(Patrol.patrol_date >= flt.date_from)
    if flt.date_to is not None:
        stmt = stmt.where(Patrol.patrol_date <= flt.date_to)
    if flt.valid is not None:
        stmt = stmt.where(Patrol.valid.is_(flt.valid))
    if flt.voided is not None:
        stmt = stmt.where(
            Patrol.voided_at.is_not(None) if flt.voided else Patrol.voided_at.is_(None)
        )
    river_id = flt.river_id
    if river_id is not None:
        stmt = stmt.where(
            exists(
                select(1)
                .select_from(PatrolCoverage)
                .join(Segment, Segment.id == PatrolCoverage.segment_id)
                .where(
                    PatrolCoverage.patrol_id == Patrol.id,
                    PatrolCoverage.region_code == Patrol.region_code,  # co-located on Citus
                    Segment.river_id == river_id,
                )
            )
        )
    return stmt


def list_patrols(
    session: Session, user: Scope, page: Page, flt: PatrolFilter
) -> tuple[list[PatrolOut], int]:
    """Patrols ``user`` may see, newest first, with the total before paging."""
    stmt = filtered_patrols(user, flt)
    total = int(session.scalar(select(func.count()).select_from(stmt.subquery())) or 0)
    rows = session.execute(
        stmt.order_by(
            Patrol.patrol_date.desc(), Patrol.started_at.desc().nulls_last(), Patrol.id.desc()
        )
        .limit(page.limit)
        .offset(page.offset)
    ).all()
    cov = coverage_of(session, [p.id for p, _ in rows])
    return [patrol_of(p, name, cov[p.id]) for p, name in rows], total


def raw_upload(session: Session, patrol_id: int) -> PatrolUpload:
    """The raw upload behind a patrol (callers check that the user is office)."""
    patrol = session.get(Patrol, patrol_id)
    if patrol is None:
        raise NotFound(f"patrol {patrol_id} not found")
    upload = session.get(PatrolUpload, patrol.upload_sha256)
    if upload is None:
        raise NotFound(f"the raw upload of patrol {patrol_id} is missing")
    return upload


def suffix(filename: str | None) -> str:
    """A safe file suffix from the uploaded name (".gpx", ".fit", ...), or ""."""
    if not filename or "." not in filename:
        return ""
    ext = filename.rsplit(".", 1)[1].lower()
    return f".{ext}" if ext.isalnum() and len(ext) <= 5 else ""
