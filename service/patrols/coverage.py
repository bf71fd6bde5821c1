"""Period coverage of rivers: a merge of stored intervals in SQL (no geometry union)."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from service.coverage.store import period_pieces
from service.errors import InvalidInput
from service.params import check_range
from service.patrols.matching import no_jit
from service.patrols.schemas import CoverageRow
from service.settings import get_settings
from service.sql import load_sql
from service.timeutil import today_local


def period(date_from: date | None, date_to: date | None) -> tuple[date, date]:
    """Default period: this year to today (Asia/Shanghai); ``from`` alone runs to today."""
    check_range(date_from, date_to)
    today = today_local()
    start = date_from or date((date_to or today).year, 1, 1)
    end = date_to or max(today, start)
    if (end - start).days > 366 * 20:
        raise InvalidInput("the period is longer than 20 years")
    return start, end


#: Shortest coverage period the public may ask for, in days (issue 14): one day's covered
#: stretch would show where a chief walked that day. The public map offers months (28 days
#: and more), half-years and years.
PUBLIC_MIN_DAYS = 28


def check_public_period(start: date, end: date, *, open_ended: bool = False) -> None:
    """Refuse (422) a period shorter than ``PUBLIC_MIN_DAYS`` for a public caller.

    ``open_ended``: no ``to`` was given, so the period is the rest of ``start``'s year so far
    (there are no patrols after today): it is as long as to the end of that year.
    """
    nominal_end = max(end, date(start.year, 12, 31)) if open_ended else end
    days = (nominal_end - start).days + 1
    if days < PUBLIC_MIN_DAYS:
        raise InvalidInput(
            f"the public sees coverage of periods of at least {PUBLIC_MIN_DAYS} days "
            f"(a month, a half-year, a year); {start}..{nominal_end} is {days}",
            code="period_too_short",
            field="to",
        )


def coverage_rows(rows: Any) -> list[CoverageRow]:
    """Rows of a river coverage query (river_id, name, length_m, covered_m, patrols) as the
    API answers them; shared with the bench's recompute baseline."""
    return [
        CoverageRow(
            river_id=r.river_id,
            name=r.name,
            length_km=round(r.length_m / 1000.0, 3),
            covered_km=round(r.covered_m / 1000.0, 3),
            coverage=round(r.covered_m / r.length_m, 4) if r.length_m else 0.0,
            patrols=int(r.patrols),
        )
        for r in rows
    ]


def river_coverage(
    session: Session,
    date_from: date,
    date_to: date,
    river_id: int | None = None,
    county_prefix: str | None = None,
) -> list[CoverageRow]:
    """Per river with segments: its Leshan length, the length covered in the period, the
    share and the number of patrols that covered some of it (read from the coverage store;
    ``county_prefix``: only the segments of counties whose code starts with it)."""
    no_jit(session)
    rows = session.execute(
        load_sql("coverage_rivers"),
        {
            **period_pieces(date_from, date_to).params(),
            "river_id": river_id,
            "county_prefix": county_prefix,
        },
    ).all()
    return coverage_rows(rows)


@dataclass(frozen=True)
class CoveredPiece:
    """A stretch of a segment, patrolled alongside in the period or not (EPSG:4326)."""

    segment_id: int
    river_id: int
    river_name: str
    county_code: str
    covered: bool
    start_frac: float  # along the segment, 0 = upstream end
    end_frac: float
    length_km: float  # of the whole segment
    geometry: dict[str, Any]  # GeoJSON LineString


def covered_pieces(
    session: Session, date_from: date, date_to: date, river_id: int | None = None
) -> list[CoveredPiece]:
    """Covered and uncovered pieces of every segment (of ``river_id``), in segment order."""
    no_jit(session)
    rows = session.execute(
        load_sql("coverage_segments"),
        {
            **period_pieces(date_from, date_to).params(),
            "river_id": river_id,
            "srid": get_settings().metric_srid,
        },
    ).all()
    return [
        CoveredPiece(
            segment_id=r.segment_id,
            river_id=r.river_id,
            river_name=r.river_name,
            county_code=r.county_code,
            covered=bool(r.covered),
            start_frac=round(r.start_frac, 6),
            end_frac=round(r.end_frac, 6),
            length_km=round(r.length_m / 1000.0, 3),
            geometry=json.loads(r.geojson),
        )
        for r in rows
    ]


def segments_geojson(
    session: Session, date_from: date, date_to: date, river_id: int | None = None
) -> dict[str, Any]:
    """Covered and uncovered pieces of every segment as a FeatureCollection (EPSG:4326)."""
    features = [
        {
            "type": "Feature",
            "geometry": p.geometry,
            "properties": {
                "segment_id": p.segment_id,
                "river_id": p.river_id,
                "river_name": p.river_name,
                "county_code": p.county_code,
                "covered": p.covered,
                "start_frac": p.start_frac,
                "end_frac": p.end_frac,
                "length_km": p.length_km,
            },
        }
        for p in covered_pieces(session, date_from, date_to, river_id)
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"from": date_from.isoformat(), "to": date_to.isoformat()},
    }
