"""Period coverage of rivers: a merge of stored intervals in SQL (no geometry union)."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from sqlalchemy.orm import Session

from service.errors import InvalidInput
from service.params import check_range
from service.patrols.matching import no_jit
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


def river_coverage(
    session: Session, date_from: date, date_to: date, river_id: int | None = None
) -> list[dict[str, Any]]:
    """[{river_id, name, length_km, covered_km, coverage, patrols}] for rivers with segments."""
    no_jit(session)
    rows = session.execute(
        load_sql("coverage_rivers"),
        {"date_from": date_from, "date_to": date_to, "river_id": river_id},
    ).all()
    return [
        {
            "river_id": r.river_id,
            "name": r.name,
            "length_km": round(r.length_m / 1000.0, 3),
            "covered_km": round(r.covered_m / 1000.0, 3),
            "coverage": round(r.covered_m / r.length_m, 4) if r.length_m else 0.0,
            "patrols": int(r.patrols),
        }
        for r in rows
    ]


def segments_geojson(
    session: Session, date_from: date, date_to: date, river_id: int | None = None
) -> dict[str, Any]:
    """Covered and uncovered pieces of every segment as a FeatureCollection (EPSG:4326)."""
    no_jit(session)
    rows = session.execute(
        load_sql("coverage_segments"),
        {
            "date_from": date_from,
            "date_to": date_to,
            "river_id": river_id,
            "srid": get_settings().metric_srid,
        },
    ).all()
    features = [
        {
            "type": "Feature",
            "geometry": json.loads(r.geojson),
            "properties": {
                "segment_id": r.segment_id,
                "river_id": r.river_id,
                "river_name": r.river_name,
                "county_code": r.county_code,
                "covered": bool(r.covered),
                "start_frac": round(r.start_frac, 6),
                "end_frac": round(r.end_frac, 6),
                "length_km": round(r.length_m / 1000.0, 3),
            },
        }
        for r in rows
    ]
    return {
        "type": "FeatureCollection",
        "features": features,
        "properties": {"from": date_from.isoformat(), "to": date_to.isoformat()},
    }
